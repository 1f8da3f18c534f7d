"""e-Satis satisfaction scores /100, overall and per dimension, case-mix adjusted.

Respondent scores are summed per establishment and case-mix cell in a derived table
(_esatis_respondents); only complete questionnaires count (usable responses; DI below 30),
and only those of validated submissions (an NV establishment's responses count nowhere,
an assumption stated in every e-Satis file).

Case-mix adjustment by indirect standardisation (stats.adjustment): each campaign, a linear
model of the respondent score on age band, sex, admission mode and self-rated health is fitted
on all respondents (from national sums per cell); every respondent then has an expected score,
and for an establishment (or a region, a type…)

    adjusted = observed mean − expected mean + national mean.

The unadjusted and expected scores are kept in the result's details. HAS's exact adjustment
model and overall weighting are not in our sources: both are labelled assumptions.
"""

from __future__ import annotations

import ibis.expr.types as ir
import numpy as np
import pandas as pd
from scipy.stats import norm

from hospiscope.catalogue.definitions._esatis_common import (
    CELLS,
    pandas_validated,
    pandas_with_participation,
    validated,
    with_participation,
)
from hospiscope.catalogue.definitions._esatis_respondents import (
    score_column,
    sum_columns,
    table_name,
)
from hospiscope.catalogue.model import Fit, Indicator, IndicatorMeta, parameters_table
from hospiscope.stats.adjustment import fit_linear_adjustment

# Metadata shared by the score indicators, merged under each file's META (loader.py).
DEFAULTS = {
    "domain": "experience_patient",
    "kind": "score",
    "min_sample": 30,
    "statuses": (
        {"code": "DI", "label": "Données insuffisantes (moins de 30 réponses exploitables)"},
        {"code": "NR", "label": "Non répondant : l'établissement n'a pas participé"},
        {"code": "NV", "label": "Non validé"},
    ),
    "ci_method": "normal",
    "levels": ("etablissement", "national", "region", "statut", "strate:type", "strate:taille"),
    "period": "campagne e-Satis (année)",
}


def score_indicator(meta: IndicatorMeta, questionnaire: str, dimension: str | None) -> Indicator:
    """The score of `dimension` (None: the overall score) of `questionnaire`; the fitted
    model's parameters reach the computation under the indicator's code."""
    cells_table = table_name(questionnaire)
    n, total, squares = sum_columns(score_column(dimension))
    parameters = parameters_table(meta.code)

    def prepare(tables: dict[str, ir.Table]) -> ir.Table:
        c = validated(tables[cells_table], tables, questionnaire)
        return c.group_by(["campaign", "cellule", *CELLS]).aggregate(
            n=c[n].sum(), total=c[total].sum()
        )

    def reference_prepare(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        c = pandas_validated(frames[cells_table], frames, questionnaire)
        return c.groupby(["campaign", "cellule", *CELLS], as_index=False).agg(
            n=(n, "sum"), total=(total, "sum")
        )

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        c = validated(tables[cells_table], tables, questionnaire)
        c = c.filter(c[n] > 0)
        joined = c.join(tables[parameters], ["campaign", "cellule"])
        aggregated = joined.group_by(
            entity_id=joined.finess_et, period=joined.campaign.cast("string")
        ).aggregate(
            numerator=joined[total].sum(),
            denominator=joined[n].sum(),
            stat_sq=joined[squares].sum(),
            stat_expected=(joined[n] * joined.predicted).sum(),
        )
        return with_participation(aggregated, tables, questionnaire)

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        c = pandas_validated(frames[cells_table], frames, questionnaire)
        c = c[c[n] > 0].merge(frames[parameters], on=["campaign", "cellule"])
        c = c.assign(expected=c[n] * c["predicted"])
        grouped = c.groupby(["finess_et", "campaign"], as_index=False).agg(
            numerator=(total, "sum"),
            denominator=(n, "sum"),
            stat_sq=(squares, "sum"),
            stat_expected=("expected", "sum"),
        )
        grouped = grouped.assign(period=grouped["campaign"].astype(str)).rename(
            columns={"finess_et": "entity_id"}
        )
        columns = ["entity_id", "period", "numerator", "denominator", "stat_sq", "stat_expected"]
        return pandas_with_participation(grouped[columns], frames, questionnaire)

    return Indicator(
        meta,
        compute,
        reference,
        finish=adjusted_score,
        fit=Fit(prepare, fit_case_mix, reference_prepare),
    )


def fit_case_mix(summary: pd.DataFrame) -> pd.DataFrame:
    """Predicted score of every cell of every campaign, from the national cell sums."""
    frames = []
    for _, cells in summary.groupby("campaign"):
        model = fit_linear_adjustment(cells, CELLS)
        frames.append(
            cells[["campaign", "cellule"]].assign(
                predicted=model.predict(cells), part_expliquee=model.explained_share
            )
        )
    if not frames:
        return pd.DataFrame(
            {
                "campaign": pd.Series(dtype="int32"),
                "cellule": pd.Series(dtype="int32"),
                "predicted": pd.Series(dtype="float64"),
                "part_expliquee": pd.Series(dtype="float64"),
            }
        )
    return pd.concat(frames, ignore_index=True)


def adjusted_score(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Observed, expected and adjusted means with a normal CI from the within-entity standard
    deviation (the national model's own uncertainty is neglected: it rests on every
    respondent)."""
    frame = frame.copy()
    n = frame["denominator"].to_numpy(dtype=float)
    national = frame[frame["entity_kind"] == "national"]
    national_mean = (
        (national["numerator"] / national["denominator"]).groupby(national["period"]).first()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = frame["numerator"] / n
        expected = frame["stat_expected"] / n
        variance = (frame["stat_sq"] - n * observed**2) / (n - 1)
        half_width = norm.ppf(0.5 + indicator.meta.ci_level / 2) * np.sqrt(variance / n)
    frame["value"] = observed - expected + frame["period"].map(national_mean)
    frame["ci_low"], frame["ci_high"] = frame["value"] - half_width, frame["value"] + half_width
    frame["ci_level"], frame["ci_method"] = indicator.meta.ci_level, "normale"
    frame["details"] = [
        {"score_non_ajuste": _round(o), "score_attendu": _round(e)} if count > 0 else {}
        for o, e, count in zip(observed, expected, n, strict=True)
    ]
    return frame


def _round(value: float) -> float | None:
    # Scores are often exact halves of a hundredth (e.g. 71.875); the engines' parallel sums
    # differ in the last bits, so rounding first to 9 decimals keeps the shown value stable.
    return None if pd.isna(value) else round(round(float(value), 9), 2)

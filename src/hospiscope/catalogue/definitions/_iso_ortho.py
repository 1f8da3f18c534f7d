"""ISO-ORTHO: surgical-site infection within 90 days of a total hip (non-fracture) or knee
replacement, risk-adjusted: observed infections / expected infections (O/E).

Expected infections come from a logistic model fitted each year on all stays of the procedure
(from national counts per cell of the model's variables: age band, sex, obesity, diabetes,
Charlson comorbidity class — the PMSI variables of the extract). HAS's own risk model is not
in our sources: this one is a labelled assumption. An establishment is "worse than expected"
when its O/E lies above the 99.8 % funnel limit, with over-dispersion handled by an additive
random effect (DerSimonian–Laird τ² on winsorised z-scores) — the limit and the over-dispersion
rule are hospiscope's choices, labelled as such.
"""

from __future__ import annotations

import warnings

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from hospiscope.catalogue.model import Fit, FunnelSpec, Indicator, IndicatorMeta, parameters_table
from hospiscope.stats import poisson_exact_interval

STAYS = "arthroplasty_stays"
VARIABLES = ("classe_age", "sexe", "obesite", "diabete", "comorbidites")
AGE_BANDS = ((65, "<65"), (75, "65-74"), (85, "75-84"))
OLDEST = "85+"
WORSE, BETTER, AS_EXPECTED = "pire_qu_attendu", "meilleur_qu_attendu", "conforme"
FLAG_RULE = (
    "« Pire qu'attendu » : ratio O/E au-dessus de la limite à 99,8 % du diagramme en "
    "entonnoir, sur-dispersion prise en compte par un effet aléatoire additif (τ² de "
    "DerSimonian–Laird) — règle hospiscope (hypothèse)."
)
# Metadata shared by ISO_PTH and ISO_PTG, merged under each file's META (loader.py); the
# class codes are those `flag_outliers` sets.
DEFAULTS = {
    "domain": "resultat",
    "kind": "ratio",
    "class_labels": (
        ("meilleur_qu_attendu", "Meilleur qu'attendu"),
        ("conforme", "Conforme à l'attendu"),
        ("pire_qu_attendu", "Pire qu'attendu"),
    ),
    "min_sample": 20,
    "sample_column": "stat_sejours",
    "statuses": ({"code": "DI", "label": "Données insuffisantes (moins de 20 séjours)"},),
    "ci_method": "poisson_exact",
    "levels": ("etablissement", "national", "region", "statut", "strate:type"),
    "inputs": ("arthroplasty_stays",),
    "period": "année des interventions",
}
# The funnel behind FLAG_RULE: 95 % and 99.8 % limits widened by DerSimonian–Laird's τ².
FUNNEL = FunnelSpec(overdispersion="additive")


def cell_columns(s: ir.Table) -> dict[str, ir.Value]:
    age = ibis.cases(*[(s.age < bound, label) for bound, label in AGE_BANDS], else_=OLDEST)
    return {
        "classe_age": age,
        "sexe": s.sex,
        "obesite": s.obesity.cast("string"),
        "diabete": s.diabetes.cast("string"),
        "comorbidites": s.comorbidity,
    }


def pandas_cell_columns(s: pd.DataFrame) -> pd.DataFrame:
    age = s["age"]
    labels = np.select(
        [age < bound for bound, _ in AGE_BANDS], [label for _, label in AGE_BANDS], OLDEST
    )
    return pd.DataFrame(
        {
            "classe_age": labels,
            "sexe": s["sex"].astype(str),
            "obesite": s["obesity"].astype(bool).map({True: "true", False: "false"}),
            "diabete": s["diabetes"].astype(bool).map({True: "true", False: "false"}),
            "comorbidites": s["comorbidity"].astype(str),
        },
        index=s.index,
    )


def iso_indicator(meta: IndicatorMeta, procedure: str) -> Indicator:
    """Infections after `procedure` (PTH, PTG) / infections expected by the risk model; the
    model's parameters reach the computation under the indicator's code."""
    parameters = parameters_table(meta.code)

    def stays(tables: dict[str, ir.Table]) -> ir.Table:
        s = tables[STAYS]
        s = s.filter(s.procedure == procedure)
        return s.mutate(**cell_columns(s))

    def prepare(tables: dict[str, ir.Table]) -> ir.Table:
        s = stays(tables)
        return s.group_by(["year", *VARIABLES]).aggregate(
            n=s.count(), events=s.infection.cast("int64").sum()
        )

    def reference_prepare(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        s = _pandas_stays(frames, procedure)
        return s.groupby(["year", *VARIABLES], as_index=False).agg(
            n=("infection", "size"), events=("infection", "sum")
        )

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        s = stays(tables)
        joined = s.join(tables[parameters], ["year", *VARIABLES])
        return joined.group_by(
            entity_id=joined.finess_et, period=joined.year.cast("string")
        ).aggregate(
            numerator=joined.infection.cast("int64").sum(),
            denominator=joined.predicted.sum(),
            stat_sejours=joined.count(),
        )

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        s = _pandas_stays(frames, procedure).merge(frames[parameters], on=["year", *VARIABLES])
        grouped = s.groupby(["finess_et", "year"], as_index=False).agg(
            numerator=("infection", "sum"),
            denominator=("predicted", "sum"),
            stat_sejours=("infection", "size"),
        )
        return grouped.assign(period=grouped["year"].astype(str)).rename(
            columns={"finess_et": "entity_id"}
        )[["entity_id", "period", "numerator", "denominator", "stat_sejours"]]

    return Indicator(
        meta,
        compute,
        reference,
        finish=flag_outliers,
        fit=Fit(prepare, fit_risk_model, reference_prepare),
        funnel=FUNNEL,
    )


def _pandas_stays(frames: dict[str, pd.DataFrame], procedure: str) -> pd.DataFrame:
    s = frames[STAYS]
    s = s[s["procedure"] == procedure]
    s = pd.concat([s[["finess_et", "year"]], pandas_cell_columns(s)], axis=1).assign(
        infection=s["infection"].astype(bool).astype("int64")
    )
    return s


def fit_risk_model(summary: pd.DataFrame) -> pd.DataFrame:
    """Predicted infection probability of every cell of every year: a binomial GLM on the
    national cell counts (the same estimates as a logistic regression on the stays)."""
    frames = []
    for _, cells in summary.groupby("year"):
        cells = cells[cells["n"] > 0]
        design = pd.get_dummies(cells[list(VARIABLES)], drop_first=True, dtype=float)
        design = sm.add_constant(design, has_constant="add")
        response = np.column_stack([cells["events"], cells["n"] - cells["events"]])
        with warnings.catch_warnings():
            # Sparse cells (or a saturated model on small data) make IRLS warn about perfect
            # prediction; the fitted probabilities remain the maximum-likelihood ones.
            warnings.simplefilter("ignore", PerfectSeparationWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            model = sm.GLM(response, design, family=sm.families.Binomial()).fit()
        frames.append(cells[["year", *VARIABLES]].assign(predicted=model.predict(design)))
    if not frames:
        return pd.DataFrame(
            {
                "year": pd.Series(dtype="int32"),
                **{v: pd.Series(dtype="str") for v in VARIABLES},
                "predicted": pd.Series(dtype="float64"),
            }
        )
    return pd.concat(frames, ignore_index=True)


def flag_outliers(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """O/E with its exact Poisson (Garwood) CI, then, for establishments, the funnel-plot
    position."""
    frame = frame.copy()
    observed, expected = frame["numerator"].to_numpy(float), frame["denominator"].to_numpy(float)
    low, high = poisson_exact_interval(observed, indicator.meta.ci_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(expected > 0, expected, np.nan)
        frame["value"] = observed / scale
        frame["ci_low"], frame["ci_high"] = np.asarray(low) / scale, np.asarray(high) / scale
    frame["ci_level"], frame["ci_method"] = indicator.meta.ci_level, "Garwood"
    frame["details"] = [{} for _ in range(len(frame))]
    frame["class"] = None
    for period, rows in frame[
        (frame["entity_kind"] == "etablissement")
        & (frame["stat_sejours"] >= indicator.meta.min_sample)
        & (frame["denominator"] > 0)
    ].groupby("period"):
        result = indicator.funnel.plot(
            rows["numerator"].to_numpy(), rows["denominator"].to_numpy(), rows.index.to_numpy()
        )
        units = result.units.set_index("unit")
        for index in rows.index:
            unit = units.loc[index]
            high, low = bool(unit["high_998_adjusted"]), bool(unit["low_998_adjusted"])
            frame.at[index, "class"] = WORSE if high else BETTER if low else AS_EXPECTED
            frame.at[index, "details"] = {
                "z": _round(unit["z_adjusted"]),
                "regle": FLAG_RULE,
                "tau2": _round(result.tau2, 6),
                "periode_entonnoir": period,
            }
    return frame


def _round(value, digits: int = 3):
    return None if pd.isna(value) else round(float(value), digits)

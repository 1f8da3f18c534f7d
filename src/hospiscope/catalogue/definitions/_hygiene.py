"""Hand hygiene (ICSHA): consumption of alcohol-based hand rub as a % of the establishment's
personalised minimum objective, and the share of establishments reaching their objective.

Versions. The objective's rules change with the indicator version (ICSHA.2: national
reference frictions per patient-day by activity type × patient-days by discipline; ICSHA.3:
not in our sources), so results of two versions are not comparable. Each version is its own
indicator code (ICSHA2, ICSHA3, ICSHA2_OBJECTIF_ATTEINT, ICSHA3_OBJECTIF_ATTEINT): a code reads
only the rows of its version, carries its version's class grids (grids/icsha.yaml), and its
evolution and national series never cross a version change. (The alternative, the version in
the period key, would let the "previous period" of the evolution silently be another version.)

Per establishment and year (rows of the table `hygiene_icsha`):
- NC (non concerné) when the file flags it — volumes are then ignored;
- DI (données insuffisantes) when the volume or the objective is missing, or the objective
  is not positive;
- otherwise numerator = volume consumed (L), denominator = personalised objective (L).
NC and DI rows carry NULL numerator and denominator (nothing is known, nothing is pooled) and
the markers `stat_nc` / `stat_di` (1 for the row), which the levels sum into counts of NC and
DI establishments per group.

Pooling: a region, a type, the nation… is Σ volumes / Σ objectives over its establishments with
data — a mean of establishment rates weighted by their objective. The HAS aggregation rule
is not in our sources: this is a labelled assumption.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from hospiscope.catalogue.model import Indicator, IndicatorMeta, Status
from hospiscope.sources.hygiene import TABLE

# Metadata merged under each file's META (loader.py): the consumption ratios (ICSHA2, ICSHA3)
# and the shares of establishments reaching their objective (ICSHA*_OBJECTIF_ATTEINT).
CONSUMPTION_DEFAULTS = {
    "domain": "processus",
    "kind": "ratio",
    "factor": 100.0,
    "statuses": (
        {
            "code": "DI",
            "label": "Données insuffisantes : volume consommé ou objectif personnalisé manquant",
        },
        {"code": "NC", "label": "Non concerné"},
    ),
    "ci_method": "none",
    "levels": (
        "etablissement",
        "national",
        "region",
        "departement",
        "statut",
        "strate:type",
        "strate:taille",
    ),
    "inputs": ("hygiene_icsha",),
    "period": "année de campagne IQSS",
}
ATTAINMENT_DEFAULTS = {
    "domain": "processus",
    "kind": "rate",
    "factor": 100.0,
    "ci_method": "wilson",
    "levels": ("national", "region", "departement", "statut", "strate:type", "strate:taille"),
    "inputs": ("hygiene_icsha",),
    "period": "année de campagne IQSS",
}
# The statuses as the finish's details name them.
DI, NC = (Status(**status) for status in CONSUMPTION_DEFAULTS["statuses"])
TARGET = 100.0  # the objective when an indicator has none (the finish's details)
DECIMALS = 9  # float noise removed before classing: 10.8 L / 18 L is 60 %, not 60.00…01 %
NO_INTERVAL = (
    "Pas d'intervalle de confiance : la consommation et l'objectif sont mesurés sur toute "
    "l'année, sans échantillon ; la position par rapport à l'objectif se lit directement."
)


def _rows(tables: dict[str, ir.Table], version: str) -> tuple[ir.Table, ir.Value, ir.Value]:
    """The rows of `version`, with their NC flag and whether their rate is computable."""
    t = tables[TABLE]
    t = t.filter(t.version == version)
    nc = t.not_concerned.fill_null(False)
    usable = (
        ~nc
        & t.volume_litres.notnull()
        & t.objective_litres.notnull()
        & (t.objective_litres.fill_null(0) > 0)
    )
    return t, nc, usable


def _frame_rows(frames: dict[str, pd.DataFrame], version: str):
    t = frames[TABLE]
    t = t[t["version"] == version]
    nc = t["not_concerned"].fillna(False).astype(bool)
    usable = (
        ~nc
        & t["volume_litres"].notna()
        & t["objective_litres"].notna()
        & (t["objective_litres"].fillna(0) > 0)
    )
    return t, nc, usable


def _select(t: ir.Table, nc: ir.Value, usable: ir.Value, numerator, denominator) -> ir.Table:
    return t.select(
        entity_id=t.finess_et,
        period=t.year.cast("string"),
        numerator=ibis.ifelse(usable, numerator, ibis.null("float64")),
        denominator=ibis.ifelse(usable, denominator, ibis.null("float64")),
        stat_nc=nc.cast("int64"),
        stat_di=(~nc & ~usable).cast("int64"),
    )


def _frame(t: pd.DataFrame, nc, usable, numerator, denominator) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "entity_id": t["finess_et"].astype(str),
            "period": t["year"].astype(str),
            "numerator": pd.Series(numerator, index=t.index, dtype=float).where(usable),
            "denominator": pd.Series(denominator, index=t.index, dtype=float).where(usable),
            "stat_nc": nc.astype("int64"),
            "stat_di": (~nc & ~usable).astype("int64"),
        }
    ).reset_index(drop=True)


def consumption_indicator(meta: IndicatorMeta, version: str) -> Indicator:
    """ICSHA<n>: volume consumed / personalised objective × 100, per establishment and pooled,
    from the rows of `version`."""

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        t, nc, usable = _rows(tables, version)
        return _select(t, nc, usable, t.volume_litres, t.objective_litres)

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        t, nc, usable = _frame_rows(frames, version)
        return _frame(t, nc, usable, t["volume_litres"], t["objective_litres"])

    return Indicator(meta, compute, reference, finish=consumption_values)


def attainment_indicator(meta: IndicatorMeta, version: str) -> Indicator:
    """ICSHA<n>_OBJECTIF_ATTEINT: share of establishments whose consumption reaches at least
    100 % of their objective, among those with a computable ICSHA (NC and DI left out)."""

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        t, nc, usable = _rows(tables, version)
        reached = (t.volume_litres >= t.objective_litres).cast("float64")
        return _select(t, nc, usable, reached, ibis.literal(1.0))

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        t, nc, usable = _frame_rows(frames, version)
        reached = (t["volume_litres"] >= t["objective_litres"]).astype(float)
        return _frame(t, nc, usable, reached, 1.0)

    return Indicator(meta, compute, reference)


def consumption_values(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Value = Σ volume / Σ objective × 100 rounded to 1e-9 (for exact class bounds), no CI;
    details: objective reached and gaps for establishments, NC / DI counts for groups."""
    frame = frame.copy()
    numerator = pd.to_numeric(frame["numerator"], errors="coerce").to_numpy(dtype=float)
    denominator = pd.to_numeric(frame["denominator"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(denominator > 0, numerator / denominator, np.nan)
    frame["value"] = np.round(ratio * indicator.meta.factor, DECIMALS)
    frame["ci_low"], frame["ci_high"], frame["ci_level"] = np.nan, np.nan, np.nan
    frame["ci_method"] = None
    frame["details"] = consumption_details(frame, indicator.meta.target or TARGET)
    return frame


def consumption_details(frame: pd.DataFrame, target: float) -> list[dict]:
    national = (
        frame[frame["entity_kind"] == "national"].groupby("period")["value"].first().to_dict()
    )
    nc = _marker(frame, "stat_nc")
    di = _marker(frame, "stat_di")
    details = []
    for kind, period, value, n_nc, n_di in zip(
        frame["entity_kind"], frame["period"], frame["value"], nc, di, strict=True
    ):
        if kind != "etablissement":
            details.append(
                {"etablissements_non_concernes": n_nc, "etablissements_donnees_insuffisantes": n_di}
            )
        elif n_nc > 0:
            details.append({"motif": NC.label})
        elif n_di > 0 or pd.isna(value):
            details.append({"motif": DI.label})
        else:
            entry = {
                "objectif_atteint": bool(value >= target),
                "ecart_objectif_points": round(float(value) - target, 1),
                "regle_position": NO_INTERVAL,
            }
            reference = national.get(period)
            if reference is not None and not pd.isna(reference):
                entry["ecart_national_points"] = round(float(value) - float(reference), 1)
            details.append(entry)
    return details


def _marker(frame: pd.DataFrame, column: str) -> list[int]:
    if column not in frame:
        return [0] * len(frame)
    return [int(v) for v in pd.to_numeric(frame[column], errors="coerce").fillna(0)]

"""Process indicators from record audits (QUALHAS-like): the share of compliant records among
the audited records that are not excluded, per establishment and campaign. The computation is
shared here; each indicator's metadata is the literal META of its own file (`audit_*.py`).

Choices (HAS's own rules are not in our sources, facts.md §1 and anchors.md §3.2):
- CI: exact Clopper–Pearson. Samples are small (30–80 records) and some rates are close to
  100 % (HAD 89 %); the exact interval never covers less than its nominal level, so an
  establishment is placed "below" the national value (POSITION_RULE: CI entirely below) with
  a risk of error of at most 2.5 % — the cautious choice for a public judgement. Wilson's
  interval is shorter but its coverage dips under 95 % for some (p, n).
- Minimum sample: 30 evaluable records (DI below, DEFAULTS), a labelled assumption.
- Target: none (no objective is published in our sources); a file that sets one labels it a
  hospiscope assumption, in target_source and in its assumptions (tests/unit/catalogue).
- Aggregates pool records: national value = Σ compliant / Σ evaluable records.
"""

from __future__ import annotations

import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.model import Indicator, IndicatorMeta
from hospiscope.sources.audits import EXCLUDED, INDICATORS, TABLE

COMPLIANT = "oui"

# Metadata shared by every audit indicator, merged under each file's META (loader.py). The DI
# threshold of 30 evaluable records is a hospiscope assumption (HAS's rule is not in our
# sources); each file says so in its assumptions.
DEFAULTS = {
    "domain": "processus",
    "kind": "rate",
    "factor": 100.0,
    "min_sample": 30,
    "statuses": (
        {"code": "DI", "label": "Données insuffisantes (moins de 30 dossiers évaluables)"},
    ),
    "ci_method": "exact",
    "levels": ("etablissement", "national", "region", "statut", "strate:type", "strate:taille"),
    "inputs": ("audit_records",),
}


def audited_rates(records: ir.Table, indicator: str) -> ir.Table:
    """Compliant / evaluable records per establishment and campaign; an establishment whose
    records are all excluded stays, with a zero denominator (hence DI)."""
    r = records.filter(records.indicator == indicator)
    return r.group_by(entity_id=r.finess_et, period=r.campaign.cast("string")).aggregate(
        numerator=(r.outcome == COMPLIANT).cast("int64").sum(),
        denominator=(r.outcome != EXCLUDED).cast("int64").sum(),
    )


def pandas_audited_rates(records: pd.DataFrame, indicator: str) -> pd.DataFrame:
    r = records[records["indicator"] == indicator]
    r = r.assign(
        compliant=(r["outcome"] == COMPLIANT).astype("int64"),
        evaluable=(r["outcome"] != EXCLUDED).astype("int64"),
        period=r["campaign"].astype(str),
    )
    grouped = r.groupby(["finess_et", "period"], as_index=False).agg(
        numerator=("compliant", "sum"), denominator=("evaluable", "sum")
    )
    return grouped.rename(columns={"finess_et": "entity_id"})[
        ["entity_id", "period", "numerator", "denominator"]
    ]


def audit_indicator(meta: IndicatorMeta, record_code: str) -> Indicator:
    """The indicator of the records coded `record_code` (sources/audits.py) in the `indicateur`
    column."""
    if record_code not in INDICATORS:
        raise ValueError(f"{meta.code}: unknown audit code {record_code}")

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        return audited_rates(tables[TABLE], record_code)

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        return pandas_audited_rates(frames[TABLE], record_code)

    return Indicator(meta, compute, reference)

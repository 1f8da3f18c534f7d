"""Days of stock (ANAP method): stock value at the inventory / consumption of the 12 months
before it × 365, per establishment, stock family and civil year. The computation of
eff_stock_medicaments.py, eff_stock_dm.py and eff_stock_autres.py, whose META hold their own
metadata over DEFAULTS below.

Per establishment and year (rows of `stock_inventories` of one family):
- the inventory kept is the **last one of the civil year** (usually the closing inventory of
  31 December): an establishment that also counts its stocks in June is judged on December;
- DI (données insuffisantes) when that inventory has no consumption, or a zero one (days of
  stock cannot be computed): NULL numerator and denominator, marker `stat_di`;
- otherwise numerator = stock value (€), denominator = consumption of the 12 months (€), and
  value = numerator / denominator × 365 (the `factor`).
The consumption stays the denominator so that the money step can price a gap: stock days
above 28 × daily consumption (denominator / 365) is the cash that a return to the target
releases.

Pooling: a region, a type, the nation… is Σ stock values / Σ consumptions × 365 — the days
of stock of all their establishments taken as one (each weighted by its consumption).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.model import Indicator, IndicatorMeta
from hospiscope.sources.stocks import FAMILIES, TABLE

# Metadata merged under each file's META (loader.py).
DEFAULTS = {
    "domain": "efficience",
    "kind": "ratio",
    "unit": "jours",
    "factor": 365.0,
    "direction": "lower_is_better",
    "target": 28.0,
    "target_source": (
        "ANAP, cité par IGF-IGAS (2025), annexe XII, § 2.4.2 : stock moyen de 28 jours "
        "(cycle de renouvellement de 3 semaines et 1 semaine de sécurité)"
    ),
    "statuses": (
        {
            "code": "DI",
            "label": (
                "Données insuffisantes : consommation des 12 mois précédant l'inventaire absente "
                "ou nulle"
            ),
        },
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
    "inputs": ("stock_inventories",),
    "period": "année civile de l'inventaire",
    "source_document": (
        "IGF-IGAS, « Face à la gravité de la situation financière des hôpitaux publics, "
        "renforcer l'efficience par une intégration territoriale », annexe XII « Leviers "
        "d'efficacité interne », septembre 2025"
    ),
    "source_section": "annexe XII, § 2.4.2 « La maîtrise des stocks » ; facts.md §4",
    "method_version": "1.0",
}


def compute_days(tables: dict[str, ir.Table], family: str) -> ir.Table:
    s = tables[TABLE]
    s = s.filter(s.stock_family == family).mutate(year=s.inventory_date.year().cast("int64"))
    # The last inventory of each establishment and year (a join: not every engine has window
    # functions).
    last = s.group_by(["finess_et", "year"]).aggregate(last_date=s.inventory_date.max())
    kept = s.join(
        last,
        [s.finess_et == last.finess_et, s.year == last.year, s.inventory_date == last.last_date],
    )
    usable = kept.consumption_12m.notnull() & (kept.consumption_12m.fill_null(0) > 0)
    return kept.select(
        entity_id=kept.finess_et,
        period=kept.year.cast("string"),
        numerator=ibis.ifelse(usable, kept.stock_value, ibis.null("float64")),
        denominator=ibis.ifelse(usable, kept.consumption_12m, ibis.null("float64")),
        stat_di=(~usable).cast("int64"),
    )


def reference_days(frames: dict[str, pd.DataFrame], family: str) -> pd.DataFrame:
    s = frames[TABLE]
    s = s[s["stock_family"] == family].copy()
    s["inventory_date"] = pd.to_datetime(s["inventory_date"])
    s["year"] = s["inventory_date"].dt.year
    last = s.groupby(["finess_et", "year"])["inventory_date"].transform("max")
    kept = s[s["inventory_date"] == last]
    consumption = pd.to_numeric(kept["consumption_12m"]).astype(float)
    usable = consumption.notna() & (consumption > 0)
    return pd.DataFrame(
        {
            "entity_id": kept["finess_et"].astype(str),
            "period": kept["year"].astype(str),
            "numerator": kept["stock_value"].astype(float).where(usable),
            "denominator": consumption.where(usable),
            "stat_di": (~usable).astype("int64"),
        }
    ).reset_index(drop=True)


def stock_days_indicator(meta: IndicatorMeta, family: str) -> Indicator:
    """The days-of-stock indicator of one stock family (sources/stocks.py FAMILIES)."""
    if family not in FAMILIES:
        raise ValueError(f"{meta.code}: unknown stock family {family}")

    def compute(tables: dict[str, ir.Table]) -> ir.Table:
        return compute_days(tables, family)

    def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
        return reference_days(frames, family)

    return Indicator(meta, compute, reference)

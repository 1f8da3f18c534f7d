"""Who has finance files in the demo, and how much each establishment buys (hypothèse
hospiscope: no per-establishment accounts are available offline).

Population: the establishments with MCO activity (`demo/activities.py`, MCO beds or places)
whose legal status is public or private non-profit — the hospitals of the finance axis of
Hospi Diag (about 1 350 MCO establishments, facts.md §5); private for-profit clinics keep
accounts of another kind and are left out. With the bundled registry: about 1 270 sites
(1 085 public, 185 non-profit).

Purchases per establishment and year: the published national purchases of public hospitals
(€34.6 bn a year, facts.md §4) shared among the public establishments in proportion to their
activity (MCO beds, half an MCO place, a fifth of an SMR, psychiatric or long-stay bed) ×
an intensity by category (university and regional hospitals and cancer centres buy more per
bed) × a log-normal factor; private non-profit establishments buy at the same rate per unit
of activity. Every figure is a labelled assumption except the national total.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from hospiscope.demo.activities import eligible
from hospiscope.demo.calibration import assumed, published
from hospiscope.demo.families import DemoContext
from hospiscope.sources.finess.legal_status import NON_PROFIT, PUBLIC

STATUSES = (PUBLIC, NON_PROFIT)
NATIONAL_PURCHASES = published(34.6e9, "IGF-IGAS 2025, annexe XII (facts.md §4)")
ACTIVITY_WEIGHTS = {
    "beds_mco": assumed(1.0, "poids d'un lit MCO dans l'activité qui achète"),
    "places_mco": assumed(0.5, "poids d'une place MCO"),
    "beds_smr": assumed(0.2, "poids d'un lit SMR"),
    "beds_psy": assumed(0.2, "poids d'un lit de psychiatrie"),
    "beds_sld": assumed(0.2, "poids d'un lit de soins de longue durée"),
}
# Purchases per unit of activity by FINESS category, relative to a general hospital.
CATEGORY_INTENSITY = {
    "101": assumed(1.6, "achats par lit d'un CHR/CHU rapportés à un CH"),
    "131": assumed(2.5, "achats par lit d'un centre de lutte contre le cancer"),
    "106": assumed(0.5, "achats par lit d'un ex-hôpital local"),
}
PURCHASES_SPREAD = assumed(0.3, "écart-type log-normal des achats autour de l'activité")


def finance_establishments(context: DemoContext, family: str) -> pl.DataFrame:
    """finess_et, category_code, legal_status, overseas and annual purchases (€) of the
    establishments that get the files of `family` (the same purchases for every finance
    family: their own random stream)."""
    capacity = context.capacity.filter(eligible(context.capacity, family))
    statuses = context.registry.select("finess_et", "legal_status")
    chosen = capacity.join(statuses, on="finess_et").filter(pl.col("legal_status").is_in(STATUSES))
    return chosen.select(
        "finess_et",
        "category_code",
        "legal_status",
        overseas=pl.col("finess_et").str.starts_with("97")
        | pl.col("finess_et").str.starts_with("98"),
        purchases=pl.Series(_purchases(context, chosen), dtype=pl.Float64),
    ).sort("finess_et")


def _purchases(context: DemoContext, chosen: pl.DataFrame) -> np.ndarray:
    activity = sum(
        chosen[column].fill_null(0).to_numpy().astype(float) * weight.value
        for column, weight in ACTIVITY_WEIGHTS.items()
    )
    intensity = np.array(
        [CATEGORY_INTENSITY.get(c, assumed(1.0, "")).value for c in chosen["category_code"]]
    )
    # Drawn for every establishment of the capacity frame in its order, so that the draw of
    # one establishment does not depend on which others a family keeps.
    rng = context.rng("finance")
    factors = dict(
        zip(
            context.capacity["finess_et"].to_list(),
            np.exp(rng.normal(0, PURCHASES_SPREAD.value, context.capacity.height)),
            strict=True,
        )
    )
    units = activity * intensity * np.array([factors[f] for f in chosen["finess_et"]])
    public = (chosen["legal_status"] == PUBLIC).to_numpy()
    if not units[public].sum():
        return units
    return units * NATIONAL_PURCHASES.value / units[public].sum()

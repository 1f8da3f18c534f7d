"""The one rule deciding which demo establishment has which activity, and so which family of
demo data it receives (hypothèse hospiscope: no per-site activity file is available offline).

    registry site ──(category + name: sites.py)──▶ kind ──(profiles.py)──▶ capacity
    capacity + category + kind ──(ACTIVITIES below)──▶ activities ──(FAMILIES)──▶ data

A family generator never decides eligibility on its own: it asks `eligible(capacity, family)`.
So a SMUR antenna, an imaging or dialysis centre, a psychiatric hospital or a day hospital gets
no hip or knee replacement stay, and a site without psychiatric beds no psychiatric audit.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hospiscope.demo.calibration import assumed
from hospiscope.demo.sites import HOSPITAL

# Hip and knee replacements need an orthopaedic theatre and a surgical ward: hospitals of the
# general or surgical categories (CHR/CHU, CH, army hospitals, surgical and multidisciplinary
# clinics), with surgery and at least this many MCO beds. Cancer centres (131), obstetric and
# gynaecological clinics (122), medical establishments (129) and former local hospitals (106)
# do not replace joints.
ARTHROPLASTY_CATEGORIES = frozenset({"101", "355", "114", "128", "365"})
ARTHROPLASTY_MIN_BEDS = assumed(
    30, "prothèses de hanche ou de genou : chirurgie et au moins 30 lits MCO"
)


@dataclass(frozen=True)
class ActivityRule:
    code: str
    label: str  # French: what the demo requires of an establishment to have it
    rule: pl.Expr  # over the demo capacity frame


def _count(column: str) -> pl.Expr:
    return pl.col(column).fill_null(0) > 0


_HOSPITAL = pl.col("site_kind") == HOSPITAL
_ANY_BED_OR_PLACE = pl.any_horizontal(
    _count(c) for c in ("beds_mco", "places_mco", "beds_smr", "beds_psy", "places_psy", "beds_sld")
)
ACTIVITIES: dict[str, ActivityRule] = {
    a.code: a
    for a in (
        ActivityRule("mco", "hospitalisation complète en MCO (lits MCO)", _count("beds_mco")),
        ActivityRule(
            "mco_lits_ou_places",
            "activité MCO (lits ou places MCO)",
            _count("beds_mco") | _count("places_mco"),
        ),
        ActivityRule(
            "chirurgie_ambulatoire",
            "chirurgie ambulatoire (activité chirurgicale et lits ou places MCO)",
            pl.col("surgery") & (_count("beds_mco") | _count("places_mco")),
        ),
        ActivityRule(
            "arthroplastie",
            "prothèses de hanche et de genou (hôpital d'une catégorie générale ou chirurgicale, "
            f"chirurgie, au moins {ARTHROPLASTY_MIN_BEDS.value:g} lits MCO)",
            _HOSPITAL
            & pl.col("category_code").is_in(sorted(ARTHROPLASTY_CATEGORIES))
            & pl.col("surgery")
            & (pl.col("beds_mco").fill_null(0) >= ARTHROPLASTY_MIN_BEDS.value),
        ),
        ActivityRule(
            "mco_lits_ou_places",
            "médecine, chirurgie, obstétrique en lits ou en places (hospitalisation complète "
            "ou de jour)",
            _count("beds_mco") | _count("places_mco"),
        ),
        ActivityRule("smr", "soins médicaux et de réadaptation (lits SMR)", _count("beds_smr")),
        ActivityRule("psychiatrie", "psychiatrie en hospitalisation complète", _count("beds_psy")),
        ActivityRule("had", "hospitalisation à domicile", pl.col("had")),
        ActivityRule(
            "hospitalisation_complete",
            "hospitalisation complète (lits MCO, SMR ou de psychiatrie)",
            _count("beds_mco") | _count("beds_smr") | _count("beds_psy"),
        ),
        ActivityRule(
            "hospitalisation",
            "lits ou places d'hospitalisation de toute activité",
            _ANY_BED_OR_PLACE,
        ),
        ActivityRule(
            "etablissement_de_sante",
            "lits, places ou HAD (établissement soumis à la certification)",
            _ANY_BED_OR_PLACE | pl.col("had"),
        ),
    )
}
# Which activity each family of demo data requires.
FAMILIES: dict[str, str] = {
    "esatis:mco48h": "mco",
    "esatis:ca": "chirurgie_ambulatoire",
    "esatis:smr": "smr",
    "audits:CA": "chirurgie_ambulatoire",
    "audits:MCO": "mco",
    "audits:HAD": "had",
    "audits:PSY": "psychiatrie",
    "iso_ortho": "arthroplastie",
    "hygiene": "hospitalisation_complete",
    "vaccination": "hospitalisation",
    "certification": "etablissement_de_sante",
    "stocks": "mco_lits_ou_places",  # and a public or non-profit status: demo/finance.py
    "paiements": "mco_lits_ou_places",
    # Billing files: MCO activity; the family keeps public and private non-profit ones.
    "facturation": "mco_lits_ou_places",
}


def eligible(capacity: pl.DataFrame, family: str) -> pl.Series:
    """Boolean mask over `capacity`: the establishments that `family` may be generated for."""
    activity = ACTIVITIES[FAMILIES[family]]
    return capacity.select(activity.rule.fill_null(False).alias(family)).to_series()


def activities(capacity: pl.DataFrame) -> pl.DataFrame:
    """finess_et and one boolean column per activity."""
    return capacity.select(
        "finess_et", *(a.rule.fill_null(False).alias(code) for code, a in ACTIVITIES.items())
    )

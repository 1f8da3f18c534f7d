"""Typical capacity of each FINESS category, used to give every real establishment a
plausible size in the demo. Medians and spreads are hospiscope assumptions (no national
per-establishment capacity file is available offline); the README lists them."""

from __future__ import annotations

from dataclasses import dataclass

from hospiscope.demo.calibration import assumed


@dataclass(frozen=True)
class Activity:
    median: float  # median beds (or places) when the establishment has the activity
    share: float = 1.0  # share of establishments of the category having it


@dataclass(frozen=True)
class Profile:
    beds_mco: Activity | None = None
    places_mco: Activity | None = None
    beds_smr: Activity | None = None
    beds_psy: Activity | None = None
    places_psy: Activity | None = None
    beds_sld: Activity | None = None
    surgery_share: float = 0.0  # share doing ambulatory surgery (e-Satis CA eligibility)


# Registry rows are geographic sites (a CHU has many), hence medians well below legal-entity
# sizes; e.g. most "CHS" rows are small psychiatric sites.
PROFILES: dict[str, Profile] = {
    "101": Profile(
        Activity(350, 0.85),
        Activity(40, 0.85),
        Activity(50, 0.4),
        Activity(60, 0.25),
        Activity(20, 0.25),
        Activity(60, 0.3),
        surgery_share=0.75,
    ),
    "355": Profile(
        Activity(120, 0.55),
        Activity(15, 0.55),
        Activity(35, 0.5),
        Activity(40, 0.3),
        Activity(15, 0.3),
        Activity(50, 0.4),
        surgery_share=0.45,
    ),
    "106": Profile(Activity(12, 0.15), None, Activity(30, 0.7), None, None, Activity(40, 0.5)),
    "114": Profile(Activity(250), Activity(20), Activity(30, 0.5), surgery_share=1.0),
    "131": Profile(Activity(170), Activity(60), surgery_share=1.0),
    "122": Profile(Activity(40), Activity(10), surgery_share=0.8),
    "128": Profile(Activity(60), Activity(30), surgery_share=1.0),
    "129": Profile(Activity(40, 0.3), Activity(5, 0.3), Activity(60, 0.7)),
    "365": Profile(Activity(110, 0.85), Activity(30, 0.85), Activity(40, 0.3), surgery_share=0.8),
    "109": Profile(None, None, Activity(75)),
    "292": Profile(beds_psy=Activity(30), places_psy=Activity(15, 0.6)),
    "161": Profile(beds_psy=Activity(60), places_psy=Activity(10, 0.5)),
    "362": Profile(beds_sld=Activity(60)),
}
SPREAD = 0.6  # log-normal sigma of sizes around the median (hypothèse hospiscope)

# A site whose name says what it is (demo/sites.py) takes the profile of its kind instead of
# its category's: a SMUR antenna, an imaging or dialysis centre, a consultation centre or an
# HAD has neither beds nor places; a day hospital has places only, and never surgery
# (hypothèse hospiscope).
_NOTHING = Profile()
KIND_PROFILES: dict[str, Profile] = {
    "urgences": _NOTHING,
    "imagerie": _NOTHING,
    "dialyse": _NOTHING,
    "ambulatoire": _NOTHING,
    "had": _NOTHING,
    "hopital_de_jour_psy": Profile(places_psy=Activity(15)),
    "hopital_de_jour": Profile(places_mco=Activity(10)),
    "psychiatrie": Profile(beds_psy=Activity(30, 0.8), places_psy=Activity(15, 0.5)),
    "smr": Profile(beds_smr=Activity(50)),
    "sld": Profile(beds_sld=Activity(60)),
}
# No HAD category in the bundled registry: besides the sites named as HAD, HAD activity goes to
# a share of the hospitals of these categories, giving about 280 sites (an order of magnitude,
# the count of HAD establishments not being in our sources; hypothèse hospiscope).
HAD_SHARES = {
    "355": assumed(0.22, "part des centres hospitaliers ayant une activité d'HAD"),
    "365": assumed(0.18, "part des établissements pluridisciplinaires ayant une HAD"),
    "129": assumed(0.20, "part des établissements de soins médicaux ayant une HAD"),
}

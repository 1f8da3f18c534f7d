"""Installed capacity (beds and places) per establishment and year.

The national source is the SAE (Statistique annuelle des établissements de santé, DREES); its
bases are published per module with many variables. hospiscope reads a narrow extract in
this documented layout (docs/formats.md), which the demo generator also writes:

    annee;finess;lits_mco;places_mco;lits_smr;places_smr;lits_psy;places_psy;lits_sld

`;`-separated, header line, integers ≥ 0 or empty (not reported).
"""

from __future__ import annotations

from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

_COUNTS = (
    ("lits_mco", "beds_mco"),
    ("places_mco", "places_mco"),
    ("lits_smr", "beds_smr"),
    ("places_smr", "places_smr"),
    ("lits_psy", "beds_psy"),
    ("places_psy", "places_psy"),
    ("lits_sld", "beds_sld"),
)
LAYOUT = Layout(
    name="capacites",
    label="capacités (lits et places)",
    fields=(
        Field("annee", "year", "year"),
        Field("finess", "finess_et", "finess"),
        *(Field(name, target, "count", required=False) for name, target in _COUNTS),
    ),
    key=("finess_et", "year"),
)
HEADER = LAYOUT.header
IMPORTS = (
    TabularImport(
        "capacity",
        "capacity",
        LAYOUT,
        "capacity",
        "Capacités (lits et places) par établissement et par année.",
    ),
)

"""Hospital stays from the PMSI (programme de médicalisation des systèmes d'information) that
feed outcome indicators: here the total hip (non-fracture) and knee replacements of the
surgical-site infection indicator ISO-ORTHO, with the patient characteristics of its risk
model and whether an infection was found within 90 days in the chained stays.

The national chained PMSI tables are not open data; hospiscope reads a one-line-per-stay
extract in this documented layout (docs/formats/iso-ortho.md), which the demo writes:

    finess;annee;sejour;intervention;age;sexe;obesite;diabete;comorbidites;infection_90j
"""

from __future__ import annotations

from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

INTERVENTIONS = ("PTH", "PTG")  # prothèse totale de hanche (hors fracture) / de genou
COMORBIDITY_CLASSES = ("0", "1-2", "3+")  # Charlson comorbidity index, in classes

LAYOUT = Layout(
    name="pmsi-arthroplasties",
    label="séjours d'arthroplastie (PMSI)",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("annee", "year", "year"),
        Field("sejour", "stay_id", "text"),
        Field("intervention", "procedure", "choice", choices=INTERVENTIONS),
        Field("age", "age", "count", maximum=120),
        Field("sexe", "sex", "choice", choices=("H", "F")),
        Field("obesite", "obesity", "yesno"),
        Field("diabete", "diabetes", "yesno"),
        Field("comorbidites", "comorbidity", "choice", choices=COMORBIDITY_CLASSES),
        Field("infection_90j", "infection", "yesno"),
    ),
    key=("year", "stay_id"),
)
IMPORTS = (
    TabularImport(
        "pmsi-arthroplasties",
        "pmsi_arthroplasties",
        LAYOUT,
        "arthroplasty_stays",
        "Séjours de prothèse totale de hanche ou de genou (PMSI), pour ISO-ORTHO.",
        scope=(("year", "année"),),
    ),
)

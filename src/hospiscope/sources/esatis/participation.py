"""e-Satis participation: which eligible establishments took part in a campaign and whether
their submission was validated — what the NR ("non répondant") and NV ("non validé")
statuses come from. The published results files carry it in `participation` and `Depot`;
hospiscope reads it per questionnaire and campaign in this documented layout:

    finess;campagne;questionnaire;participation;depot_valide

`;`-separated, header line, `oui`/`non` (also `1`/`0`).
"""

from __future__ import annotations

from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

LAYOUT = Layout(
    name="esatis-participation",
    label="participation e-Satis",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("campagne", "campaign", "year"),
        Field("questionnaire", "questionnaire", "choice", choices=("mco48h", "ca", "smr")),
        Field("participation", "participated", "yesno"),
        Field("depot_valide", "validated", "yesno"),
    ),
    key=("finess_et", "campaign", "questionnaire"),
)
HEADER = LAYOUT.header
IMPORTS = (
    TabularImport(
        "esatis-participation",
        "esatis_participation",
        LAYOUT,
        "esatis_participation",
        "Participation e-Satis par établissement (statuts NR et NV).",
        scope=(("campaign", "campagne"), ("questionnaire", "questionnaire")),
    ),
)


def file_name(questionnaire: str, campaign: int) -> str:
    return f"esatis-{questionnaire}-participation-{campaign}.csv"

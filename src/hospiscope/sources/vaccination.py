"""Staff flu vaccination: staff vaccinated against influenza and staff total per establishment
and winter season (indicator validated in 2022, first mandatory measurement winter 2022-23).

The national export is not in our sources: hospiscope reads this documented layout
(docs/formats/vaccination.md), which the demo generator also writes:

    finess;saison;personnels_vaccines;personnels_total;non_concerne

`;`-separated, header line; `saison` is written `2023-2024` (from `2022-2023`); counts are
integers ≥ 0 and may be empty — missing data, status DI; `non_concerne` `oui` gives the
status NC (empty means `non`). One row per establishment and season: a new file replaces the
row of the same (establishment, season).
"""

from __future__ import annotations

from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

FIRST_SEASON = 2022  # winter 2022-2023, the first mandatory measurement
SEASONS = tuple(f"{year}-{year + 1}" for year in range(FIRST_SEASON, 2035))
TABLE = "vaccination_grippe"
LAYOUT = Layout(
    name="vaccination-grippe",
    label="vaccination antigrippale du personnel",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("saison", "season", "choice", choices=SEASONS),
        Field("personnels_vaccines", "vaccinated", "count", required=False),
        Field("personnels_total", "staff", "count", required=False),
        Field("non_concerne", "not_concerned", "yesno", required=False),
    ),
    key=("finess_et", "season"),
)
HEADER = LAYOUT.header
IMPORTS = (
    TabularImport(
        "vaccination",
        "vaccination_grippe",
        LAYOUT,
        TABLE,
        "Vaccination antigrippale du personnel : personnels vaccinés et effectif, "
        "par établissement et par saison hivernale.",
        scope=(("season", "saison"),),
    ),
)


def season_of_campaign(year: int) -> str:
    """The winter season measured in an IQSS campaign year (2024 → "2023-2024")."""
    return f"{year - 1}-{year}"


def file_name(season: str) -> str:
    return f"vaccination-grippe-{season}.csv"

"""Hand hygiene: consumption of alcohol-based hand rub (ICSHA, indicateur de consommation de
solutions hydro-alcooliques) per establishment and campaign year.

The indicator is the volume of hand rub consumed as a % of a personalised minimum objective
(ICSHA.2: a national reference number of frictions per patient-day by activity type × the
establishment's patient-days by discipline; the ICSHA.3 rules are not in our sources). The
national export is not in our sources either: hospiscope reads this documented layout
(docs/formats/hygiene.md), which the demo generator also writes:

    finess;annee;version;volume_consomme_litres;objectif_personnalise_litres;non_concerne

`;`-separated, header line; `version` is `ICSHA.2` or `ICSHA.3` (one indicator per version,
never mixed); volumes in litres (decimal comma accepted) may be empty — missing data, status
DI; `non_concerne` `oui` gives the status NC (empty means `non`). One row per establishment and
year: a new file replaces the row of the same (establishment, year), whatever its version.
"""

from __future__ import annotations

from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

VERSIONS = ("ICSHA.2", "ICSHA.3")
TABLE = "hygiene_icsha"
LAYOUT = Layout(
    name="icsha",
    label="consommation de solutions hydro-alcooliques (ICSHA)",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("annee", "year", "year"),
        Field("version", "version", "choice", choices=VERSIONS),
        Field("volume_consomme_litres", "volume_litres", "decimal", required=False, minimum=0),
        Field(
            "objectif_personnalise_litres",
            "objective_litres",
            "decimal",
            required=False,
            minimum=0,
        ),
        Field("non_concerne", "not_concerned", "yesno", required=False),
    ),
    key=("finess_et", "year"),
)
HEADER = LAYOUT.header
IMPORTS = (
    TabularImport(
        "icsha",
        "icsha",
        LAYOUT,
        TABLE,
        "Hygiène des mains : consommation de solutions hydro-alcooliques (ICSHA) "
        "et objectif personnalisé, par établissement et par année.",
        scope=(("year", "année"),),
    ),
)


def file_name(year: int) -> str:
    return f"icsha-{year}.csv"

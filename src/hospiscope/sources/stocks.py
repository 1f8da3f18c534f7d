"""Stock inventories of an establishment: the value of its stocks of medicines, medical devices
and other consumables at an inventory date, with the consumption of the same family over the 12
months before it — what the days-of-stock indicators read (ANAP target 28 days).

No national collection exists in our sources: hospiscope reads this documented layout
(docs/formats/stocks.md), which a pharmacy (PUI) or logistics system can export from its
stock valuation and consumption reports, and which the demo generator also writes:

    finess;date_inventaire;famille;valeur_stock;consommation_12_mois

`;`-separated, header line, dates dd/mm/yyyy (ISO accepted), amounts in euros with a
decimal comma accepted; `famille` is `MEDICAMENTS`, `DM` (dispositifs médicaux) or `AUTRES`
(other stocked consumables: general supplies, food, linen, office…); `consommation_12_mois`
(may be empty: status DI) is what left the stock of that family over the 12 months ending at
the inventory date, valued as the stock is (weighted average price). The 12-month total is
asked for rather than 12 monthly lines: it is what stock reports give, and all the rule
needs. One line per establishment, inventory date and family; an import of the same line
later replaces it.
"""

from __future__ import annotations

from hospiscope.sources.families import TabularImport
from hospiscope.sources.tabular import Field, Layout

FAMILIES = ("MEDICAMENTS", "DM", "AUTRES")
TABLE = "stock_inventories"
LAYOUT = Layout(
    name="stocks",
    label="inventaires de stocks",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("date_inventaire", "inventory_date", "date"),
        Field("famille", "stock_family", "choice", choices=FAMILIES),
        Field("valeur_stock", "stock_value", "decimal", minimum=0),
        Field("consommation_12_mois", "consumption_12m", "decimal", required=False, minimum=0),
    ),
    key=("finess_et", "inventory_date", "stock_family"),
)
HEADER = LAYOUT.header
# A file covers the years of its inventories for its establishments: a second file for the
# same establishment and year replaces the first only with --remplace, and the files of two
# establishments never collide (each establishment exports its own).
SCOPE = (("finess_et", "établissement"), ("year(inventory_date)", "année d'inventaire"))
IMPORTS = (
    TabularImport(
        "stocks",
        "stock_inventories",
        LAYOUT,
        TABLE,
        "Inventaires de stocks (médicaments, dispositifs médicaux, autres consommables) et "
        "consommation des 12 mois précédents, par établissement.",
        scope=SCOPE,
    ),
)


def file_name(year: int) -> str:
    return f"stocks-{year}.csv"

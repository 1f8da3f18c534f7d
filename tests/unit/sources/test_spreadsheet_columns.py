"""The two derivations of a spreadsheet column (the tabular layouts) agree value by value: what
the fast path's SQL accepts, the detailed reader accepts too and types the same way (the SQL
may refuse more: the fast path then leaves the file to the detailed reader), and the detailed
reader names the problems as the import messages do."""

import duckdb
import pytest

from hospiscope.sources.columns import MISSING, reader, sql_accepts, sql_typed
from hospiscope.sources.tabular import Field

COLUMNS = [
    Field("annee", "year", "year"),
    Field("nombre", "count", "count", maximum=500),
    Field("dossier", "record", "count", minimum=1, maximum=9999),
    Field("taux", "rate", "decimal", required=False, minimum=0, maximum=100),
    Field("volume", "volume", "decimal", required=False, minimum=0),
    Field("libelle", "label", "text", required=False),
    Field("present", "present", "yesno", required=False),
    Field("type", "kind", "choice", choices=("A", "B", "l'autre")),
    Field("finess", "finess_et", "finess"),
    Field("date", "date", "date", required=False),
]
TEXTS = [
    "0",
    "1",
    "12",
    "0012",
    "12,0",
    "12.5",
    "81,5",
    "-1",
    "-0,5",
    "1e1",
    "1 234",
    "1\u202f2,5",
    "500",
    "501",
    "9999",
    "10000",
    "1989",
    "1990",
    "2100",
    "2101",
    "٣",
    "1_0",
    "oui",
    "OUI",
    "Vrai",
    "n",
    "peut-être",
    "A",
    "a",
    "B",
    "l'autre",
    "C",
    "« guillemets »",
    "x" * 200,
    "010000065",
    "10000065",
    "010000066",  # wrong check digit: SQL checks the shape only
    "000000000",
    "2A0000028",
    "2a0000028",
    "2C0000028",
    "01000006",
    "0100000651",
    "970300000",
    "31/01/2024",
    "2024-01-31",
    "29/02/2024",
    "29/02/2023",
    "31/02/2024",
    "1/2/2024",
    "2024-1-31",
    "0000-01-01",
    "31/01/24",
    "20240131",
]


def sql_outcome(con, column, text):
    """(accepted, typed value): typed apart, as the fast path types only checked rows."""
    accepts = sql_accepts(column, "v")
    if accepts is None:
        return True, text

    def value(expression):
        return con.execute(f"SELECT {expression} FROM (SELECT ?::VARCHAR AS v)", [text]).fetchall()[
            0
        ][0]

    if not value(f"coalesce({accepts}, false)"):
        return False, None
    return True, value(sql_typed(column, "v"))


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: c.name)
def test_what_sql_accepts_python_accepts_alike(column):
    read = reader(column)
    accepted = 0
    with duckdb.connect() as con:
        for text in TEXTS:
            sql_accepted, sql_value = sql_outcome(con, column, text)
            value, problem = read(text)
            if sql_accepted:
                accepted += 1
                if column.kind == "finess" and problem and "clé de contrôle" in problem:
                    continue  # checked on the stored numbers (test_tabular_fast.py)
                assert problem is None, (column.name, text, problem)
                assert sql_value == value and type(sql_value) is type(value), (column.name, text)
    assert accepted  # every column accepts some of the texts


def test_problems_are_named_as_the_import_messages():
    year, count = Field("annee", "year", "year"), Field("dossier", "n", "count", minimum=1)
    assert reader(year)(None) == (None, MISSING)
    assert reader(Field("x", "x", "text", required=False))(None) == (None, None)
    assert reader(year)("1989") == (None, "année invalide, reçu « 1989 »")
    assert reader(year)("deux") == (None, "nombre attendu, reçu « deux »")
    assert reader(count)("0") == (None, "valeur inférieure au minimum (1), reçu « 0 »")
    assert reader(count)("1,5") == (None, "nombre entier positif attendu, reçu « 1,5 »")
    assert reader(count)("12,0") == (12, None)
    choice = Field("type", "kind", "choice", choices=("A", "B"))
    assert reader(choice)("C") == (None, "valeur attendue parmi A, B, reçu « C »")
    assert reader(Field("f", "f", "finess"))("10000065") == ("010000065", None)
    assert reader(Field("f", "f", "finess"))("010000066") == (
        None,
        "numéro FINESS « 010000066 » : clé de contrôle incorrecte, reçu « 010000066 »",
    )
    yesno = Field("o", "o", "yesno")
    assert reader(yesno)("NON") == (False, None)
    assert reader(yesno)("peut-être") == (None, "oui ou non attendu, reçu « peut-être »")

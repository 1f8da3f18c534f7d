"""The case-mix cell of every respondent, on every engine: every level of the four
variables (missing answers included) gets its own cell code, read back to the same labels as
the pandas reference. Men in elderly bands used to be coded wrong on Polars (int8 overflow of
`sex * 100`), which changed its national case-mix model."""

from hospiscope.catalogue.definitions._esatis_respondents import table_name
from hospiscope.catalogue.derived import derived_tables

from speclib import arrow_table

# One respondent per row, each answering the same item, covering each level of each variable.
RESPONSES = """
finess_et | campaign | response_id | age | sex | admission_mode | self_rated_health | complete | acc_admission | import_run_id
010000024 | 2024 | r1 | 30 | F | urgence   | 1 | true | 4 | 1
010000024 | 2024 | r2 | 50 | H | programme | 2 | true | 4 | 1
010000024 | 2024 | r3 | 70 | H | urgence   | 3 | true | 4 | 1
010000024 | 2024 | r4 | 90 | H | programme | 4 | true | 4 | 1
010000024 | 2024 | r5 |    |   |           | 5 | true | 4 | 1
010000024 | 2024 | r6 | 80 | H |           |   | true | 4 | 1
"""
EXPECTED = {  # cellule → (classe_age, sexe, mode_entree, etat_sante)
    1111: ("18-44", "F", "urgence", "1"),
    2222: ("45-64", "H", "programme", "2"),
    3213: ("65-74", "H", "urgence", "3"),
    4224: ("75+", "H", "programme", "4"),
    5: ("NR", "NR", "NR", "5"),
    4200: ("75+", "H", "NR", "NR"),
}
COLUMNS = ["cellule", "classe_age", "sexe", "mode_entree", "etat_sante"]


def cells(frame):
    rows = frame.sort_values("cellule")[COLUMNS].itertuples(index=False)
    return {int(r[0]): tuple(str(v) for v in r[1:]) for r in rows}


def test_every_case_mix_level_has_its_cell(engine, warehouse_schemas):
    table = arrow_table(warehouse_schemas["esatis_mco48h"], RESPONSES)
    derived = derived_tables()[table_name("mco48h")]
    built = engine.execute(derived.build(engine.load({"esatis_mco48h": table})))
    assert cells(built) == EXPECTED
    assert cells(derived.reference({"esatis_mco48h": table.to_pandas()})) == EXPECTED

"""The column model's two derivations agree: on every column of the e-Satis layout and on
tricky texts, DuckDB's check (sql_failing) refuses exactly what the Python reader refuses,
and both give the same typed value to what they accept."""

import datetime as dt

import duckdb
import pytest

from hospiscope.sources.columns import MISSING, SPACES, reader, sql_failing, sql_typed
from hospiscope.sources.esatis.layout import columns
from hospiscope.sources.esatis.questionnaires import MCO48H

TEXTS = [
    None,
    "",
    "1",
    "4",
    "9",
    "0",
    "5",
    "10",
    "01",
    "-1",
    "+1",
    "1.0",
    "1e2",
    "0x10",
    "1_0",
    "٣",  # a digit Python's int() reads, not [0-9]
    "2016",
    "2015",
    "2100",
    "02024",
    "2024.0",
    "120",
    "121",
    "H",
    "F",
    "h",
    "HF",
    "urgence",
    "Urgence",
    "mco48h",
    "ca",
    "smr",
    "010000065",
    "2A0000065",
    "2a0000065",
    "01000006",
    "0100000651",
    "10/03/2024",
    "31/02/2024",
    "29/02/2023",
    "29/02/2024",
    "1/3/2024",
    "2024-03-10",
    "2024-03-10 10:00:00",
    "2024-03-10T10:00:00",
    "2024-13-10",
    "2024-03-10 25:00:00",
    "10-03-2024",
    "x" * 64,
    "x" * 65,
    "é" * 120,
    "é" * 121,
    "x" * 10001,
]


def duckdb_outcome(con, column, text):
    checks = f"{sql_failing(column, 'v')}, {sql_typed(column, 'v')}"
    failing, typed = con.execute(
        f"SELECT {checks} FROM (SELECT ?::VARCHAR AS v)", [text]
    ).fetchall()[0]
    return failing, None if failing else typed


@pytest.mark.parametrize(
    "column", columns(MCO48H)[:16] + columns(MCO48H)[-3:], ids=lambda c: c.name
)
def test_sql_and_python_checks_agree(column):
    read = reader(column)
    with duckdb.connect() as con:
        for text in TEXTS:
            refused, value = duckdb_outcome(con, column, text)
            typed, problem = read(text)
            assert refused == (problem is not None), (column.name, text, problem)
            if not refused:
                assert value == typed, (column.name, text)


def test_problems_name_the_value():
    date = next(c for c in columns(MCO48H) if c.name == "date_sortie")
    assert reader(date)("31/02/2024") == (
        None,
        "date de sortie invalide (jj/mm/aaaa attendu) : « 31/02/2024 »",
    )
    assert reader(date)("2024-03-10 10:00:00") == (dt.date(2024, 3, 10), None)
    finess = columns(MCO48H)[0]
    assert reader(finess)(None) == (None, MISSING)


def test_spaces_are_those_duckdb_trims():
    chars = [chr(code) for code in range(1, 0x3001)]
    with duckdb.connect() as con:
        trimmed = con.execute(
            "SELECT list_transform(?, lambda c: trim(c || 'a' || c) = 'a')", [chars]
        ).fetchall()[0][0]
    assert [c for c, removed in zip(chars, trimmed, strict=True) if removed] == list(SPACES)

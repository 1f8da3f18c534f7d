"""The one-pass import of tabular files (DuckDB checks and stores in one statement) stores
exactly the rows of the line-by-line reader, or steps aside (None): on every real-layout
fixture of the families, valid or broken, and on files written to probe each kind of value at
its edges."""

from pathlib import Path

import duckdb
import pytest

from hospiscope.sources.families import tabular_imports
from hospiscope.sources.finess.numbers import luhn_check_digit
from hospiscope.sources.tabular import Field, Layout, read_table
from hospiscope.sources.textfile import detect_encoding
from hospiscope.warehouse.tabular import store_one_pass

from support import FIXTURES

FAMILY_FIXTURES = sorted(
    path
    for family in (
        "audits", "certification", "facturation", "hygiene", "payments", "stocks", "vaccination"
    )
    for path in (FIXTURES / family).rglob("*.csv")
)
PROBE = Layout(
    name="sonde",
    label="fichier de test",
    fields=(
        Field("finess", "finess_et", "finess"),
        Field("annee", "year", "year"),
        Field("nombre", "count", "count", maximum=500),
        Field("taux", "rate", "decimal", required=False, minimum=0, maximum=100),
        Field("libelle", "label", "text", required=False),
        Field("present", "present", "yesno", required=False),
        Field("type", "kind", "choice", choices=("A", "B")),
        Field("date", "date", "date", required=False),
    ),
    key=("finess_et", "year", "kind"),
)
HEADER = "finess;annee;nombre;taux;libelle;present;type;date"
GOOD = "010000065;2024;12;81,5;Service Est;oui;A;31/01/2024"


def finess(n: int) -> str:
    body = f"0100{n:04d}"
    return body + luhn_check_digit(body)


def fast_rows(path: Path, layout: Layout) -> list[dict] | None:
    """The rows the one-pass import stores in a table of the layout's columns, or None."""
    columns = ", ".join(f'"{f.target}" {f.sql_type}' for f in layout.fields)
    with duckdb.connect() as con:
        con.execute(f"CREATE TABLE t ({columns}, import_run_id INTEGER)")
        con.execute("BEGIN")  # as in an import: a refused statement stores nothing
        if store_one_pass(con, path, layout, "t", detect_encoding(path), 1) is None:
            return None
        rows = con.sql("SELECT * EXCLUDE (import_run_id) FROM t").fetchall()
        names = [f.target for f in layout.fields]
        return [dict(zip(names, row, strict=True)) for row in rows]


def outcome(path: Path, layout: Layout):
    """(fast rows or None, line-by-line rows, issues), rows as sorted comparable tuples."""
    fast = fast_rows(path, layout)
    rows, issues = read_table(path, layout)

    def comparable(records):
        return sorted((tuple(sorted(r.items())) for r in records), key=repr)

    return (None if fast is None else comparable(fast)), comparable(rows), issues


def layout_of(path: Path) -> Layout:
    """The layout of a fixture, from its folder (broken files may not have a readable
    header)."""
    command = {
        "audits": "audits",
        "hygiene": "icsha",
        "vaccination": "vaccination",
        "stocks": "stocks",
        "payments": "cotisations-sociales"
        if "cotisations" in path.name
        else "paiements-fournisseurs",
        "facturation": "cdri" if path.name.startswith("cdri") else "factures",
        "certification": "certification-criteres"
        if "criteres" in path.name
        else "certification-decisions",
    }[path.relative_to(FIXTURES).parts[0]]
    return tabular_imports()[command].layout


@pytest.mark.parametrize("path", FAMILY_FIXTURES, ids=lambda p: p.name)
def test_family_fixtures_give_the_same_rows_or_step_aside(path):
    fast, rows, issues = outcome(path, layout_of(path))
    if "broken" in path.parts:
        assert issues and fast is None  # every broken fixture is left to the detailed reader
    else:
        assert not issues and fast == rows  # every valid one takes the fast path


def probe(tmp_path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "sonde.csv"
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize(
    "line",
    [
        GOOD,
        f"{finess(7)};2024;0;;;;B;",  # optional values empty
        f"{finess(7)};2024;500;100;x;NON;B;2024-01-31",  # bounds, upper-case, ISO date
        f"{finess(7)};2024;0012;0.25;« guillemets » et ;;B;",  # leading zeros, inner spaces
        f"{finess(7)}; 2024 ;12;81,5;  Service  ;Vrai;A;",  # ASCII spaces around
        f"{finess(7)[1:]};2024;12;81,5;x;oui;A;",  # leading zero dropped by a spreadsheet
        f"{finess(7)};2 024;1 00;1\u202f2,5;;;A;",  # spaces and thin spaces in numbers
        f"{finess(7)};2024;12;;\u00a0Service\u00a0;;A;",  # non-breaking spaces, stripped
    ],
)
def test_values_the_fast_path_converts(tmp_path, line):
    fast, rows, issues = outcome(probe(tmp_path, [GOOD.replace("A;", "B;", 1), line]), PROBE)
    assert not issues and fast == rows


@pytest.mark.parametrize(
    "line",
    [
        f"{finess(7)};2024;12,0;;;;A;",  # a whole number written as a decimal
        f"{finess(7)};2024;12;1e1;;;A;",  # exponent
        f"{finess(7)};2024;12;;\tService;;A;",  # tab padding
        f"{finess(7)};2024;12;;Ser\x1cvice\x1c;;A;",  # separators Python strips
        f'{finess(7)};2024;12;;il a dit ""oui"";;A;',  # quotes inside a value
        f'{finess(7)};2024;12;;"a;b";;A;',  # quoted separator
        f"{finess(7)};2024;12;;a\rb;;A;",  # a lone carriage return ends a line for csv
        f"{finess(7)};2024;12;;;;A;;",  # one field too many
        f"{finess(7)};2024;12;;;;A",  # one field missing
        ";;;;;;;",  # empty record
        f"{finess(7)};2024;501;;;;A;",  # above the maximum
        f"{finess(7)};1989;12;;;;A;",  # year out of range
        f"{finess(7)};2024;12;;;peut-être;A;",
        f"{finess(7)};2024;12;;;;C;",
        f"{finess(7)};2024;12;;;;A;31/02/2024",
        f"{finess(7)[:-1]}0;2024;12;;;;A;",  # wrong check digit
        GOOD,  # duplicate key
    ],
)
def test_values_left_to_the_line_by_line_reader(tmp_path, line):
    fast, rows, issues = outcome(probe(tmp_path, [GOOD, line]), PROBE)
    assert fast is None, (rows, issues)


def test_windows_1252_file(tmp_path):
    path = probe(tmp_path, [GOOD.replace("Service Est", "Hôpital de jour")], encoding="cp1252")
    fast, rows, issues = outcome(path, PROBE)
    assert not issues and fast == rows and ("label", "Hôpital de jour") in fast[0]


def test_blank_lines_are_skipped_as_line_by_line(tmp_path):
    path = probe(tmp_path, [GOOD, "", GOOD.replace("A;", "B;", 1)])
    fast, rows, issues = outcome(path, PROBE)
    assert not issues and len(rows) == 2 and fast in (rows, None)

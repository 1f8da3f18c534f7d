"""The tabular writer reads a large file with DuckDB's fast path and a small one line by line
(warehouse/tabular.py, FAST_PATH_MIN_BYTES); whichever it takes, an import stores and reports
the same: a large audit file is imported both ways, in two warehouses, and compared."""

import pytest

from hospiscope import pipeline
from hospiscope.sources.finess.numbers import luhn_check_digit
from hospiscope.warehouse import Warehouse, tabular

from support import FIXTURES

HEADER = "finess;campagne;indicateur;dossier;conforme"


def finess(n: int) -> str:
    body = f"0100{n:04d}"
    return body + luhn_check_digit(body)


def audit_file(path, broken: bool = False):
    lines = [
        f"{finess(n % 40)};2024;CA_QLS;{n // 40 + 1};{'oui' if n % 3 else 'non'}"
        for n in range(12_000)
    ]
    if broken:
        lines[9_000] = lines[9_000].replace(";2024;", ";20x4;")
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    assert path.stat().st_size >= tabular.FAST_PATH_MIN_BYTES
    return path


def import_both_ways(tmp_path, monkeypatch, path, **options):
    found = []
    for minimum in (tabular.FAST_PATH_MIN_BYTES, float("inf")):
        taken = []

        def fast(*args, store=tabular.store_one_pass, taken=taken):
            taken.append(store(*args))
            return taken[-1]

        monkeypatch.setattr(tabular, "FAST_PATH_MIN_BYTES", minimum)
        monkeypatch.setattr(tabular, "store_one_pass", fast)
        with Warehouse(tmp_path / f"entrepot-{minimum}.duckdb") as warehouse:
            pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
            try:
                done = pipeline.import_tabular(warehouse, "audits", path, **options).written
                outcome = (done.rows_read, done.rows_accepted, done.issues)
            except Exception as error:  # InvalidFile: compared by its issues
                outcome = ("refusé", getattr(error, "issues", error))
            stored = warehouse.con.execute(
                "SELECT * EXCLUDE (import_run_id) FROM audit_records ORDER BY ALL"
            ).fetchall()
        found.append((outcome, stored, [t is not None for t in taken]))
        monkeypatch.undo()
    (fast_outcome, fast_rows, fast_taken), (slow_outcome, slow_rows, slow_taken) = found
    assert (fast_outcome, fast_rows) == (slow_outcome, slow_rows) and slow_taken == []
    return fast_outcome, fast_rows, fast_taken


def test_a_large_valid_file_takes_the_fast_path(tmp_path, monkeypatch):
    outcome, rows, taken = import_both_ways(tmp_path, monkeypatch, audit_file(tmp_path / "a.csv"))
    assert taken == [True] and outcome[:2] == (12_000, 12_000) and len(rows) == 12_000


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_a_large_broken_file_is_read_line_by_line(tmp_path, monkeypatch, skip_invalid):
    path = audit_file(tmp_path / "b.csv", broken=True)
    outcome, rows, taken = import_both_ways(tmp_path, monkeypatch, path, skip_invalid=skip_invalid)
    assert taken == [False]
    if skip_invalid:
        assert outcome[:2] == (12_000, 11_999) and len(rows) == 11_999
    else:
        assert outcome[0] == "refusé" and [i.line for i in outcome[1]] == [9_002] and not rows

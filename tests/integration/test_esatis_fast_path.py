"""The fast path of the e-Satis import (one statement checking and storing the file, rolled back
when anything fails) stores and reports exactly what the detailed reader does: each file is
imported both ways, in two warehouses, and the outcomes, the issues and the stored rows (in
their order) are compared."""

import csv
import io

import duckdb
import pytest

from hospiscope import pipeline
from hospiscope.sources.finess.numbers import luhn_check_digit
from hospiscope.sources.issues import InvalidFile
from hospiscope.sources.textfile import READ_CSV, detect_encoding
from hospiscope.warehouse import Warehouse, esatis

from support import FIXTURES

EXTRACT = FIXTURES / "esatis" / "esatis-mco48h-extrait.csv"
REGISTRY = FIXTURES / "finess" / "etalab-extrait.csv"
UNKNOWN = "019999" + "99" + luhn_check_digit("01999999")  # valid, absent from the registry
BAD_KEY = "010000107"[:-1] + str((int("010000107"[-1]) + 1) % 10)


def records() -> tuple[list[str], list[list[str]]]:
    with EXTRACT.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = csv.reader(handle, delimiter=";")
    return header, rows


def written(path, header, rows, encoding="utf-8-sig"):
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def with_finess(path, old: str, new: str):
    header, rows = records()
    return written(path, header, [[new if v == old else v for v in row] for row in rows])


def import_both(tmp_path, monkeypatch, path, skip_invalid=False):
    """(outcome, stored rows, fast path taken), the same with and without the fast path."""
    results = []
    for fast in (True, False):
        taken = []

        def write_fast(*args, store=esatis._write_fast, fast=fast, taken=taken):
            result = store(*args) if fast else None
            taken.append(result is not None)
            return result

        monkeypatch.setattr(esatis, "_write_fast", write_fast)
        with Warehouse(tmp_path / f"entrepot-{fast}.duckdb") as warehouse:
            pipeline.import_registry(warehouse, REGISTRY)
            try:
                done = pipeline.import_esatis(warehouse, path, skip_invalid=skip_invalid).written
                outcome = (done.rows_read, done.rows_accepted, done.encoding, done.issues)
            except InvalidFile as error:
                outcome = ("refusé", error.issues)
            con = warehouse.con
            stored = con.execute("SELECT * FROM esatis_mco48h ORDER BY rowid").fetchall()
            setting = con.execute("SELECT current_setting('disabled_optimizers')").fetchall()
            results.append((outcome, stored, setting, any(taken)))
        monkeypatch.undo()
    (outcome, stored, setting, fast), detailed = results
    assert (outcome, stored) == detailed[:2]
    assert setting == detailed[2] == [("",)]  # the planner's settings are left as they were
    return outcome, stored, fast


def test_a_valid_file_takes_the_fast_path(tmp_path, monkeypatch):
    outcome, stored, fast = import_both(tmp_path, monkeypatch, EXTRACT)
    assert fast and outcome[:3] == (60, 60, "UTF-8 avec BOM") and len(stored) == 60


def test_unknown_establishment_warned_at_its_first_line(tmp_path, monkeypatch):
    path = with_finess(tmp_path / "inconnu.csv", "010000115", UNKNOWN)
    (_, _, _, issues), _, fast = import_both(tmp_path, monkeypatch, path)
    [warning] = issues
    content = path.read_bytes()
    first_line = content.count(b"\n", 0, content.index(UNKNOWN.encode())) + 1
    assert fast and warning.line == first_line and warning.severity == "avertissement"


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_bad_finess_key(tmp_path, monkeypatch, skip_invalid):
    path = with_finess(tmp_path / "cle.csv", "010000107", BAD_KEY)
    outcome, stored, fast = import_both(tmp_path, monkeypatch, path, skip_invalid)
    issues = outcome[-1]
    # Check digits are checked on the stored numbers: a wrong one sends the file to the
    # detailed reader, which names every record.
    assert not fast and len(issues) == 25 and all("clé de contrôle" in i.reason for i in issues)
    assert len(stored) == (35 if skip_invalid else 0)


def test_padded_values_are_trimmed_by_the_detailed_path(tmp_path, monkeypatch):
    header, rows = records()
    rows[0][header.index("sexe")] = " F "
    rows[1][header.index("acc_admission")] = "\u00a03"
    rows[2][header.index("finess")] += " "
    rows[3][header.index("inf_ecoute")] = " "
    path = written(tmp_path / "espaces.csv", header, rows)
    outcome, stored, fast = import_both(tmp_path, monkeypatch, path)
    assert not fast and outcome[:2] == (60, 60)
    assert stored[0][header.index("sexe") - 1] == "F"


def test_windows_1252_file(tmp_path, monkeypatch):
    header, rows = records()
    path = written(tmp_path / "ansi.csv", header, rows, encoding="cp1252")
    outcome, stored, fast = import_both(tmp_path, monkeypatch, path)
    assert fast and outcome[:3] == (60, 60, "Windows-1252") and len(stored) == 60


def test_truncated_file(tmp_path, monkeypatch):
    outcome, _, _ = import_both(tmp_path, monkeypatch, FIXTURES / "broken" / "esatis-tronque.csv")
    assert outcome[0] == "refusé" and "champs au lieu de" in outcome[1][0].reason


def encoding_outcome(detect, path):
    try:
        return detect(path)
    except InvalidFile as error:
        return error.issues


def duckdb_reads(path) -> bool:
    try:
        with duckdb.connect() as con:
            con.execute(f"SELECT * FROM {READ_CSV}", [str(path)]).fetchall()
    except duckdb.Error:
        return False
    return True


@pytest.mark.parametrize(
    "content",
    [
        b"a;b\r\n1;caf\xc3\xa9\r\n",
        b"\xef\xbb\xbfa;b\r\n1;caf\xc3\xa9\r\n",
        b"a;b\n1;caf\xe9\n",  # Windows-1252
        b"a;b\n1;\xc3\xa9\n2;\xe9\n",  # damaged UTF-8
        b"\xef\xbb\xbfa;b\n2;\xe9\n",
        b"a;b\n1;\x81\n",  # undefined in Windows-1252
        b"\xff\xfea\x00;\x00",  # UTF-16
        b"a;b\n1;a\x00b\n",
        b"a;b\n1;a\xc0\xaf\n",  # overlong
        b"a;b\n1;a\xe0\x80\xaf\n",
        b"a;b\n1;a\xed\xa0\x80\n",  # surrogate
        b"a;b\n1;a\xf4\x90\x80\x80\n",  # above U+10FFFF
        b"a;b\n1;a\xef\xbf\xbe\n",  # noncharacter: valid
        b"a;b\n1;ab\xe2\x82",  # truncated at the end
        b'a;b\n1;"a\xe9"\n',  # in a quoted value
    ],
)
def test_duckdb_reads_as_utf8_what_python_detects_as_utf8(tmp_path, content):
    """The import first takes a file for UTF-8 and lets DuckDB's reader check every byte
    while it reads the file once: it must accept exactly the files detect_encoding finds to be
    UTF-8 (the others are then detected by Python, which names the bad byte)."""
    path = tmp_path / "fichier.csv"
    path.write_bytes(content)
    detected = encoding_outcome(detect_encoding, path)
    utf8 = not isinstance(detected, list) and detected.name in ("utf-8", "utf-8-sig")
    assert duckdb_reads(path) == utf8


def test_a_damaged_byte_far_in_the_file_is_named_by_python(tmp_path, monkeypatch):
    header, rows = records()
    rows[-1][header.index("commentaire_positif")] = "caf\udce9"
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    content = text.getvalue().encode("utf-8", "surrogateescape")
    path = tmp_path / "abime.csv"
    path.write_bytes(content)  # accents before the bad byte: a damaged UTF-8 file
    outcome, stored, _ = import_both(tmp_path, monkeypatch, path)
    assert outcome[0] == "refusé" and "octet invalide en UTF-8" in outcome[1][0].reason
    assert not stored


def test_a_name_that_globs_another_file(tmp_path, monkeypatch):
    header, rows = records()
    written(tmp_path / "x1.csv", header, rows[:10])
    path = written(tmp_path / "x[1].csv", header, rows)
    outcome, stored, fast = import_both(tmp_path, monkeypatch, path)
    assert fast and outcome[:2] == (60, 60) and len(stored) == 60

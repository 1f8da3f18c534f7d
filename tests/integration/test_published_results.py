"""Published e-Satis results (HAS open-data layout) become results of origin "publie": the
file's classes and statuses are kept exactly, apart from hospiscope's own results."""

import csv
import io

import pytest
from rich.console import Console

from hospiscope import pipeline
from hospiscope.cli.render import show_outcome
from hospiscope.results.store import read_results
from hospiscope.sources.issues import InvalidFile
from hospiscope.warehouse.unregistered import unregistered_finess

from support import BUNDLED_GISCO, FIXTURES, table_fingerprint

FILE = FIXTURES / "published" / "resultats-esatis48h-mco-open-data-2019.csv"


def file_labels() -> dict[str, str]:
    text = FILE.read_bytes().decode("cp1252")
    return {
        row["finess_geo"]: row["classement"]
        for row in csv.DictReader(io.StringIO(text), delimiter=";")
    }


def test_classes_and_statuses_are_those_of_the_file(warehouse):
    outcome = pipeline.import_published_results(warehouse, FILE)
    assert outcome.written.rows_accepted == 42 and outcome.written.encoding == "Windows-1252"
    metadata = outcome.written.metadata
    assert (metadata["questionnaire"], metadata["campagne"]) == ("mco48h", 2019)
    assert metadata["registre_vide"] and len(metadata["absents_du_registre"]) == 42
    stored = read_results(warehouse.con, indicator="ESATIS48H_SCORE", origin="publie")
    labels = dict(zip(stored["entity_id"], stored["class"].fillna(stored["status"]), strict=True))
    assert labels == file_labels()
    assert read_results(warehouse.con, indicator="ESATIS48H_SCORE", origin="calcul").empty


def test_boundary_values_and_decimal_comma(warehouse):
    pipeline.import_published_results(warehouse, FILE)
    stored = read_results(warehouse.con, indicator="ESATIS48H_SCORE", origin="publie")
    first = stored.set_index("entity_id").loc[list(file_labels())[:3]]
    assert first["value"].tolist() == pytest.approx([79.7, 76.5, 73.1])
    assert first["class"].tolist() == ["A", "B", "C"]
    reco = read_results(warehouse.con, indicator="ESATIS48H_RECO", origin="publie")
    assert reco["value"].dropna().between(45, 75).all()
    dims = read_results(warehouse.con, indicator="ESATIS48H_PEC_INFIRMIER", origin="publie")
    assert len(dims) == 42


def test_broken_published_file(warehouse, tmp_path):
    text = FILE.read_bytes().decode("cp1252").splitlines()
    text[4] = (
        text[4]
        .replace(";A;", ";Z;")
        .replace(";B;", ";Z;")
        .replace(";C;", ";Z;")
        .replace(";D;", ";Z;")
    )
    fields = text[6].split(";")
    fields[2] = "01000002X"  # finess_geo
    text[6] = ";".join(fields)
    broken = tmp_path / "resultats-esatis48h-mco-open-data-2019.csv"
    broken.write_bytes("\r\n".join(text).encode("cp1252"))
    before = table_fingerprint(warehouse)
    with pytest.raises(InvalidFile) as error:
        pipeline.import_published_results(warehouse, broken)
    found = {(i.line, i.column) for i in error.value.issues}
    assert (5, "classement") in found and (7, "finess_geo") in found
    assert table_fingerprint(warehouse) == before


def test_campaign_must_be_known(warehouse, tmp_path):
    nameless = tmp_path / "resultats.csv"
    nameless.write_bytes(FILE.read_bytes())
    with pytest.raises(InvalidFile, match="précisez --questionnaire et --campagne"):
        pipeline.import_published_results(warehouse, nameless)
    outcome = pipeline.import_published_results(
        warehouse, nameless, campaign=2019, questionnaire="mco48h"
    )
    assert outcome.written.rows_accepted == 42


def test_establishments_absent_from_the_registry_are_kept_and_reported(warehouse):
    """The army hospital is in the etalab extract (aggregate 2205, in scope); the Nancy
    establishment is in no registry: its result is stored and the import names it."""
    pipeline.import_registry(warehouse, BUNDLED_GISCO)
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    outcome = pipeline.import_published_results(warehouse, FILE)
    assert outcome.written.metadata["absents_du_registre"] == ["540026895"]
    assert "registre_vide" not in outcome.written.metadata
    stored = read_results(warehouse.con, indicator="ESATIS48H_SCORE", origin="publie")
    assert len(stored) == 42 and {"130786742", "540026895"} <= set(stored["entity_id"])
    assert unregistered_finess(warehouse.con) == ["540026895"]
    run = warehouse.con.execute(
        "SELECT metadata->>'absents_du_registre' FROM import_runs WHERE run_id = ?",
        [outcome.run_id],
    ).fetchall()
    assert run == [('["540026895"]',)]
    console = Console(record=True, width=200)
    show_outcome(console, outcome)
    assert (
        "1 établissement absent du registre FINESS importé : 540026895 (lignes gardées"
        in console.export_text()
    )

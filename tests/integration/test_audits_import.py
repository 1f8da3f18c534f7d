"""Audited-record files: typed storage, results computed from them end to end, re-import,
corrected files, broken files (every problem reported, nothing changed), --skip-invalid,
and the demo files going through the real importer."""

import json

import numpy as np
import polars as pl
import pytest

from hospiscope import pipeline
from hospiscope.demo.capacity import generate_capacity
from hospiscope.demo.families import DemoContext
from hospiscope.demo.families import audits as demo_audits
from hospiscope.results.compute import compute_indicators
from hospiscope.results.store import read_results
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, table_fingerprint

EXTRACT = FIXTURES / "audits" / "dossiers-audites-extrait.csv"
BROKEN = FIXTURES / "audits" / "broken"
HEADER = "finess;campagne;indicateur;dossier;conforme"


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def import_audits(warehouse, path, **options):
    return pipeline.import_tabular(warehouse, "audits", path, **options)


def test_extract_is_stored_typed(registry):
    outcome = import_audits(registry, EXTRACT)
    assert (outcome.written.layout, outcome.written.rows_accepted) == ("dossiers-audites", 172)
    assert outcome.written.encoding == "UTF-8 avec BOM" and not outcome.written.issues
    rows = registry.con.execute("""SELECT typeof(campaign), typeof(record_number),
        count(*), count(DISTINCT finess_et), min(length(finess_et)),
        count(*) FILTER (outcome = 'NA') FROM audit_records GROUP BY ALL""").fetchall()
    assert rows == [("INTEGER", "INTEGER", 172, 4, 9, 7)]
    restored = registry.con.execute(
        "SELECT count(*) FROM audit_records WHERE finess_et = '010000107'"
    ).fetchall()
    assert restored == [(30,)]  # leading zero restored


def test_results_from_the_extract(registry):
    import_audits(registry, EXTRACT)
    codes = ["AUDIT_CA_QLS", "AUDIT_MCO_QLS", "AUDIT_HAD_DOSSIER", "AUDIT_PSY_CARDIO"]
    compute_indicators(registry, codes)
    ca = read_results(registry.con, indicator="AUDIT_CA_QLS", entity_id="010000065")
    ca = ca.set_index("period")
    assert (ca.loc["2024", "numerator"], ca.loc["2024", "denominator"]) == (22, 31)
    assert ca.loc["2024", "value"] == pytest.approx(2200 / 31)
    assert ca.loc["2024", "ci_method"] == "Clopper-Pearson"
    assert (ca.loc["2023", "numerator"], ca.loc["2023", "denominator"]) == (18, 30)
    details = json.loads(ca.loc["2024", "details"])
    assert details["position_national"] == "non significativement différent"  # sole one
    di = read_results(registry.con, indicator="AUDIT_MCO_QLS", entity_id="970302071")
    assert di["status"].tolist() == ["DI"] and di["value"].isna().all()
    psy = read_results(registry.con, indicator="AUDIT_PSY_CARDIO", entity_kind="region")
    assert psy[["entity_id", "numerator", "denominator"]].values.tolist() == [["94", 21, 30]]
    had = read_results(registry.con, indicator="AUDIT_HAD_DOSSIER", entity_kind="national")
    assert (had["numerator"].item(), had["denominator"].item()) == (28, 30)
    assert had["import_runs"].item() is not None


def test_reimport_is_skipped_and_a_corrected_file_replaces_its_records(registry, tmp_path):
    first = import_audits(registry, EXTRACT)
    before = table_fingerprint(registry)
    assert import_audits(registry, EXTRACT).skipped
    assert table_fingerprint(registry) == before
    corrected = tmp_path / "corrige.csv"
    corrected.write_text(
        "\r\n".join([HEADER, "010000065;2024;CA_QLS;1;non", "010000065;2024;CA_QLS;32;oui"])
        + "\r\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidFile, match="--remplace"):  # same campaign: a correction?
        import_audits(registry, corrected)
    second = import_audits(registry, corrected, replace=True)
    rows = registry.con.execute("""SELECT campaign, record_number, outcome, import_run_id
        FROM audit_records WHERE finess_et = '010000065' AND indicator = 'CA_QLS'
        AND record_number IN (1, 2, 32) ORDER BY 1, 2""").fetchall()
    assert rows == [
        (2023, 1, "oui", first.run_id),
        (2023, 2, "oui", first.run_id),
        (2024, 1, "non", second.run_id),
        (2024, 32, "oui", second.run_id),
    ]
    assert registry.count("audit_records") == 33  # campaign 2024 replaced: 31 of 2023 + 2


def refused(warehouse, name):
    before = table_fingerprint(warehouse)
    with pytest.raises(InvalidFile) as error:
        import_audits(warehouse, BROKEN / name)
    assert table_fingerprint(warehouse) == before
    assert all(issue.file == name for issue in error.value.issues)
    return [(i.line, i.column, i.reason) for i in error.value.issues]


def test_wrong_separator(registry):
    assert refused(registry, "audits-virgules.csv") == [
        (1, "", "en-tête illisible : séparateur « ; » attendu")
    ]


def test_missing_column(registry):
    assert refused(registry, "audits-colonne-manquante.csv") == [
        (1, "conforme", "colonne attendue absente : conforme")
    ]


def test_bad_finess(registry):
    assert refused(registry, "audits-finess-invalide.csv") == [
        (
            3,
            "finess",
            "numéro FINESS « 010000066 » : clé de contrôle incorrecte, reçu « 010000066 »",
        ),
        (
            5,
            "finess",
            "numéro FINESS « 01000006A » : caractères non autorisés, reçu « 01000006A »",
        ),
    ]


def test_invalid_outcome(registry):
    expected = "valeur attendue parmi oui, non, NA"
    assert refused(registry, "audits-conforme-invalide.csv") == [
        (3, "conforme", f"{expected}, reçu « Oui »"),
        (4, "conforme", "valeur obligatoire absente"),
        (5, "conforme", f"{expected}, reçu « peut-être »"),
    ]


def test_unknown_indicator_code(registry):
    issues = refused(registry, "audits-indicateur-inconnu.csv")
    assert [(line, column) for line, column, _ in issues] == [(3, "indicateur"), (4, "indicateur")]
    assert issues[0][2].startswith("valeur attendue parmi CA_QLS, CA_DOULEUR")
    assert issues[0][2].endswith("reçu « QLS »") and issues[1][2].endswith("reçu « ca_qls »")


def test_duplicated_record(registry):
    assert refused(registry, "audits-doublon.csv") == [
        (7, "finess", "ligne en double (déjà ligne 3)")
    ]


def test_truncated_line(registry):
    assert refused(registry, "audits-tronque.csv") == [
        (6, "", "3 champs au lieu de 5 (ligne tronquée ou séparateur incorrect)")
    ]


def test_patient_identifier_as_record_number(registry):
    assert refused(registry, "audits-identifiant-patient.csv") == [
        (3, "dossier", "valeur supérieure au maximum (9999), reçu « 8412345 »")
    ]


def test_skip_invalid_keeps_the_valid_records(registry):
    outcome = import_audits(registry, BROKEN / "audits-conforme-invalide.csv", skip_invalid=True)
    written = outcome.written
    assert (written.rows_read, written.rows_accepted, written.rows_rejected) == (5, 2, 3)
    assert registry.count("audit_records") == 2


def test_demo_files_import_and_give_the_pooled_national_values(registry, tmp_path):
    frame = registry.con.sql(
        "SELECT finess_et, category_code, legal_status, region_code FROM establishments"
    ).pl()
    capacity = generate_capacity(np.random.default_rng(1), frame, 2023)
    context = DemoContext(frame, capacity, tmp_path, (2023, 2024), 1.0, 7)
    written = demo_audits.write_files(context)
    assert [command for command, _ in written] == ["audits", "audits"]
    for _, path in written:
        assert not import_audits(registry, path).written.issues
    compute_indicators(registry, ["AUDIT_CA_QLS", "AUDIT_PSY_CARDIO"])
    records = pl.concat([pl.read_csv(p, separator=";") for _, p in written])
    for code in ("CA_QLS", "PSY_CARDIO"):
        national = read_results(registry.con, indicator=f"AUDIT_{code}", entity_kind="national")
        for row in national.itertuples():
            mine = records.filter(
                (pl.col("indicateur") == code) & (pl.col("campagne") == int(row.period))
            )
            evaluable = mine.filter(pl.col("conforme") != "NA")
            assert row.denominator == evaluable.height
            assert row.numerator == evaluable.filter(pl.col("conforme") == "oui").height

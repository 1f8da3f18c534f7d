"""Importing HAS's BQSS files (real layout, real FINESS numbers): mapped keys become published
results at the level `finess_type` says, unmapped keys are kept and counted, and a broken
values file is refused whole with file, line, column and reason."""

import json

import pytest

from hospiscope import pipeline
from hospiscope.results.store import read_results
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, hospiscope, table_fingerprint

BQSS = FIXTURES / "bqss"
BROKEN = BQSS / "broken"
REGISTRY = FIXTURES / "finess" / "etalab-extrait.csv"


@pytest.fixture
def loaded(warehouse):
    pipeline.import_registry(warehouse, REGISTRY)
    pipeline.import_bqss(warehouse, BQSS / "bqss-metadonnees.csv")
    pipeline.import_bqss(warehouse, BQSS / "bqss-etablissements.csv")
    return warehouse


def test_values_become_published_results(loaded):
    outcome = pipeline.import_bqss(loaded, BQSS / "bqss-valeurs.csv")
    written = outcome.written
    assert (written.layout, written.rows_accepted, written.rows_rejected) == (
        "bqss-valeurs",
        109,
        0,
    )
    scores = read_results(loaded.con, indicator="ESATIS48H_SCORE", origin="publie")
    geo = scores[scores["entity_kind"] == "etablissement"].set_index("entity_id")
    assert len(geo) == 12 and set(geo["period"]) == {"2024"}
    assert geo.loc["010000065", ["value", "denominator", "class"]].tolist() == [70.5, 40, "D"]
    assert geo["class"].notna().sum() == 8 and (geo["status"] == "DI").sum() == 4
    assert set(geo["method_version"]) == {"publie"}
    legal = scores[scores["entity_kind"] == "entite_juridique"]
    assert len(legal) == 3 and set(legal["value"]) == {74.9}
    icsha = read_results(loaded.con, indicator="ICSHA3", origin="publie")
    assert (icsha["status"] == "NC").sum() == 3
    decisions = read_results(loaded.con, indicator="CERT_DECISION", origin="publie")
    first = decisions.set_index("entity_id").loc["010000065"]
    assert (first["class"], first["value"]) == ("certifie_mention", 4.0)
    assert json.loads(first["details"])["date_decision"] == "2024-01-15"


def test_unmapped_keys_are_kept_and_counted(loaded):
    outcome = pipeline.import_bqss(loaded, BROKEN / "bqss-valeurs-cle-inconnue.csv")
    meta = outcome.written.metadata
    assert outcome.written.rows_rejected == 0
    assert (meta["cles_non_reconnues"], meta["lignes_non_reconnues"]) == (4, 31)
    assert "cle_que_hospiscope_ne_connait_pas" in meta["exemples_cles_non_reconnues"]
    raw = loaded.con.execute(
        "SELECT key, value_boolean, value_integer, value_float FROM bqss_raw_values "
        "WHERE key IN ('cle_que_hospiscope_ne_connait_pas', 'certif_V2014_id_niveau') "
        "ORDER BY source_line LIMIT 2"
    ).fetchall()
    assert raw[0] == ("certif_V2014_id_niveau", None, 1, None)
    assert loaded.con.execute("SELECT count(*) FROM bqss_raw_values").fetchall()[0][0] == 31


@pytest.mark.parametrize(
    ("name", "line", "column", "reason"),
    [
        ("bqss-valeurs-mauvaise-colonne.csv", 3, "value_string", "est de type float"),
        ("bqss-valeurs-doublon.csv", 111, "key", "en double"),
        ("bqss-valeurs-type-finess.csv", 4, "finess_type", "type de FINESS inconnu « ej »"),
    ],
)
def test_broken_values_are_refused_whole(loaded, name, line, column, reason):
    before = table_fingerprint(loaded)
    with pytest.raises(InvalidFile) as refused:
        pipeline.import_bqss(loaded, BROKEN / name)
    [issue] = refused.value.issues
    assert (issue.file, issue.line, issue.column) == (name, line, column)
    assert reason in issue.reason
    assert table_fingerprint(loaded) == before


def test_skip_invalid_keeps_the_valid_lines(loaded):
    outcome = pipeline.import_bqss(
        loaded, BROKEN / "bqss-valeurs-mauvaise-colonne.csv", skip_invalid=True
    )
    assert (outcome.written.rows_accepted, outcome.written.rows_rejected) == (108, 1)
    stored = read_results(loaded.con, indicator="ESATIS48H_SCORE", origin="publie")
    first = stored.set_index("entity_id").loc["010000065"]
    assert first["value"] != first["value"] and first["class"] == "D"  # score line refused


def test_metadata_types_are_checked_for_unmapped_keys(loaded, tmp_path):
    path = tmp_path / "valeurs.csv"
    header = (BQSS / "bqss-valeurs.csv").read_text("utf-8").splitlines()[0]
    path.write_text(f"{header}\n2024,010000065,geo,filtre_heb_med,,True,,,,\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as refused:
        pipeline.import_bqss(loaded, path)
    assert "de type boolean" in refused.value.issues[0].reason


def test_the_command_imports_metadata_first_and_reports_unmapped_keys(tmp_path):
    warehouse = tmp_path / "entrepot.duckdb"
    hospiscope("import", "registry", REGISTRY, "--warehouse", warehouse)
    done = hospiscope(
        "import",
        "bqss",
        BQSS / "bqss-valeurs.csv",
        BQSS / "bqss-metadonnees.csv",
        BQSS / "bqss-etablissements.csv",
        "--warehouse",
        warehouse,
    )
    text = " ".join(done.stdout.split())
    assert text.index("bqss-metadonnees.csv importé") < text.index("bqss-valeurs.csv importé")
    assert "3 clé(s) non reconnue(s) (30 ligne(s)) conservée(s)" in text
    refused = hospiscope(
        "import",
        "bqss",
        BROKEN / "bqss-valeurs-type-finess.csv",
        "--warehouse",
        warehouse,
        check_code=1,
    )
    assert "type de FINESS inconnu « ej »" in " ".join((refused.stdout + refused.stderr).split())


def test_a_corrected_values_file_replaces_only_with_the_option(loaded, tmp_path):
    pipeline.import_bqss(loaded, BQSS / "bqss-valeurs.csv")
    corrected = tmp_path / "bqss-valeurs-corrige.csv"
    text = (BQSS / "bqss-valeurs.csv").read_text(encoding="utf-8")
    corrected.write_text(
        text.replace("2024,010000065,geo,score_all_rea_ajust_dp,,,,70.5,,",
                     "2024,010000065,geo,score_all_rea_ajust_dp,,,,71.5,,"),
        encoding="utf-8",
    )
    before = table_fingerprint(loaded)
    with pytest.raises(InvalidFile) as refused:
        pipeline.import_bqss(loaded, corrected)
    assert "--remplace" in str(refused.value.issues[0])
    assert table_fingerprint(loaded) == before
    outcome = pipeline.import_bqss(loaded, corrected, replace=True)
    assert outcome.written.metadata["remplace"]
    scores = read_results(loaded.con, indicator="ESATIS48H_SCORE", origin="publie",
                          entity_id="010000065")
    assert scores["value"].tolist() == [71.5]

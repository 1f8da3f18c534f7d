"""The `hospiscope` command end to end, as a user runs it: French messages, exit codes,
JSON outputs."""

import json
import re
from collections import Counter

import pytest

from hospiscope.access.database import AccessDatabase, access_path
from hospiscope.access.identity import authenticate
from hospiscope.catalogue import get_indicator

from support import FIXTURES, hospiscope


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "entrepot.duckdb"
    done = hospiscope("demo", "--warehouse", path, "--scale", "0.01")
    assert "finess-gisco-FR-2020.csv importé (lot 1" in done.stdout
    assert "Calcul des indicateurs" in done.stdout
    return path


def test_summary_json(demo_warehouse):
    summary = json.loads(hospiscope("summary", "--json", "--warehouse", demo_warehouse).stdout)
    registry = summary["registre"]
    assert registry["etablissements"] == 5_368
    assert sum(r["etablissements"] for r in registry["par_region"]) == 5_368
    assert sum(r["etablissements"] for r in registry["par_type"]) == 5_368
    corse = next(r for r in registry["par_region"] if r["code"] == "94")
    assert corse["libelle"] == "Corse" and corse["etablissements"] > 20
    domains = {d["domaine"]: d["indicateurs"] for d in summary["domaines"]}
    rates = {(e["indicateur"], e["periode"]): e for e in domains["experience_patient"]}
    assert set(rates) == {
        (f"ESATIS{q}_{kind}", period)
        for q in ("48H", "CA", "SMR")
        for kind in ("RECO", "SCORE")
        for period in ("2023", "2024")
    }
    mco = rates[("ESATIS48H_RECO", "2024")]
    assert mco["ic_bas"] < mco["valeur"] < mco["ic_haut"]
    assert mco["valeur"] == pytest.approx(100 * mco["numerateur"] / mco["denominateur"], abs=1e-3)
    version = get_indicator("ESATIS48H_RECO").meta.method_version
    assert mco["methode_ic"] == "Wilson" and mco["version_methode"] == version
    natures = Counter(run["nature"] for run in summary["provenance"]["importations"])
    assert natures == {
        "registry": 1,
        "capacity": 1,
        "ght": 1,  # the composition the demo supposes
        "esatis_participation": 6,
        "esatis_responses": 6,
        "audit_records": 2,
        "icsha": 2,
        "vaccination_grippe": 2,
        "pmsi_arthroplasties": 2,
        "certification_decisions": 1,
        "certification_criteria": 1,
        "billing_invoices": 2,
        "billing_cdri": 2,
        "stock_inventories": 2,
        "supplier_payments": 2,
        "social_contributions": 2,
    }
    assert {d["domaine"] for d in summary["domaines"]} >= {
        "experience_patient",
        "processus",
        "resultat",
        "certification",
        "efficience",
    }


def test_summary_text_is_french(demo_warehouse):
    text = hospiscope("summary", "--warehouse", demo_warehouse).stdout
    assert "Établissements du registre FINESS : 5\u202f368" in text  # French thin space
    assert "Par région" in text and "Île-de-France" in text
    assert "Recommandation (MCO plus de 48 h) — ESATIS48H_RECO" in text and "Hypothèse" in text


def test_results_json_lines(demo_warehouse):
    lines = hospiscope(
        "results",
        "--json",
        "--warehouse",
        demo_warehouse,
        "--indicator",
        "ESATIS48H_RECO",
        "--level",
        "region",
    ).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(r["entity_kind"] == "region" for r in records)
    assert all(r["finess"] is None and r["indicator"] == "ESATIS48H_RECO" for r in records)
    assert {
        "numerator",
        "denominator",
        "value",
        "ci_low",
        "ci_high",
        "ci_method",
        "class",
        "method_version",
        "import_runs",
        "status",
    } <= set(records[0])


def test_results_of_one_establishment_and_campaign(demo_warehouse):
    first = json.loads(
        hospiscope(
            "results",
            "--json",
            "--warehouse",
            demo_warehouse,
            "--indicator",
            "ESATIS48H_SCORE",
            "--level",
            "etablissement",
            "--campaign",
            "2024",
        ).stdout.splitlines()[0]
    )
    finess = first["finess"]
    records = [
        json.loads(line)
        for line in hospiscope(
            "results",
            "--json",
            "--warehouse",
            demo_warehouse,
            "--finess",
            finess,
            "--campagne",
            "2024",
        ).stdout.splitlines()
    ]
    assert records and {r["finess"] for r in records} == {finess}
    assert {r["campaign"] for r in records} == {2024}
    assert "ESATIS48H_SCORE" in {r["indicator"] for r in records}
    table = hospiscope(
        "results", "--warehouse", demo_warehouse, "--finess", finess, "--campaign", "2024"
    ).stdout
    assert "ESATIS48H_SCORE" in table and finess in table


def test_compute_on_polars_and_reimport_message(demo_warehouse):
    done = hospiscope(
        "compute", "--warehouse", demo_warehouse, "--engine", "polars", "--indicator", "REG_ETAB"
    )
    assert "REG_ETAB :" in done.stdout
    again = hospiscope(
        "import",
        "registry",
        "--warehouse",
        demo_warehouse,
        "src/hospiscope/data/registry/finess-gisco-FR-2020.csv",
    )
    assert "déjà importé (lot 1) — rien n'a changé" in again.stdout


def test_invalid_file_exit_code_and_messages(demo_warehouse):
    done = hospiscope(
        "import",
        "registry",
        "--warehouse",
        demo_warehouse,
        FIXTURES / "broken" / "etalab-finess-invalide.csv",
        check_code=1,
    )
    assert "Import refusé : 2 erreur(s). L'entrepôt n'a pas été modifié." in done.stderr
    assert "etalab-finess-invalide.csv, ligne 5, colonne nofinesset (2)" in done.stderr
    assert "ligne 9, colonne nofinessej (3)" in done.stderr


def test_skip_invalid_writes_a_report(tmp_path):
    path = tmp_path / "w.duckdb"
    hospiscope(
        "import", "registry", "--warehouse", path, FIXTURES / "finess" / "etalab-extrait.csv"
    )
    report = tmp_path / "rejets.csv"
    done = hospiscope(
        "import",
        "esatis",
        "--warehouse",
        path,
        "--skip-invalid",
        "--report",
        report,
        FIXTURES / "broken" / "esatis-valeurs-invalides.csv",
    )
    assert "56 ligne(s) acceptée(s), 4 rejetée(s)" in done.stdout
    content = report.read_text("utf-8-sig").splitlines()
    assert content[0] == "fichier;ligne;colonne;gravite;motif"
    assert sum(";erreur;" in line for line in content) == 4


def test_errors_of_use(tmp_path):
    missing = hospiscope("summary", "--warehouse", tmp_path / "absent.duckdb", check_code=2)
    assert "entrepôt introuvable" in missing.stderr
    path = tmp_path / "w.duckdb"
    hospiscope(
        "import", "registry", "--warehouse", path, FIXTURES / "finess" / "etalab-extrait.csv"
    )
    unknown = hospiscope("compute", "--warehouse", path, "--indicator", "NOPE", check_code=1)
    assert "indicateur inconnu : NOPE" in unknown.stderr


def test_peer_lists(tmp_path):
    path = tmp_path / "w.duckdb"
    hospiscope(
        "import", "registry", "--warehouse", path, FIXTURES / "finess" / "etalab-extrait.csv"
    )
    created = hospiscope("peers", "create", "Ain", "010000065", "10000107", "--warehouse", path)
    assert "Liste « Ain » créée (2 établissements)" in created.stdout
    assert "010000107" in hospiscope("peers", "list", "--warehouse", path).stdout
    bad = hospiscope(
        "peers", "create", "Mauvaise", "010000065", "010000066", "--warehouse", path, check_code=1
    )
    assert "clé de contrôle incorrecte" in bad.stderr
    absent = hospiscope(
        "peers", "create", "Absents", "010000065", "010000024", "--warehouse", path, check_code=1
    )
    assert "absents du registre : 010000024" in absent.stderr
    twice = hospiscope(
        "peers", "create", "Ain", "010000065", "010000107", "--warehouse", path, check_code=1
    )
    assert "existe déjà" in twice.stderr
    hospiscope("peers", "delete", "Ain", "--warehouse", path)
    assert "Ain" not in hospiscope("peers", "list", "--warehouse", path).stdout


def test_run_builds_the_demo_once_then_only_summarises(tmp_path):
    path = tmp_path / "w.duckdb"
    first = hospiscope("run", "--warehouse", path, "--scale", "0.002", "--no-serve")
    assert "Premier lancement" in first.stdout and "synthèse nationale" in first.stdout
    second = hospiscope("run", "--warehouse", path, "--scale", "0.002", "--no-serve")
    assert "Premier lancement" not in second.stdout and "synthèse nationale" in second.stdout
    # One demo account per role, its random password printed once (the first time only).
    assert "Comptes de démonstration" in first.stdout and "Comptes de" not in second.stdout
    passwords = dict(re.findall(r"(demo\.[a-z]+)\s.*?\s(\S{16})\s*│?\s*$", first.stdout, re.M))
    roles = ("etablissement", "ght", "ars", "national", "admin")
    assert set(passwords) == {f"demo.{role}" for role in roles}
    with AccessDatabase(access_path(path)) as db, db.transaction() as con:
        assert authenticate(con, "demo.etablissement", passwords["demo.etablissement"]).ok


def test_run_resumes_an_interrupted_first_run(tmp_path):
    """A warehouse holding only the registry (say the first run was killed) is completed."""
    path = tmp_path / "w.duckdb"
    hospiscope(
        "import",
        "registry",
        "--warehouse",
        path,
        "src/hospiscope/data/registry/finess-gisco-FR-2020.csv",
    )
    done = hospiscope("run", "--warehouse", path, "--scale", "0.002", "--no-serve")
    assert "déjà importé (lot 1)" in done.stdout and "ESATIS48H_RECO" in done.stdout

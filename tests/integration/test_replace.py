"""Corrected files: a second, different file for a campaign already imported is refused with a
message naming the earlier file and run; with `--remplace` (replace=True) it replaces the
earlier import in one transaction — the records the correction drops are withdrawn, the
replaced import is recorded — and a correction that fails leaves the warehouse as it was."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from hospiscope import pipeline
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.issues import InvalidFile
from hospiscope.warehouse import Warehouse
from hospiscope.warehouse.imports import FAULT_PAUSE_ENV

from support import FIXTURES, hospiscope, table_fingerprint

AUDITS = FIXTURES / "audits" / "dossiers-audites-extrait.csv"
AUDITS_HEADER = "finess;campagne;indicateur;dossier;conforme"
ESATIS = FIXTURES / "esatis" / "esatis-mco48h-extrait.csv"
PUBLISHED = FIXTURES / "published" / "resultats-esatis48h-mco-open-data-2019.csv"
CRITERIA = FIXTURES / "certification" / "certification-criteres.csv"
BROKEN = FIXTURES / "broken"


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def audits(warehouse, path, **options):
    return pipeline.import_tabular(warehouse, "audits", path, **options)


def write(tmp_path, name, header, *lines):
    path = tmp_path / name
    path.write_text("\r\n".join([header, *lines]) + "\r\n", encoding="utf-8")
    return path


def correction(tmp_path, name="corrige.csv"):
    """Campaign 2024 of the audit extract, corrected: two records of CA_QLS only."""
    lines = ("010000065;2024;CA_QLS;1;non", "010000065;2024;CA_QLS;2;oui")
    return write(tmp_path, name, AUDITS_HEADER, *lines)


def reasons(error) -> list[str]:
    return [str(issue) for issue in error.value.issues]


def replaced(warehouse) -> list[tuple]:
    return warehouse.con.execute(
        "SELECT run_id, replaced_by, scope, rows_removed, rows_kept FROM replaced_imports "
        "ORDER BY replaced_by, run_id"
    ).fetchall()


def test_a_different_file_for_the_same_campaign_is_refused(registry, tmp_path):
    audits(registry, AUDITS)
    before = table_fingerprint(registry)
    with pytest.raises(InvalidFile) as error:
        audits(registry, correction(tmp_path))
    assert reasons(error) == [
        "corrige.csv : dossiers audités (indicateurs de processus), campagne 2024 : données "
        "déjà importées depuis « dossiers-audites-extrait.csv » (lot 2). Ce fichier est "
        "différent : pour qu'il remplace cet import (fichier corrigé), relancez la commande "
        "avec --remplace"
    ]
    assert table_fingerprint(registry) == before


def test_a_file_of_another_campaign_needs_no_option(registry, tmp_path):
    audits(registry, AUDITS)
    other = write(tmp_path, "2025.csv", AUDITS_HEADER, "010000065;2025;CA_QLS;1;oui")
    assert audits(registry, other).run_id == 3
    assert registry.count("audit_records") == 173 and replaced(registry) == []


def test_replacement_withdraws_the_records_the_correction_drops(registry, tmp_path):
    audits(registry, AUDITS)  # run 2: campaigns 2023 (31 records) and 2024 (141)
    compute_indicators(registry, ["AUDIT_CA_QLS"])
    outcome = audits(registry, correction(tmp_path), replace=True)
    assert outcome.run_id == 3
    rows = registry.con.execute(
        "SELECT campaign, count(*), min(import_run_id) FROM audit_records GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert rows == [(2023, 31, 2), (2024, 2, 3)]  # 139 records of 2024 withdrawn
    scope = "dossiers audités (indicateurs de processus), campagne 2024"
    assert replaced(registry) == [(2, 3, scope, 141, 31)]
    assert outcome.written.metadata["remplace"] == [
        {"lot": 2, "fichier": AUDITS.name, "lignes_retirees": 141, "lignes_gardees": 31}
    ]
    recorded = registry.con.execute("SELECT options FROM import_runs WHERE run_id = 3")
    assert json.loads(recorded.fetchall()[0][0])["replace"] is True
    # Results computed before keep the import runs they came from (then known to be stale).
    runs = registry.con.execute(
        "SELECT DISTINCT import_runs FROM results WHERE indicator_code = 'AUDIT_CA_QLS'"
    ).fetchall()
    assert runs == [([1, 2],)]  # registry and audits


def test_same_file_again_changes_nothing_and_a_replaced_file_can_come_back(registry, tmp_path):
    audits(registry, AUDITS)
    path = correction(tmp_path)
    audits(registry, path, replace=True)
    before = table_fingerprint(registry)
    assert audits(registry, path).already_imported_as == 3
    assert audits(registry, path, replace=True).already_imported_as == 3
    assert table_fingerprint(registry) == before
    # The replaced file is no longer "already imported": it is a correction of the correction.
    with pytest.raises(InvalidFile) as error:
        audits(registry, AUDITS)
    assert len(reasons(error)) == 2  # its own 2023 records (run 2) and the correction (run 3)
    assert "« corrige.csv » (lot 3)" in reasons(error)[0]
    assert "« dossiers-audites-extrait.csv » (lot 2)" in reasons(error)[1]
    back = audits(registry, AUDITS, replace=True).run_id  # (a refused run leaves a gap)
    assert registry.count("audit_records") == 172
    assert replaced(registry)[1:] == [
        (2, back, "dossiers audités (indicateurs de processus), campagnes 2023, 2024", 31, 0),
        (3, back, "dossiers audités (indicateurs de processus), campagnes 2023, 2024", 2, 0),
    ]


def test_a_failed_replacement_leaves_the_warehouse_as_it_was(registry, tmp_path):
    audits(registry, AUDITS)
    pipeline.import_esatis(registry, ESATIS)
    pipeline.import_published_results(registry, PUBLISHED)
    before = table_fingerprint(registry)
    bad_audits = write(tmp_path, "a.csv", AUDITS_HEADER, "010000065;2024;CA_QLS;1;peut-être")
    with pytest.raises(InvalidFile, match="valeur attendue parmi"):
        audits(registry, bad_audits, replace=True)
    with pytest.raises(InvalidFile, match="réponse invalide"):
        pipeline.import_esatis(registry, BROKEN / "esatis-valeurs-invalides.csv", replace=True)
    bad_published = tmp_path / PUBLISHED.name
    bad_published.write_bytes(PUBLISHED.read_bytes().replace(b";A;", b";Z;"))
    with pytest.raises(InvalidFile, match="classement"):
        pipeline.import_published_results(registry, bad_published, replace=True)
    assert table_fingerprint(registry) == before


def test_esatis_responses_of_the_same_questionnaire_and_campaign(registry, tmp_path):
    pipeline.import_esatis(registry, ESATIS)
    before = table_fingerprint(registry)
    copy = tmp_path / "copie.csv"  # the same responses in a file with another checksum
    copy.write_bytes(ESATIS.read_bytes() + b"\r\n")
    with pytest.raises(InvalidFile) as error:
        pipeline.import_esatis(registry, copy)
    assert reasons(error) == [
        "copie.csv : réponses e-Satis mco48h, campagne 2024 : données déjà importées depuis "
        "« esatis-mco48h-extrait.csv » (lot 2). Ce fichier est différent : pour qu'il "
        "remplace cet import (fichier corrigé), relancez la commande avec --remplace"
    ]
    assert table_fingerprint(registry) == before
    # A correction without the invalid responses withdraws them.
    fewer = pipeline.import_esatis(
        registry, BROKEN / "esatis-valeurs-invalides.csv", skip_invalid=True, replace=True
    )
    kept = fewer.written.rows_accepted
    assert 0 < kept < 60
    assert registry.con.execute(
        "SELECT count(*), min(import_run_id), max(import_run_id) FROM esatis_mco48h"
    ).fetchall() == [(kept, fewer.run_id, fewer.run_id)]
    scope = "réponses e-Satis mco48h, campagne 2024"
    assert replaced(registry) == [(2, fewer.run_id, scope, 60, 0)]
    # and the full file, with the fast path, replaces the correction again
    assert pipeline.import_esatis(registry, copy, replace=True).written.rows_accepted == 60
    assert registry.count("esatis_mco48h") == 60


def test_participation_campaign_is_per_questionnaire(registry, tmp_path):
    header = "finess;campagne;questionnaire;participation;depot_valide"
    participation = "esatis-participation"
    first = write(tmp_path, "mco.csv", header, "010000065;2024;mco48h;oui;oui")
    pipeline.import_tabular(registry, participation, first)
    other = write(tmp_path, "ca.csv", header, "010000065;2024;ca;oui;non")
    assert pipeline.import_tabular(registry, participation, other).run_id == 3
    again = write(tmp_path, "mco2.csv", header, "010000107;2024;mco48h;oui;oui")
    with pytest.raises(InvalidFile, match=r"campagne 2024, questionnaire mco48h .*\(lot 2\)"):
        pipeline.import_tabular(registry, participation, again)
    pipeline.import_tabular(registry, participation, again, replace=True)
    rows = registry.con.execute(
        "SELECT finess_et, questionnaire FROM esatis_participation ORDER BY 2, 1"
    ).fetchall()
    assert rows == [("010000065", "ca"), ("010000107", "mco48h")]


def test_published_results_of_a_campaign(registry, tmp_path):
    first = pipeline.import_published_results(registry, PUBLISHED)
    count = registry.con.execute("SELECT count(*) FROM results WHERE origin = 'publie'")
    stored = count.fetchall()[0][0]
    corrected = tmp_path / PUBLISHED.name
    corrected.write_bytes(PUBLISHED.read_bytes() + b"\r\n")
    with pytest.raises(InvalidFile, match=r"publiés mco48h, campagne 2019 .*\(lot 2\)"):
        pipeline.import_published_results(registry, corrected)
    second = pipeline.import_published_results(registry, corrected, replace=True)
    runs = registry.con.execute(
        "SELECT DISTINCT import_runs FROM results WHERE origin = 'publie'"
    ).fetchall()
    assert runs == [([second.run_id],)]
    assert (
        registry.con.execute("SELECT count(*) FROM results WHERE origin = 'publie'").fetchall()[0][
            0
        ]
        == stored
    )
    scope = "résultats e-Satis publiés mco48h, campagne 2019"
    assert replaced(registry) == [(first.run_id, second.run_id, scope, stored, 0)]


def test_certification_criteria_correction_withdraws_records(registry, tmp_path):
    criteria = "certification-criteres"
    pipeline.import_tabular(registry, criteria, CRITERIA)
    lines = CRITERIA.read_text("utf-8").splitlines()
    of_2021 = [line for line in lines[1:] if "/2021;" in line]
    corrected = write(tmp_path, "criteres.csv", lines[0], *of_2021[:-1])  # one criterion less
    with pytest.raises(InvalidFile, match="année de visite 2021"):
        pipeline.import_tabular(registry, criteria, corrected)
    pipeline.import_tabular(registry, criteria, corrected, replace=True)
    counts = registry.con.execute(
        "SELECT year(visit_date), count(*) FROM certification_criteria GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert counts == [(2021, len(of_2021) - 1), (2022, 2), (2023, 16)]


@pytest.mark.parametrize(
    ("command", "header", "line", "other"),
    [
        (
            "icsha",
            "finess;annee;version;volume_consomme_litres;objectif_personnalise_litres;non_concerne",
            "010000065;2024;ICSHA.3;1 843,5;2 310,0;non",
            "010000107;2024;ICSHA.3;412,8;398,4;non",
        ),
        (
            "vaccination",
            "finess;saison;personnels_vaccines;personnels_total;non_concerne",
            "010000065;2023-2024;212;1 054;non",
            "010000107;2023-2024;31;187;non",
        ),
        (
            "pmsi-arthroplasties",
            "finess;annee;sejour;intervention;age;sexe;obesite;diabete;comorbidites;infection_90j",
            "010000065;2024;S1;PTH;70;F;non;oui;0;non",
            "010000065;2024;S2;PTG;66;H;oui;non;1-2;non",
        ),
        (
            "certification-decisions",
            "finess;date_decision;decision;cycle;date_visite",
            "010000065;10/05/2023;certifie;5;",
            "010000107;12/09/2023;certifie_mention;5;",
        ),
    ],
)
def test_every_family_with_campaigns(registry, tmp_path, command, header, line, other):
    first = pipeline.import_tabular(registry, command, write(tmp_path, "a.csv", header, line))
    second = write(tmp_path, "b.csv", header, other)
    before = table_fingerprint(registry)
    with pytest.raises(InvalidFile, match=r"« a\.csv » \(lot 2\).* --remplace"):
        pipeline.import_tabular(registry, command, second)
    assert table_fingerprint(registry) == before
    outcome = pipeline.import_tabular(registry, command, second, replace=True)
    table = registry.con.execute(
        "SELECT DISTINCT table_name FROM duckdb_columns() WHERE column_name = 'import_run_id' "
        "AND table_name IN ('hygiene_icsha', 'vaccination_grippe', 'arthroplasty_stays', "
        "'certification_decisions')"
    ).fetchall()
    counts = {
        name: registry.con.execute(f"SELECT count(*), max(import_run_id) FROM {name}").fetchall()
        for (name,) in table
    }
    assert [c for c in counts.values() if c[0][0]] == [[(1, outcome.run_id)]]
    assert [row[:2] for row in replaced(registry)] == [(first.run_id, outcome.run_id)]


def test_command_line(tmp_path):
    path = tmp_path / "entrepot.duckdb"
    hospiscope("import", "audits", AUDITS, "--warehouse", path)
    refused = hospiscope(
        "import", "audits", correction(tmp_path), "--warehouse", path, check_code=1
    )
    assert "(lot 1)" in refused.stderr and "--remplace" in refused.stderr
    done = hospiscope("import", "audits", correction(tmp_path), "--remplace", "-w", path)
    assert "remplace le lot 1 (« dossiers-audites-extrait.csv ») : 141 ligne(s) retirée(s)" in (
        " ".join(done.stdout.split())
    )
    assert "Importation de" not in done.stderr  # the progress line does not stay


def test_a_replacement_killed_before_its_commit_changes_nothing(tmp_path):
    path = tmp_path / "entrepot.duckdb"
    with Warehouse(path) as warehouse:
        audits(warehouse, AUDITS)
        before = table_fingerprint(warehouse)
    marker, corrected = tmp_path / "paused", correction(tmp_path)
    command = ["import", "audits", str(corrected), "--remplace", "--warehouse", str(path)]
    process = subprocess.Popen(
        [sys.executable, "-m", "hospiscope", *command],
        env={**os.environ, FAULT_PAUSE_ENV: str(marker)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():  # rows deleted and inserted, replacement recorded, no commit
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the import never reached its commit"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with Warehouse(path) as warehouse:
        assert table_fingerprint(warehouse) == before
        assert audits(warehouse, corrected, replace=True).written.metadata["remplace"]

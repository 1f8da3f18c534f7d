"""Every failure of the command line is a French sentence with a documented exit code
(issue 7): usage errors, bad filters, unwritable outputs, peer lists, Ctrl-C."""

import os
import signal
import subprocess
import sys
import time

import pytest

from support import FIXTURES, hospiscope, table_fingerprint


@pytest.fixture(scope="module")
def registry_warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("w") / "w.duckdb"
    hospiscope("import", "registry", "-w", path, FIXTURES / "finess" / "etalab-extrait.csv")
    return path


def test_usage_errors_are_french_and_exit_1():
    missing = hospiscope("bilan", check_code=1)
    assert "option obligatoire manquante : --campaign" in missing.stderr
    assert "Usage : hospiscope bilan" in missing.stderr and "Error" not in missing.stderr
    bad = hospiscope("bilan", "--campaign", "x", "--out", "y", check_code=1)
    assert "« x » : un nombre entier est attendu" in bad.stderr
    unknown = hospiscope("bilann", check_code=1)
    assert "commande inconnue : « bilann » ; vouliez-vous dire bilan" in unknown.stderr
    option = hospiscope("summary", "--warehous", "x", check_code=1)
    assert "option inconnue : --warehous (vouliez-vous dire --warehouse ?)" in option.stderr


def test_help_is_french():
    text = hospiscope("bilan", "--help").stdout
    assert "Usage : hospiscope bilan" in text and "[obligatoire]" in text
    assert "Afficher cette aide et quitter." in text and "Show this message" not in text
    assert "Commandes" in hospiscope("--help").stdout


def test_indicators_accepts_warehouse(tmp_path):
    assert "ESATIS48H_SCORE" in hospiscope("indicators", "-w", tmp_path / "x.duckdb").stdout


def test_bilan_region_and_output_checked(registry_warehouse, tmp_path):
    for region in ("99", "ARA"):
        done = hospiscope(
            "bilan", "--campaign", "2024", "--region", region, "-w", registry_warehouse,
            "--out", tmp_path / "b", check_code=1,
        )
        assert f"région inconnue : « {region} »" in done.stderr and "84 Auvergne" in done.stderr
    a_file = tmp_path / "fichier"
    a_file.write_text("x")
    done = hospiscope(
        "bilan", "--campaign", "2024", "-w", registry_warehouse, "--out", a_file, check_code=1
    )
    assert "est un fichier : --out attend un dossier" in done.stderr


def test_funnel_and_compute_unknown_codes(registry_warehouse):
    done = hospiscope(
        "funnel", "--indicator", "ESATIS48H_SCORE", "--campaign", "2024",
        "-w", registry_warehouse, check_code=1,
    )
    assert "ISO_PTG, ISO_PTH)" in done.stderr and "ESATIS48H_RECO" not in done.stderr
    done = hospiscope("compute", "-i", "ESATIS48H_SCOR", "-w", registry_warehouse, check_code=1)
    assert "le plus proche" in done.stderr or "les plus proches" in done.stderr
    assert "'" not in done.stderr.splitlines()[-1] and "VACCIN_GRIPPE" not in done.stderr


def test_peer_lists_reasons(registry_warehouse, tmp_path):
    empty = hospiscope("peers", "list", "-w", registry_warehouse)
    assert "Aucune liste de pairs : créez-en une avec" in empty.stdout
    one = hospiscope("peers", "create", "X", "999999999", "-w", registry_warehouse, check_code=1)
    assert "clé de contrôle incorrecte" in one.stderr
    nowhere = hospiscope(
        "peers", "create", "X", "010000065", "010000107", "-w", tmp_path / "absent.duckdb",
        check_code=2,
    )
    assert "entrepôt introuvable" in nowhere.stderr and not (tmp_path / "absent.duckdb").exists()
    hospiscope("peers", "create", "A", "010000065", "10000107", "-w", registry_warehouse)
    twice = hospiscope(
        "peers", "create", "A", "010000065", "019999994", "-w", registry_warehouse,
        check_code=1,
    )
    assert "existe déjà" in twice.stderr


def _big_esatis_file(path, finess, lines=400_000):
    template = (FIXTURES.parent / "fixtures").glob("**/esatis*mco48h*.csv")
    sample = next(iter(sorted(template)))
    header = sample.read_text("utf-8-sig").splitlines()[0]
    body = sample.read_text("utf-8-sig").splitlines()[1].split(";")
    with path.open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        for n in range(lines):
            body[0], body[3] = finess, f"{body[3]}-{n}"
            out.write(";".join(body) + "\n")
            body[3] = body[3].rsplit("-", 1)[0]


def test_ctrl_c_during_import_says_it_and_changes_nothing(registry_warehouse, tmp_path):
    from hospiscope.warehouse import Warehouse

    big = tmp_path / "esatis-mco48h-reponses-2024.csv"
    _big_esatis_file(big, "010000065")
    with Warehouse(registry_warehouse, read_only=True) as wh:
        before = table_fingerprint(wh)
    process = subprocess.Popen(
        [sys.executable, "-m", "hospiscope", "import", "esatis", "-w", registry_warehouse, big],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(2.5)  # inside the import (the file takes several seconds)
    os.kill(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout + stderr
    assert "interrompu : rien n'a été écrit" in stderr and "Traceback" not in stderr
    with Warehouse(registry_warehouse, read_only=True) as wh:
        assert table_fingerprint(wh) == before

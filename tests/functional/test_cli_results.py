"""`hospiscope results` and `summary` as a user reads them: readable at 80 columns, limited
by default, flat JSON, and always saying which source they show and why an answer is empty."""

import json
import os
import subprocess
import sys

from support import FIXTURES, hospiscope


def narrow(*args):
    """The command on an 80-column screen (output captured, as when redirected)."""
    return subprocess.run(
        [sys.executable, "-m", "hospiscope", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
    )


def test_results_fit_80_columns_and_are_limited(demo_warehouse):
    done = narrow("results", "-w", demo_warehouse, "--indicator", "ESATIS48H_SCORE")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    blocks = [line for line in lines if line.startswith("ESATIS48H_SCORE · ")]
    assert len(blocks) == 50  # the default limit
    assert any("classe " in line for line in lines) and any(" · v" in line for line in lines)
    assert "autre(s) résultat(s) non affiché(s)" in done.stdout and "--limit 0" in done.stdout
    assert "Résultats calculés par hospiscope." in done.stdout
    everything = narrow("results", "-w", demo_warehouse, "-i", "ESATIS48H_SCORE", "--limit", "0")
    assert "non affiché" not in everything.stdout


def test_expected_counts_keep_their_decimals(demo_warehouse):
    records = [
        json.loads(line)
        for line in hospiscope(
            "results", "--json", "-w", demo_warehouse, "--indicator", "ISO_PTH",
            "--level", "national",
        ).stdout.splitlines()
    ]
    expected = records[0]["denominator"]
    text = narrow("results", "-w", demo_warehouse, "--indicator", "ISO_PTH", "--level",
                  "national").stdout
    whole, decimals = f"{expected:.1f}".split(".")
    assert f" / {int(whole):,}".replace(",", "\u202f") + f",{decimals}" in text


def test_json_objects_are_flat(demo_warehouse):
    lines = hospiscope(
        "results", "--json", "-w", demo_warehouse, "--indicator", "AUDIT_MCO_QLS",
        "--level", "etablissement", "--limit", "40",
    ).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 40
    assert any("detail_position_national" in record for record in records)
    for record in records:
        assert "details" not in record
        assert not any(isinstance(v, str) and v.lstrip().startswith(("{", "[")) for v in
                       record.values())


def test_published_only_warehouse_shows_its_results(tmp_path):
    path = tmp_path / "w.duckdb"
    hospiscope("import", "registry", FIXTURES / "finess" / "gisco-extrait.csv", "-w", path)
    hospiscope("import", "esatis-results", FIXTURES / "published" /
               "resultats-esatis48h-mco-open-data-2019.csv", "-w", path)
    done = hospiscope("results", "--json", "--campaign", "2019", "-w", path)
    assert len(done.stdout.splitlines()) > 0 and "publiés" in done.stderr
    summary = json.loads(hospiscope("summary", "--json", "-w", path).stdout)
    assert summary["domaines"] and summary["registre"]["etablissements"] > 0
    empty = hospiscope("results", "--source", "calcul", "-w", path)
    assert "--source publie" in empty.stdout
    bad = hospiscope("results", "--source", "foo", "-w", path, check_code=1)
    assert "calcul, publie, tout" in bad.stderr
    bilan = hospiscope("bilan", "--campaign", "2019", "--out", tmp_path / "bilan", "-w", path)
    assert "publiés" in bilan.stdout


def test_a_reader_that_stops_early_is_not_a_failure(demo_warehouse):
    """`hospiscope results --json | head -1`: the closed pipe ends the command quietly, exit 0
    (rich turns the broken pipe into SystemExit(1), which must not reach the shell)."""
    for layout in (["--json"], []):
        process = subprocess.Popen(
            [sys.executable, "-m", "hospiscope", "results", "-w", str(demo_warehouse),
             "--limit", "0", *layout],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        assert process.stdout.readline()  # the reader takes one line, then goes away
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=120) == 0, stderr
        assert stderr == ""

"""e-Satis response files: typed storage, re-import, conflicts with earlier imports,
--skip-invalid with its report, and exact line numbers in a large file."""

import numpy as np
import pytest

from hospiscope import pipeline
from hospiscope.demo.esatis import generate_responses, participants, write_responses
from hospiscope.sources.esatis.questionnaires import CA, MCO48H
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, table_fingerprint

EXTRACT = FIXTURES / "esatis" / "esatis-mco48h-extrait.csv"
BROKEN = FIXTURES / "broken"


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def test_extract_is_stored_typed(registry):
    outcome = pipeline.import_esatis(registry, EXTRACT)
    assert outcome.written.rows_accepted == 60 and outcome.written.layout == "esatis-mco48h"
    assert outcome.written.encoding == "UTF-8 avec BOM"
    row = registry.con.execute("""SELECT typeof(campaign), typeof(discharge_date),
        typeof(acc_admission), typeof(complete), count(*), count(DISTINCT finess_et),
        min(length(finess_et)), bool_and(response_date >= discharge_date)
        FROM esatis_mco48h GROUP BY ALL""").fetchall()
    assert row == [("INTEGER", "DATE", "TINYINT", "BOOLEAN", 60, 3, 9, True)]
    answers = {
        r[0]
        for r in registry.con.execute("SELECT DISTINCT acc_admission FROM esatis_mco48h").fetchall()
    }
    assert answers <= {1, 2, 3, 4, 9, None}
    comments = registry.con.execute("""SELECT count(*) FROM esatis_mco48h
        WHERE comment_positive LIKE '%\n%' OR comment_negative LIKE '%\n%'""").fetchall()
    assert comments[0][0] > 0  # multi-line comments survive


def test_reimport_changes_nothing_and_conflicting_ids_are_refused(registry, tmp_path):
    pipeline.import_esatis(registry, EXTRACT)
    before = table_fingerprint(registry)
    assert pipeline.import_esatis(registry, EXTRACT).skipped
    copy = tmp_path / "copie.csv"  # the same responses in a file with another checksum
    copy.write_bytes(EXTRACT.read_bytes() + b"\r\n")
    with pytest.raises(InvalidFile) as error:
        pipeline.import_esatis(registry, copy)
    [issue] = error.value.issues  # one message for the file, not one per response
    assert "campagne 2024 : données déjà importées" in issue.reason and "(lot 2)" in issue.reason
    assert "--remplace" in issue.reason
    assert table_fingerprint(registry) == before


def test_skip_invalid_imports_the_valid_lines_and_reports_the_others(registry):
    outcome = pipeline.import_esatis(
        registry, BROKEN / "esatis-valeurs-invalides.csv", skip_invalid=True
    )
    assert (
        outcome.written.rows_read,
        outcome.written.rows_accepted,
        outcome.written.rows_rejected,
    ) == (60, 56, 4)
    stored = registry.con.execute(
        """SELECT count(*) FROM import_issues
        WHERE run_id = ? AND severity = 'erreur'""",
        [outcome.run_id],
    ).fetchall()
    assert stored == [(4,)]
    assert registry.count("esatis_mco48h") == 56


def test_responses_of_an_unknown_establishment_are_kept_with_a_warning(registry, tmp_path):
    rng = np.random.default_rng(3)
    people = participants(rng, np.array(["010000024"]), np.ones(1), [2024])  # not in extract
    path = write_responses(generate_responses(rng, CA, 2024, people, 40), tmp_path / "ca.csv")
    outcome = pipeline.import_esatis(registry, path)
    assert outcome.written.rows_accepted == 40
    [warning] = outcome.written.issues
    assert warning.severity == "avertissement" and "absent du registre" in warning.reason


def test_line_numbers_are_exact_in_a_large_file(registry, tmp_path):
    """200 000 responses with multi-line comments; one bad value near the end."""
    rng = np.random.default_rng(11)
    people = participants(rng, np.array(["010000065", "2A0000022"]), np.ones(2), [2024])
    frame = generate_responses(rng, MCO48H, 2024, people, 200_000)
    target = 199_990
    frame[target, "sexe"] = "X"
    path = write_responses(frame, tmp_path / "gros.csv")
    with pytest.raises(InvalidFile) as error:
        pipeline.import_esatis(registry, path)
    [issue] = error.value.issues
    content = path.read_bytes()
    response_id = frame[target, "id_reponse"].encode()
    expected_line = content.count(b"\n", 0, content.index(b";" + response_id + b";")) + 1
    assert (issue.line, issue.column) == (expected_line, "sexe")
    assert expected_line > 200_000  # comments span lines: lines ≠ records


def test_header_only_file_is_refused(registry, tmp_path):
    header = EXTRACT.read_bytes().split(b"\r\n", 1)[0] + b"\r\n"
    path = tmp_path / "vide.csv"
    path.write_bytes(header)
    with pytest.raises(InvalidFile, match="aucune réponse"):
        pipeline.import_esatis(registry, path)

"""Certification files (decisions, criteria results) in hospiscope's layouts: real-layout
fixtures (real FINESS numbers of the etalab extract) import and compute; broken files are
refused with every problem reported at its line and column, and the warehouse is unchanged.

Fixtures: tests/fixtures/certification/ (hand-written, one realistic defect per broken file).
"""

import datetime as dt
import json

import pytest

from hospiscope import pipeline
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, table_fingerprint

HERE = FIXTURES / "certification"
BROKEN = HERE / "broken"
DECISIONS, CRITERIA = "certification-decisions", "certification-criteres"


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def import_file(warehouse, command, path, **options):
    return pipeline.import_tabular(warehouse, command, path, **options)


def refused(warehouse, command, path) -> list[tuple[int, str, str]]:
    before = table_fingerprint(warehouse)
    with pytest.raises(InvalidFile) as error:
        import_file(warehouse, command, path)
    assert table_fingerprint(warehouse) == before
    return [(i.line, i.column, i.reason) for i in error.value.issues]


def test_real_layout_files_import_with_their_types(registry):
    outcome = import_file(registry, DECISIONS, HERE / "certification-decisions.csv")
    assert outcome.written.rows_accepted == 8
    rows = registry.con.execute(
        "SELECT finess_et, decision_date, decision, cycle, visit_date "
        "FROM certification_decisions ORDER BY finess_et, decision_date"
    ).fetchall()
    assert rows[0] == (
        "010000065",
        dt.date(2021, 11, 15),
        "certifie_sous_conditions",
        5,
        dt.date(2021, 6, 10),
    )
    assert ("970100020", dt.date(2023, 12, 31)) in {(r[0], r[1]) for r in rows}  # ISO date
    outcome = import_file(registry, CRITERIA, HERE / "certification-criteres.csv")
    assert outcome.written.rows_accepted == 50
    counts = dict(
        registry.con.execute(
            "SELECT result, count(*) FROM certification_criteria GROUP BY result"
        ).fetchall()
    )
    assert counts == {"satisfait": 39, "non_satisfait": 5, "non_applicable": 6}
    kinds = registry.con.execute(
        "SELECT kind, layout FROM import_runs WHERE kind LIKE 'certification%' ORDER BY run_id"
    ).fetchall()
    assert kinds == [
        ("certification_decisions", "certification_decisions"),
        ("certification_criteria", "certification_criteres"),
    ]


def test_same_file_twice_is_not_imported_again_and_a_correction_replaces(registry, tmp_path):
    path = HERE / "certification-decisions.csv"
    import_file(registry, DECISIONS, path)
    assert import_file(registry, DECISIONS, path).skipped
    corrected = tmp_path / "correction.csv"
    corrected.write_text(
        "finess;date_decision;decision;cycle;date_visite\n"
        "010000115;10/05/2023;certifie_mention;5;\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidFile, match=r"année de décision 2023 .* --remplace"):
        import_file(registry, DECISIONS, corrected)
    import_file(registry, DECISIONS, corrected, replace=True)
    assert registry.count("certification_decisions") == 7  # the two of 2023 → one
    assert registry.con.execute(
        "SELECT decision, visit_date FROM certification_decisions WHERE finess_et = '010000115'"
    ).fetchall() == [("certifie_mention", None)]  # the visit date is optional


def test_imported_files_compute(registry):
    import_file(registry, DECISIONS, HERE / "certification-decisions.csv")
    import_file(registry, CRITERIA, HERE / "certification-criteres.csv")
    codes = ["CERT_DECISION", "CERT_PART_CERTIFIES", "CERT_IMP_URGENCES_VITALES"]
    compute_indicators(registry, codes)
    decision = registry.con.execute(
        "SELECT class, value, details FROM results WHERE indicator_code = 'CERT_DECISION' "
        "AND entity_id = '010000065' AND period = '2022'"
    ).fetchall()[0]
    assert decision[:2] == ("certifie", 3.0)
    details = json.loads(decision[2])
    assert details["classe_precedente"] == "certifie_sous_conditions"
    assert details["visite_attendue_au"] == "2026-09-20"
    share = registry.con.execute(
        "SELECT numerator, denominator FROM results WHERE indicator_code = "
        "'CERT_PART_CERTIFIES' AND entity_kind = 'national' AND period = '2024'"
    ).fetchall()
    assert share == [(5.0, 7.0)]  # 7 establishments: one under conditions, one not certified
    vital = registry.con.execute(
        "SELECT period, numerator, denominator FROM results WHERE indicator_code = "
        "'CERT_IMP_URGENCES_VITALES' AND entity_kind = 'national' ORDER BY period"
    ).fetchall()
    # 010000065 fails it in 2021, meets it at its follow-up (2022); 010000107 meets it.
    assert vital == [("2021", 0.0, 1.0), ("2022", 2.0, 2.0), ("2023", 2.0, 2.0), ("2024", 3.0, 3.0)]


def test_wrong_separator(registry):
    assert refused(registry, DECISIONS, BROKEN / "certification-decisions-virgules.csv") == [
        (1, "", "en-tête illisible : séparateur « ; » attendu")
    ]


def test_missing_column(registry):
    path = BROKEN / "certification-decisions-colonne-manquante.csv"
    assert refused(registry, DECISIONS, path) == [
        (1, "date_visite", "colonne attendue absente : date_visite")
    ]


def test_invalid_values_are_all_reported(registry):
    path = BROKEN / "certification-decisions-valeurs-invalides.csv"
    problems = refused(registry, DECISIONS, path)
    assert [(line, column) for line, column, _ in problems] == [
        (3, "finess"),
        (4, "decision"),
        (5, "date_decision"),
        (6, "cycle"),
        (7, "date_visite"),
    ]
    reasons = [reason for _, _, reason in problems]
    assert "clé de contrôle incorrecte" in reasons[0]
    assert reasons[1].startswith("valeur attendue parmi certifie_mention, certifie, ")
    assert "« certifie avec reserves »" in reasons[1]
    assert reasons[2] == "date invalide (jj/mm/aaaa attendu), reçu « 31/02/2023 »"
    assert reasons[3].startswith("valeur inférieure au minimum (5)")
    assert reasons[4] == "date invalide (jj/mm/aaaa attendu), reçu « 2023-13-01 »"


def test_truncated_line(registry):
    problems = refused(registry, DECISIONS, BROKEN / "certification-decisions-tronque.csv")
    assert problems == [(3, "", "3 champs au lieu de 5 (ligne tronquée ou séparateur incorrect)")]


def test_unknown_criterion_type_and_result_codes_and_duplicates(registry):
    problems = refused(registry, CRITERIA, BROKEN / "certification-criteres-codes-inconnus.csv")
    assert [(line, column) for line, column, _ in problems] == [
        (3, "critere"),
        (4, "type_critere"),
        (5, "resultat"),
        (6, "finess"),
    ]
    assert "« 1.1-03 »" in problems[0][2] and "CONSENTEMENT" in problems[0][2]
    assert problems[1][2] == (
        "valeur attendue parmi imperatif, standard, avance, reçu « obligatoire »"
    )
    assert problems[3][2] == "ligne en double (déjà ligne 2)"


def test_skip_invalid_keeps_the_valid_lines(registry):
    path = BROKEN / "certification-decisions-valeurs-invalides.csv"
    outcome = import_file(registry, DECISIONS, path, skip_invalid=True)
    assert outcome.written.rows_accepted == 1
    assert registry.count("certification_decisions") == 1

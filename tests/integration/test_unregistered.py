"""Rows of imported files that refer to a FINESS number absent from the registry are kept,
reported at import (count and list, in French) and listed for the outputs that count."""

from hospiscope import pipeline
from hospiscope.warehouse.unregistered import (
    data_tables,
    unregistered_finess,
    unregistered_message,
)

from support import FIXTURES

ETALAB = FIXTURES / "finess" / "etalab-extrait.csv"
ABSENT = "540026895"  # a real establishment (Hôpital privé Nancy Lorraine), not in the extract


def _with_absent(source, tmp_path, first_column_value: str):
    """The fixture with its first data line copied for ABSENT."""
    lines = source.read_bytes().decode("utf-8-sig").splitlines()
    extra = lines[1].replace(first_column_value, ABSENT, 1)
    path = tmp_path / source.name
    path.write_text("\r\n".join([*lines, extra]) + "\r\n", "utf-8")
    return path


def test_rows_of_an_absent_establishment_are_kept_and_reported(warehouse, tmp_path):
    pipeline.import_registry(warehouse, ETALAB)
    decisions = _with_absent(
        FIXTURES / "certification" / "certification-decisions.csv", tmp_path, "010000065"
    )
    outcome = pipeline.import_tabular(warehouse, "certification-decisions", decisions)
    assert outcome.written.metadata["absents_du_registre"] == [ABSENT]
    stored = warehouse.con.execute(
        "SELECT count(*) FROM certification_decisions WHERE finess_et = ?", [ABSENT]
    ).fetchall()
    assert stored == [(1,)]
    assert unregistered_message(outcome.written.metadata) == (
        f"1 établissement absent du registre FINESS importé : {ABSENT} "
        "(lignes gardées, comptées « absent du registre FINESS importé »)."
    )
    hygiene = _with_absent(FIXTURES / "hygiene" / "icsha-2024-extrait.csv", tmp_path, "010000065")
    again = pipeline.import_tabular(warehouse, "icsha", hygiene)
    assert again.written.metadata["absents_du_registre"] == [ABSENT]
    assert unregistered_finess(warehouse.con) == [ABSENT]
    assert unregistered_finess(warehouse.con, run_id=outcome.run_id) == [ABSENT]


def test_files_without_absent_establishments_say_nothing(warehouse):
    pipeline.import_registry(warehouse, ETALAB)
    decisions = FIXTURES / "certification" / "certification-decisions.csv"
    outcome = pipeline.import_tabular(warehouse, "certification-decisions", decisions)
    assert "absents_du_registre" not in outcome.written.metadata
    assert unregistered_message(outcome.written.metadata) is None


def test_every_imported_table_keyed_by_establishment_is_checked(warehouse):
    tables = set(data_tables(warehouse.con))
    assert {
        "capacity",
        "esatis_participation",
        "audit_records",
        "hygiene_icsha",
        "vaccination_grippe",
        "arthroplasty_stays",
        "certification_decisions",
        "certification_criteria",
    } <= tables
    assert not tables & {"establishments", "peer_groups", "peer_list_members"}


def test_a_long_list_is_shortened_and_an_empty_registry_said():
    numbers = [f"0100000{i:02d}" for i in range(12)]
    text = unregistered_message({"absents_du_registre": numbers, "registre_vide": True})
    assert text.startswith("12 établissements absents du registre FINESS importé : 010000000,")
    assert ", … (+2)" in text and "lancez `hospiscope import registry`" in text

"""Importing a GHT composition into a small warehouse (the etalab extract as registry): the
members are checked against the registry, unknown numbers are kept and counted, an import
replaces the previous composition whole, and a refused file leaves the warehouse exactly as
it was.

Fixtures: tests/fixtures/ght/ (hand-written, real FINESS numbers of the etalab extract)."""

import json

import pytest

from hospiscope import pipeline
from hospiscope.sources.issues import InvalidFile
from hospiscope.warehouse import Warehouse
from hospiscope.warehouse.ght import composition_origin

from support import FIXTURES, hospiscope, table_fingerprint

HERE = FIXTURES / "ght"
BROKEN = HERE / "broken"


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def members(wh) -> list[tuple]:
    return wh.con.execute(
        "SELECT ght_code, support_finess_et, finess_ej, finess_et, origin FROM ght_members "
        "ORDER BY ALL"
    ).fetchall()


def refused(wh, path) -> list[tuple[int, str, str]]:
    before = table_fingerprint(wh)
    with pytest.raises(InvalidFile) as error:
        pipeline.import_ght(wh, path)
    assert table_fingerprint(wh) == before
    return [(i.line, i.column, i.reason) for i in error.value.issues]


def test_a_composition_is_stored_with_types_read_from_the_registry(registry):
    outcome = pipeline.import_ght(registry, HERE / "ght-composition.csv")
    assert outcome.written.rows_accepted == 8 and outcome.written.rows_rejected == 0
    rows = members(registry)
    assert ("GHT-01-ESSAI", "010000065", None, "010000115", "import") in rows  # type empty: ET
    assert ("GHT-01-ESSAI", "010000065", "010007987", None, "import") in rows  # type empty: EJ
    # The support given as an EJ is its establishment.
    assert {r[1] for r in rows if r[0] == "GHT-972-ESSAI"} == {"970200036"}
    warning = outcome.written.issues[0]
    assert (warning.line, warning.column, warning.severity) == (
        6,
        "finess_support",
        "avertissement",
    )
    assert "970200036" in warning.reason
    run = registry.con.execute(
        "SELECT kind, rows_accepted, metadata FROM import_runs WHERE run_id = ?", [outcome.run_id]
    ).fetchall()[0]
    assert run[:2] == ("ght", 8)
    assert json.loads(run[2])["ght"] == 3
    assert composition_origin(registry.con) == "import"


def test_unknown_finess_are_kept_and_counted(registry):
    outcome = pipeline.import_ght(registry, HERE / "ght-finess-inconnu.csv")
    assert outcome.written.rows_accepted == 3
    assert outcome.written.metadata["absents_du_registre"] == ["010009900", "010009918"]
    assert {(i.line, i.severity) for i in outcome.written.issues} == {
        (3, "avertissement"),
        (4, "avertissement"),
    }
    assert ("GHT-01-ESSAI", "010000065", None, "010009918", "import") in members(registry)


def test_a_support_outside_its_ght_is_a_warning(registry, tmp_path):
    path = tmp_path / "ght-support-hors-membres.csv"
    path.write_text(
        "code_ght;nom_ght;finess_support;finess_membre;type_finess_membre\n"
        "GHT-01-ESSAI;GHT Bresse et Dombes (essai);010000065;010000115;ET\n",
        "utf-8",
    )
    outcome = pipeline.import_ght(registry, path)
    (warning,) = outcome.written.issues
    assert (warning.line, warning.column, warning.severity) == (
        2,
        "finess_support",
        "avertissement",
    )
    assert "n'est pas parmi les membres" in warning.reason


def test_a_type_contradicting_the_registry_is_refused(registry):
    found = refused(registry, BROKEN / "ght-type-contradictoire.csv")
    assert [(line, column) for line, column, _ in found] == [
        (2, "type_finess_membre"),
        (3, "type_finess_membre"),
    ]
    assert "est un établissement (ET) du registre" in found[0][2]
    assert "est une entité juridique (EJ) du registre" in found[1][2]


@pytest.mark.parametrize(
    "name",
    [
        "ght-finess-invalide.csv",
        "ght-noms-contradictoires.csv",
        "ght-membre-en-double.csv",
        "ght-colonne-manquante.csv",
        "ght-sans-lignes.csv",
    ],
)
def test_a_broken_file_leaves_the_warehouse_exactly_as_it_was(registry, name):
    pipeline.import_ght(registry, HERE / "ght-composition.csv")
    found = refused(registry, BROKEN / name)
    assert found and all(line >= 1 for line, _, _ in found)
    assert len(members(registry)) == 8  # the previous composition is still there


def test_skip_invalid_keeps_the_valid_lines(registry):
    outcome = pipeline.import_ght(registry, BROKEN / "ght-membre-en-double.csv", skip_invalid=True)
    assert (outcome.written.rows_accepted, outcome.written.rows_rejected) == (3, 2)


def test_an_import_replaces_the_previous_composition_whole(registry):
    first = pipeline.import_ght(registry, HERE / "ght-composition.csv")
    second = pipeline.import_ght(registry, HERE / "ght-composition-2.csv")
    assert {r[0] for r in members(registry)} == {"GHT-973-ESSAI"}
    assert second.written.metadata["remplace"][0]["lot"] == first.run_id
    # The first file, replaced, can be imported again: it comes back.
    again = pipeline.import_ght(registry, HERE / "ght-composition.csv")
    assert not again.skipped
    assert {r[0] for r in members(registry)} == {"GHT-01-ESSAI", "GHT-972-ESSAI", "GHT-2A-ESSAI"}
    assert pipeline.import_ght(registry, HERE / "ght-composition.csv").skipped


def test_the_demo_origin_is_stored_and_a_real_list_replaces_it(registry):
    pipeline.import_ght(registry, HERE / "ght-composition-2.csv", origin="hypothese_demo")
    assert {r[4] for r in members(registry)} == {"hypothese_demo"}
    pipeline.import_ght(registry, HERE / "ght-composition.csv")
    assert {r[4] for r in members(registry)} == {"import"}


def test_a_warehouse_created_before_the_table_gets_it_from_the_next_writer(tmp_path):
    path = tmp_path / "ancien.duckdb"
    with Warehouse(path) as wh:
        wh.con.execute("DROP TABLE ght_members")
    with Warehouse(path, read_only=True) as wh:  # a reader: opens, no composition
        assert composition_origin(wh.con) is None
    with Warehouse(path) as wh:
        assert wh.count("ght_members") == 0


def test_the_command_line_imports_the_composition(tmp_path):
    path = tmp_path / "entrepot.duckdb"
    hospiscope("import", "registry", FIXTURES / "finess" / "etalab-extrait.csv", "-w", path)
    done = hospiscope("import", "ght", HERE / "ght-composition.csv", "-w", path)
    assert "ght-composition.csv importé" in done.stdout
    assert "3 GHT, 8 membre(s)" in done.stdout
    refused = hospiscope(
        "import", "ght", BROKEN / "ght-noms-contradictoires.csv", "-w", path, check_code=1
    )
    assert "un seul nom par GHT" in refused.stdout + refused.stderr

"""Importing the real FINESS files: recorded runs, merge of layouts, re-import changes nothing,
peer groups exhaustive and exclusive."""

import pytest

from hospiscope import pipeline
from hospiscope.peers import load_stratifications

from support import BUNDLED_GISCO, FIXTURES, table_fingerprint

ETALAB = FIXTURES / "finess" / "etalab-extrait.csv"
POSITION = FIXTURES / "finess" / "etalab-position-hors-departement.csv"


def test_bundled_registry_import_is_recorded(warehouse):
    outcome = pipeline.import_registry(warehouse, BUNDLED_GISCO)
    assert outcome.run_id == 1 and outcome.written.rows_accepted == 5_368
    run = warehouse.con.execute("""SELECT kind, layout, source_file, length(sha256), rows_read,
        rows_accepted, rows_rejected, warnings, duration_s > 0, encoding
        FROM import_runs""").fetchall()
    assert run == [
        (
            "registry",
            "gisco",
            "finess-gisco-FR-2020.csv",
            64,
            5_368,
            5_368,
            0,
            len(outcome.written.issues),
            True,
            "UTF-8",
        )
    ]
    stored = warehouse.con.execute(
        "SELECT count(*), count(DISTINCT finess_et), min(length(finess_et)) FROM establishments"
    ).fetchall()[0]
    assert stored == (5_368, 5_368, 9)
    assert warehouse.count("import_issues") == len(outcome.written.issues)


def test_reimporting_the_same_file_changes_nothing(warehouse):
    pipeline.import_registry(warehouse, BUNDLED_GISCO)
    before = table_fingerprint(warehouse)
    again = pipeline.import_registry(warehouse, BUNDLED_GISCO)
    assert again.skipped and again.already_imported_as == 1
    assert table_fingerprint(warehouse) == before


def test_etalab_extract_enriches_without_erasing(warehouse):
    pipeline.import_registry(warehouse, ETALAB)
    ej_before = warehouse.con.execute(
        "SELECT finess_ej FROM establishments WHERE finess_et = '010000065'"
    ).fetchall()
    assert ej_before == [("010780096",)]
    pipeline.import_registry(warehouse, BUNDLED_GISCO)  # GISCO has no EJ numbers
    row = warehouse.con.execute("""SELECT finess_ej, legal_status, import_run_id
        FROM establishments WHERE finess_et = '010000065'""").fetchall()
    assert row == [("010780096", "public", 2)]


def test_every_establishment_in_exactly_one_group_of_each_stratification(warehouse):
    pipeline.import_registry(warehouse, BUNDLED_GISCO)
    pipeline.import_registry(warehouse, ETALAB)
    establishments = warehouse.count("establishments")
    for stratification in load_stratifications():
        counts = warehouse.con.execute(
            """SELECT count(*), count(DISTINCT finess_et)
            FROM peer_groups WHERE stratification = ?""",
            [stratification.code],
        ).fetchall()
        assert counts == [(establishments, establishments)], stratification.code
        known = {code for code, _ in stratification.groups()}
        used = {
            row[0]
            for row in warehouse.con.execute(
                "SELECT DISTINCT group_code FROM peer_groups WHERE stratification = ?",
                [stratification.code],
            ).fetchall()
        }
        assert used <= known


@pytest.mark.parametrize(
    ("finess", "expected_type"),
    [
        ("010000024", "CH"),  # Centre hospitalier
        ("130783293", "CHU_CHR"),  # AP-HM site
        ("330000662", "CLCC"),  # Institut Bergonié
    ],
)
def test_type_groups_of_known_establishments(warehouse, finess, expected_type):
    pipeline.import_registry(warehouse, BUNDLED_GISCO)
    group = warehouse.con.execute(
        """SELECT group_code FROM peer_groups
        WHERE stratification = 'type' AND finess_et = ?""",
        [finess],
    ).fetchall()
    assert group == [(expected_type,)]


def test_only_establishments_of_the_scope_are_kept_by_default(warehouse):
    """The etalab export lists every FINESS structure; EHPADs (aggregate 4401) are not kept,
    health establishments (11xx, 12xx) and the army hospital (114, aggregate 2205) are."""
    outcome = pipeline.import_registry(warehouse, ETALAB)
    assert outcome.written.metadata["hors_perimetre"] == 4
    assert outcome.written.rows_accepted == 23 == warehouse.count("establishments")
    groups = {
        row[0]
        for row in warehouse.con.execute(
            "SELECT DISTINCT category_group_code FROM establishments"
        ).fetchall()
    }
    assert all(group is None or group[:2] in ("11", "12") or group == "2205" for group in groups)
    army = warehouse.con.execute(
        "SELECT category_code, category_group_code, department_code, region_code "
        "FROM establishments WHERE finess_et = '130786742'"
    ).fetchall()
    assert army == [("114", "2205", "13", "93")]


def test_all_categories_on_request(warehouse):
    pipeline.import_registry(warehouse, ETALAB, all_categories=True)
    assert warehouse.count("establishments") == 27
    options = warehouse.con.execute("SELECT options FROM import_runs").fetchall()[0][0]
    assert '"all_categories": true' in options


def test_impossible_position_is_not_stored(warehouse):
    """X = 99 999 999 (Lambert-93) converts to longitude 121.97, latitude -84.0: the clinic of
    Haute-Garonne is kept without a position, the warning names the geolocalisation line."""
    outcome = pipeline.import_registry(warehouse, POSITION)
    assert outcome.written.metadata["positions_hors_departement"] == 1
    (warning,) = [i for i in outcome.written.issues if "sans position" in i.reason]
    assert (warning.line, warning.column) == (4, "coordxet (3), coordyet (4)")
    assert warning.reason.startswith("position hors du département 31 (Haute-Garonne)")
    assert "X = 99999999" in warning.reason
    rows = warehouse.con.execute(
        "SELECT finess_et, longitude IS NULL, latitude IS NULL, geo_source IS NULL "
        "FROM establishments ORDER BY finess_et"
    ).fetchall()
    assert rows == [("310021571", True, True, True), ("310780150", False, False, False)]
    stored = warehouse.con.execute(
        "SELECT line, column_name, severity FROM import_issues WHERE reason LIKE 'position%'"
    ).fetchall()
    assert stored == [(4, "coordxet (3), coordyet (4)", "avertissement")]


def test_wrong_positions_of_the_bundled_file_are_not_stored(warehouse):
    """GISCO's file has real geocoding errors (e.g. Hôpital Émile Muller of Mulhouse placed
    in Brittany, the Hôtel-Dieu of Paris at the centre of France): kept without position."""
    outcome = pipeline.import_registry(warehouse, BUNDLED_GISCO)
    dropped = outcome.written.metadata["positions_hors_departement"]
    assert dropped == 26
    without = {
        row[0]
        for row in warehouse.con.execute(
            "SELECT finess_et FROM establishments WHERE longitude IS NULL"
        ).fetchall()
    }
    assert {"680004546", "750100018"} <= without and len(without) == dropped
    assert warehouse.count("establishments") == 5_368

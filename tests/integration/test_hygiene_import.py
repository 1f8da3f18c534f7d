"""ICSHA files (hospiscope's documented layout): typed storage of a real-layout extract
(UTF-8 with BOM, CRLF, decimal comma, thousands spaces, NC and DI rows), computed end to end;
re-import and replacement; broken files refused with every problem and the warehouse
unchanged; --skip-invalid."""

import json

import pandas as pd
import pytest

from hospiscope import pipeline
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, table_fingerprint

EXTRACT = FIXTURES / "hygiene" / "icsha-2024-extrait.csv"
BROKEN = FIXTURES / "hygiene" / "broken"
HEADER = "finess;annee;version;volume_consomme_litres;objectif_personnalise_litres;non_concerne"


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def icsha(warehouse, path, **options):
    return pipeline.import_tabular(warehouse, "icsha", path, **options)


def write(tmp_path, *lines, name="icsha.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8-sig")
    return path


def test_extract_is_stored_typed(registry):
    outcome = icsha(registry, EXTRACT)
    assert outcome.written.rows_accepted == 9 and outcome.written.layout == "icsha"
    assert outcome.written.encoding == "UTF-8 avec BOM"
    rows = {
        r[0]: r[1:]
        for r in registry.con.execute(
            """SELECT finess_et, year, version, volume_litres, objective_litres, not_concerned
            FROM hygiene_icsha"""
        ).fetchall()
    }
    assert rows["010000065"] == (2024, "ICSHA.3", 1843.5, 2310.0, False)  # "1 843,5"
    assert rows["010000115"] == (2024, "ICSHA.3", None, 655.2, False)  # DI: no volume
    assert rows["010002129"][-1] is None  # empty flag: not NC
    assert rows["010008852"] == (2024, "ICSHA.3", None, None, True)  # NC
    assert rows["010000214"] == (2024, "ICSHA.3", 93.0, 120.0, False)  # leading zero restored
    types = registry.con.execute("""SELECT typeof(year), typeof(volume_litres),
        typeof(not_concerned) FROM hygiene_icsha LIMIT 1""").fetchall()
    assert types == [("INTEGER", "DOUBLE", "BOOLEAN")]


def results(warehouse, code):
    frame = warehouse.con.execute(
        "SELECT * FROM results WHERE indicator_code = ?", [code]
    ).fetchdf()
    return frame.set_index("entity_id")


def test_extract_computed_end_to_end(registry):
    icsha(registry, EXTRACT)
    compute_indicators(registry, ["ICSHA3", "ICSHA3_OBJECTIF_ATTEINT", "ICSHA2"])
    out = results(registry, "ICSHA3")
    national = out.loc["FR"]
    assert (national["numerator"], national["denominator"]) == pytest.approx((6352.65, 7405.5))
    assert national["value"] == pytest.approx(100 * 6352.65 / 7405.5)
    assert json.loads(national["details"]) == {
        "etablissements_non_concernes": 1,
        "etablissements_donnees_insuffisantes": 1,
    }
    assert out.loc["010000107", "class"] == "A"  # 103.6 %
    assert out.loc["010000065", "class"] == "B"  # 79.8 %
    assert json.loads(out.loc["010000107", "details"])["objectif_atteint"] is True
    for finess in ("010000115", "010008852"):  # DI, NC: no value, no class
        assert pd.isna(out.loc[finess, "value"]) and pd.isna(out.loc[finess, "class"])
    share = results(registry, "ICSHA3_OBJECTIF_ATTEINT").loc["FR"]
    assert (share["numerator"], share["denominator"]) == (1, 7)
    assert share["ci_method"] == "Wilson"
    assert results(registry, "ICSHA2").empty  # no ICSHA.2 row: nothing computed, nothing mixed


def test_reimport_is_skipped_and_a_new_file_replaces_the_year(registry, tmp_path):
    icsha(registry, EXTRACT)
    before = table_fingerprint(registry)
    assert icsha(registry, EXTRACT).skipped
    assert table_fingerprint(registry) == before
    corrected = write(tmp_path, "010000065;2024;ICSHA.2;1 900;2 105,5;non")
    with pytest.raises(InvalidFile, match=r"année 2024 .* --remplace"):
        icsha(registry, corrected)
    icsha(registry, corrected, replace=True)
    assert registry.count("hygiene_icsha") == 1  # the year is replaced
    row = registry.con.execute(
        "SELECT version, volume_litres FROM hygiene_icsha WHERE finess_et = '010000065'"
    ).fetchall()
    assert row == [("ICSHA.2", 1900.0)]


def refused(warehouse, name):
    before = table_fingerprint(warehouse)
    with pytest.raises(InvalidFile) as error:
        icsha(warehouse, BROKEN / name)
    assert table_fingerprint(warehouse) == before
    assert all(issue.file == name for issue in error.value.issues)
    return [(i.line, i.column, i.reason) for i in error.value.issues]


@pytest.fixture
def loaded(registry):
    """A warehouse already holding ICSHA rows, to show that none of them changes."""
    icsha(registry, EXTRACT)
    return registry


def test_wrong_separator(loaded):
    assert refused(loaded, "icsha-virgules.csv") == [
        (1, "", "en-tête illisible : séparateur « ; » attendu")
    ]


def test_missing_column(loaded):
    assert refused(loaded, "icsha-colonne-manquante.csv") == [
        (
            1,
            "objectif_personnalise_litres",
            "colonne attendue absente : objectif_personnalise_litres",
        )
    ]


def test_bad_finess_numbers_are_all_reported(loaded):
    issues = refused(loaded, "icsha-finess-invalide.csv")
    assert [(line, column) for line, column, _ in issues] == [
        (3, "finess"),
        (4, "finess"),
        (5, "finess"),
    ]
    assert "clé de contrôle incorrecte" in issues[0][2]
    assert "9 caractères attendus, 7 reçus" in issues[1][2]
    assert "caractères non autorisés" in issues[2][2]


def test_bad_values_are_all_reported(loaded):
    assert refused(loaded, "icsha-valeurs-invalides.csv") == [
        (2, "volume_consomme_litres", "valeur inférieure au minimum (0), reçu « -12,5 »"),
        (3, "volume_consomme_litres", "nombre attendu, reçu « env. 400 »"),
        (4, "version", "valeur attendue parmi ICSHA.2, ICSHA.3, reçu « ICSHA.4 »"),
        (5, "annee", "année invalide, reçu « 24 »"),
        (6, "non_concerne", "oui ou non attendu, reçu « peut-être »"),
    ]


def test_truncated_file(loaded):
    assert refused(loaded, "icsha-tronque.csv") == [
        (4, "", "4 champs au lieu de 6 (ligne tronquée ou séparateur incorrect)")
    ]


def test_two_versions_of_one_year_are_refused(loaded):
    assert refused(loaded, "icsha-doublon.csv") == [(3, "finess", "ligne en double (déjà ligne 2)")]


def test_decimal_comma_and_thousands_spaces_are_read(registry, tmp_path):
    icsha(registry, write(tmp_path, "010000065;2024;ICSHA.3;12 345,75;0,5;non"))
    assert registry.con.execute(
        "SELECT volume_litres, objective_litres FROM hygiene_icsha"
    ).fetchall() == [(12345.75, 0.5)]


def test_skip_invalid_keeps_the_valid_lines(registry):
    outcome = icsha(registry, BROKEN / "icsha-valeurs-invalides.csv", skip_invalid=True)
    assert outcome.written.rows_accepted == 1 and outcome.written.rows_read == 6
    stored = registry.con.execute("SELECT finess_et FROM hygiene_icsha").fetchall()
    assert stored == [("970302071",)]
    lines = registry.con.execute(
        "SELECT line FROM import_issues WHERE run_id = ? ORDER BY line", [outcome.run_id]
    ).fetchall()
    assert [line for (line,) in lines] == [2, 3, 4, 5, 6]


def test_header_only_is_refused(registry, tmp_path):
    with pytest.raises(InvalidFile, match="aucune ligne de données"):
        icsha(registry, write(tmp_path))

"""Staff flu vaccination files (hospiscope's documented layout): typed storage of a
real-layout extract (UTF-8 with BOM, CRLF, thousands spaces, NC and DI rows), computed end to
end with levels; re-import and replacement; broken files refused with every problem and the
warehouse unchanged; --skip-invalid."""

import json

import pandas as pd
import pytest

from hospiscope import pipeline
from hospiscope.results.compute import compute_indicators
from hospiscope.sources.issues import InvalidFile

from support import FIXTURES, table_fingerprint

EXTRACT = FIXTURES / "vaccination" / "vaccination-grippe-2023-2024-extrait.csv"
BROKEN = FIXTURES / "vaccination" / "broken"
HEADER = "finess;saison;personnels_vaccines;personnels_total;non_concerne"


@pytest.fixture
def registry(warehouse):
    pipeline.import_registry(warehouse, FIXTURES / "finess" / "etalab-extrait.csv")
    return warehouse


def vaccination(warehouse, path, **options):
    return pipeline.import_tabular(warehouse, "vaccination", path, **options)


def write(tmp_path, *lines, name="vaccination.csv"):
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *lines]) + "\r\n", encoding="utf-8-sig")
    return path


def test_extract_is_stored_typed(registry):
    outcome = vaccination(registry, EXTRACT)
    assert outcome.written.rows_accepted == 9
    assert outcome.written.layout == "vaccination-grippe"
    assert outcome.written.encoding == "UTF-8 avec BOM"
    rows = {
        r[0]: r[1:]
        for r in registry.con.execute(
            "SELECT finess_et, season, vaccinated, staff, not_concerned FROM vaccination_grippe"
        ).fetchall()
    }
    assert rows["010000065"] == ("2023-2024", 212, 1054, False)  # "1 054"
    assert rows["010000115"] == ("2023-2024", None, 402, False)  # DI: no count
    assert rows["010008852"] == ("2023-2024", None, None, True)  # NC
    assert rows["010002129"][-1] is None
    assert rows["010000214"] == ("2023-2024", 9, 61, False)  # leading zero restored
    types = registry.con.execute("""SELECT typeof(season), typeof(vaccinated),
        typeof(not_concerned) FROM vaccination_grippe LIMIT 1""").fetchall()
    assert types == [("VARCHAR", "INTEGER", "BOOLEAN")]


def test_extract_computed_end_to_end(registry):
    vaccination(registry, EXTRACT)
    compute_indicators(registry, ["VACCIN_GRIPPE"])
    out = registry.con.execute(
        "SELECT * FROM results WHERE indicator_code = 'VACCIN_GRIPPE'"
    ).fetchdf()
    out = out.set_index("entity_id")
    national = out.loc["FR"]
    assert (national["numerator"], national["denominator"]) == (710, 3416)
    assert national["period"] == "2023-2024" and national["ci_method"] == "Wilson"
    assert national["ci_low"] < national["value"] < national["ci_high"]
    levels = out[out["entity_kind"] == "etablissement"]["class"].to_dict()
    assert levels["010000065"] == "insuffisant"  # 20.1 %
    assert levels["010000107"] == "tres_insuffisant"  # 16.6 %
    assert levels["010002129"] == "intermediaire"  # 60.4 % (assumed bound 60 %)
    for finess in ("010000115", "970302071", "010008852"):  # DI, DI (140 > 120), NC
        assert pd.isna(out.loc[finess, "value"]) and pd.isna(levels[finess])
    details = json.loads(out.loc["010002129", "details"])
    assert details["position_objectif"] == "en dessous"  # CI of 58/96 below 75 %


def test_reimport_is_skipped_and_a_new_file_replaces_the_season(registry, tmp_path):
    vaccination(registry, EXTRACT)
    before = table_fingerprint(registry)
    assert vaccination(registry, EXTRACT).skipped
    assert table_fingerprint(registry) == before
    corrected = write(
        tmp_path, "010000065;2023-2024;230;1 054;non", "010000065;2022-2023;180;1 020;"
    )
    with pytest.raises(InvalidFile, match=r"saisons 2022-2023, 2023-2024 .* --remplace"):
        vaccination(registry, corrected)
    vaccination(registry, corrected, replace=True)
    assert registry.count("vaccination_grippe") == 2  # both seasons replaced
    rows = registry.con.execute("""SELECT season, vaccinated FROM vaccination_grippe
        WHERE finess_et = '010000065' ORDER BY season""").fetchall()
    assert rows == [("2022-2023", 180), ("2023-2024", 230)]


def refused(warehouse, name):
    before = table_fingerprint(warehouse)
    with pytest.raises(InvalidFile) as error:
        vaccination(warehouse, BROKEN / name)
    assert table_fingerprint(warehouse) == before
    assert all(issue.file == name for issue in error.value.issues)
    return [(i.line, i.column, i.reason) for i in error.value.issues]


@pytest.fixture
def loaded(registry):
    """A warehouse already holding vaccination rows, to show that none of them changes."""
    vaccination(registry, EXTRACT)
    return registry


def test_wrong_separator(loaded):
    assert refused(loaded, "vaccination-virgules.csv") == [
        (1, "", "en-tête illisible : séparateur « ; » attendu")
    ]


def test_missing_column(loaded):
    assert refused(loaded, "vaccination-colonne-manquante.csv") == [
        (1, "personnels_total", "colonne attendue absente : personnels_total")
    ]


def test_bad_finess_numbers_are_all_reported(loaded):
    issues = refused(loaded, "vaccination-finess-invalide.csv")
    assert [(line, column) for line, column, _ in issues] == [(3, "finess"), (4, "finess")]
    assert "clé de contrôle incorrecte" in issues[0][2]


def test_decimal_comma_counts_are_refused(loaded):
    # "187,0" is a whole number and is accepted; 212,5 staff members is not a head count.
    assert refused(loaded, "vaccination-decimales.csv") == [
        (2, "personnels_vaccines", "nombre entier positif attendu, reçu « 212,5 »"),
        (4, "personnels_total", "nombre entier positif attendu, reçu « 402,75 »"),
    ]


def test_bad_seasons_and_negative_counts(loaded):
    issues = refused(loaded, "vaccination-saison-invalide.csv")
    assert [(line, column) for line, column, _ in issues] == [
        (2, "saison"),
        (3, "saison"),
        (4, "personnels_vaccines"),
    ]
    assert issues[0][2].startswith("valeur attendue parmi 2022-2023, 2023-2024")
    assert issues[0][2].endswith("reçu « 2023/2024 »")
    assert issues[1][2].endswith("reçu « 2021-2022 »")  # before the first measurement


def test_truncated_file(loaded):
    assert refused(loaded, "vaccination-tronque.csv") == [
        (3, "", "4 champs au lieu de 5 (ligne tronquée ou séparateur incorrect)")
    ]


def test_skip_invalid_keeps_the_valid_lines(registry):
    outcome = vaccination(registry, BROKEN / "vaccination-decimales.csv", skip_invalid=True)
    assert outcome.written.rows_accepted == 1 and outcome.written.rows_read == 3
    assert registry.con.execute("SELECT finess_et, staff FROM vaccination_grippe").fetchall() == [
        ("010000107", 187)
    ]


def test_header_only_is_refused(registry, tmp_path):
    with pytest.raises(InvalidFile, match="aucune ligne de données"):
        vaccination(registry, write(tmp_path))

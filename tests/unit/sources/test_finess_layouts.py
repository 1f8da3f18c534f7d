"""The three FINESS layouts on real-layout files: detection, fields, coordinates."""

from pathlib import Path

import pytest

from hospiscope.geo import geography
from hospiscope.sources.finess import etalab, gisco, scansante
from hospiscope.sources.finess.layouts import detect_layout
from hospiscope.sources.finess.normalise import normalise
from hospiscope.sources.issues import InvalidFile, errors, warnings

from support import BUNDLED_GISCO, FIXTURES, SHARED_RAW

ETALAB = FIXTURES / "finess" / "etalab-extrait.csv"


def test_detection():
    assert detect_layout(ETALAB) is etalab
    assert detect_layout(BUNDLED_GISCO) is gisco
    assert detect_layout(FIXTURES / "broken" / "gisco-cp1252-crlf.csv") is gisco


def test_unknown_layout_names_what_is_expected(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b;c\n1;2;3\n", "utf-8")
    with pytest.raises(InvalidFile, match="format de registre non reconnu"):
        detect_layout(path)


def test_etalab_extract():
    records, issues, metadata = etalab.read(ETALAB)
    assert errors(issues) == []
    assert metadata == {"extract_date": "2024-09-03"}
    by_number = {r.finess_et: r for r in records}
    assert len(by_number) == 27
    corsica = by_number["2A0000022"]
    assert corsica.department_field == "2A" and corsica.commune_code == "004"
    assert corsica.latitude == pytest.approx(41.93, abs=0.05)
    fleyriat = by_number["010000065"]
    assert (fleyriat.finess_ej, fleyriat.category_code, fleyriat.sph_code) == (
        "010780096",
        "355",
        "1",
    )
    assert fleyriat.postcode == "01606" and fleyriat.city == "TREVOUX CEDEX"


def test_etalab_overseas_records_are_placed_in_their_department():
    records, _, _ = etalab.read(ETALAB)
    rows, issues = normalise(records, ETALAB.name, geography())
    by_number = {row["finess_et"]: row for row in rows}
    mayotte = by_number["980500722"]
    assert (mayotte["department_code"], mayotte["region_code"], mayotte["commune_code"]) == (
        "976",
        "06",
        "97602",
    )
    assert -13.1 < mayotte["latitude"] < -12.6 and 45.0 < mayotte["longitude"] < 45.3
    assert all(row["region_code"] for row in rows)
    assert warnings(issues) == []


def test_gisco_bundled_file():
    records, issues, metadata = gisco.read(BUNDLED_GISCO)
    assert len(records) == 5_368 and errors(issues) == []
    assert metadata == {"extract_date": "2020-03-06"}
    rows, warned = normalise(records, BUNDLED_GISCO.name, geography())
    with_commune = sum(1 for row in rows if row["commune_code"])
    assert with_commune / len(rows) > 0.99
    assert all(issue.severity == "avertissement" for issue in warned)
    assert sum(1 for row in rows if row["region_code"] is None) == 2  # Saint-Pierre-et-Miquelon
    statuses = {row["legal_status"] for row in rows}
    assert statuses == {"public", "prive_non_lucratif", "prive_lucratif"}


def test_gisco_windows_1252_with_crlf_reads_like_utf8():
    utf8, _, _ = gisco.read(FIXTURES / "finess" / "gisco-extrait.csv")
    cp1252, _, _ = gisco.read(FIXTURES / "broken" / "gisco-cp1252-crlf.csv")
    assert [(r.finess_et, r.name, r.city) for r in utf8] == [
        (r.finess_et, r.name, r.city) for r in cp1252
    ]


@pytest.mark.skipif(not SHARED_RAW.exists(), reason="shared data not mounted")
def test_scansante_json():
    path = SHARED_RAW / "finess-smr-enriched" / "finess_geo_mapping_enrichis.json"
    records, issues, _ = scansante.read(Path(path))
    assert len(records) == 1_568 and errors(issues) == []
    # 18 records have no nofinesset: identified by their key, with a warning at their line.
    keyed = [i for i in issues if "identifié par la clé" in i.reason]
    assert len(keyed) == 18 and all(i.line > 1 for i in keyed)

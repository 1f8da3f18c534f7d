"""FINESS geographic codes → INSEE (facts.md §6), checked on real records."""

import json

import pytest

from hospiscope.geo import (
    department_from_finess_field,
    department_from_finess_number,
    insee_commune_from_finess,
)

from support import SHARED_RAW


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("01", "01"),
        ("2A", "2A"),
        ("2B", "2B"),
        ("9A", "971"),
        ("9B", "972"),
        ("9C", "973"),
        ("9D", "974"),
        ("9F", "976"),
        ("976", "976"),
        ("00", None),
        ("9J", None),
        ("", None),
    ],
)
def test_department_from_finess_field(field, expected):
    assert department_from_finess_field(field) == expected


@pytest.mark.parametrize(
    ("finess", "expected"),
    [
        ("010000024", "01"),
        ("2A0000022", "2A"),
        ("970100400", "971"),
        ("970210126", "972"),
        ("970300026", "973"),
        ("970400024", "974"),
        ("970500039", "975"),
        ("980500011", "976"),
        ("980600027", None),
    ],
)
def test_department_from_finess_number(finess, expected):
    assert department_from_finess_number(finess) == expected


@pytest.mark.parametrize(
    ("department", "commune", "expected"),
    [
        ("01", "451", "01451"),
        ("2A", "004", "2A004"),
        ("9A", "105", "97105"),
        ("9F", "602", "97602"),
        ("01", "53", "01053"),
        ("01", "", None),
        ("01", "A12", None),
    ],
)
def test_insee_commune_from_finess(department, commune, expected):
    assert insee_commune_from_finess(department, commune) == expected


@pytest.mark.skipif(not SHARED_RAW.exists(), reason="shared data not mounted")
def test_rules_agree_with_real_records():
    """Every real record with both fields: department + commune → its INSEE commune code."""
    records = json.loads(
        (SHARED_RAW / "finess-smr-enriched" / "finess_geo_mapping_enrichis.json").read_text("utf-8")
    )
    # Saint-Barthélemy and Saint-Martin left Guadeloupe in 2007 (INSEE 977xx, 978xx) but FINESS
    # still files them under 9A with their former commune numbers 123 and 127.
    collectivities = {"97701": "97123", "97801": "97127"}
    checked = 0
    for record in records.values():
        if record.get("com_code") in collectivities:
            assert (
                insee_commune_from_finess(record["dep_code"], record["commune"])
                == collectivities[record["com_code"]]
            )
        elif record.get("com_code") and len(record.get("commune") or "") == 3:
            assert (
                insee_commune_from_finess(record["dep_code"], record["commune"])
                == record["com_code"]
            ), record["nofinesset"]
            checked += 1
    assert checked > 1_500

"""Record-audit rates: compliant records / evaluable records (NA excluded) per establishment and
campaign, only the records of the indicator's code; an establishment with every record
excluded keeps a zero denominator; aggregates pool the records; one period per campaign."""

import pytest

from hospiscope.catalogue import catalogue, get_indicator
from hospiscope.sources.audits import INDICATORS

from speclib import run_spec

# 970100400 is audited but absent from the registry: national figure only. 2A0000022 has
# only excluded records for the indicator in 2024. OTHER lines belong to another indicator.
RECORDS = """
campaign | finess_et | indicator | record_number | outcome | import_run_id
2024     | 010000024 | CODE      | 1             | oui     | 2
2024     | 010000024 | CODE      | 2             | oui     | 2
2024     | 010000024 | CODE      | 3             | non     | 2
2024     | 010000024 | CODE      | 4             | NA      | 2
2024     | 010000024 | OTHER     | 1             | non     | 2
2024     | 010000024 | OTHER     | 5             | oui     | 2
2024     | 010002129 | CODE      | 1             | non     | 2
2024     | 010002129 | CODE      | 2             | oui     | 2
2024     | 010002129 | OTHER     | 3             | oui     | 2
2024     | 2A0000022 | CODE      | 1             | NA      | 2
2024     | 2A0000022 | CODE      | 2             | NA      | 2
2024     | 2A0000022 | OTHER     | 1             | oui     | 2
2024     | 970100400 | CODE      | 7             | oui     | 2
2023     | 010000024 | CODE      | 1             | non     | 3
2023     | 010000024 | CODE      | 2             | oui     | 3
2023     | 2A0000022 | CODE      | 1             | oui     | 3
"""
EXPECTED = {
    ("etablissement", "010000024", "2024"): (2, 3),
    ("etablissement", "010002129", "2024"): (1, 2),
    ("etablissement", "2A0000022", "2024"): (0, 0),
    ("etablissement", "970100400", "2024"): (1, 1),
    ("etablissement", "010000024", "2023"): (1, 2),
    ("etablissement", "2A0000022", "2023"): (1, 1),
}
AUDIT_CODES = [code for code in catalogue() if code.startswith("AUDIT_")]


def records_of(file_code: str, other: str) -> str:
    return RECORDS.replace("CODE", file_code).replace("OTHER", other)


def test_every_audit_code_of_the_layout_has_its_indicator():
    assert sorted(AUDIT_CODES) == sorted(f"AUDIT_{code}" for code in INDICATORS)


@pytest.mark.parametrize("code", AUDIT_CODES)
def test_audit_rate(engine, warehouse_schemas, code):
    file_code = code.removeprefix("AUDIT_")
    other = "CA_QLS" if file_code != "CA_QLS" else "MCO_QLS"
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator(code),
        {
            "audit_records": records_of(file_code, other),
        },
        EXPECTED,
    )


def test_same_discharge_letter_code_in_two_sectors_is_kept_apart(engine, warehouse_schemas):
    """CA_QLS and MCO_QLS audit the same criterion in two sectors: never mixed."""
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("AUDIT_MCO_QLS"),
        {
            "audit_records": """
campaign | finess_et | indicator | record_number | outcome | import_run_id
2024     | 010000024 | CA_QLS    | 1             | oui     | 2
2024     | 010000024 | MCO_QLS   | 1             | non     | 2
2024     | 010000024 | MCO_QLS   | 2             | oui     | 2
""",
        },
        {
            ("etablissement", "010000024", "2024"): (1, 2),
        },
    )

"""Recovery: the amount recovered from the complementary insurers (AMC) by 30 June n+1 over
the amount billed to them for year n; the amount billed to patients for year n not recovered
by 31 December n+1 over that amount. A line's recovery counts when its date is within the
horizon (inclusive), up to the invoice's amount; without a date nothing counts; rejected
invoices are left out."""

import pytest

from hospiscope.catalogue import get_indicator

from speclib import run_spec

COLUMNS = (
    "finess_et | invoice_number | debtor | service_date | issue_date | amount | "
    "recovery_date | recovered_amount | rejected | import_run_id"
)
# 010000024, AMC 2023: A1 recovered on 30 June 2024 (the last day), A2 on 1 July (too late),
# A3 over-recovered (counts 300), A4 no date, A5 no amount, A6 rejected.
# PATIENT 2023: P1 recovered on 31 December 2024 (in time), P2 on 1 January 2025 (too late),
# P3 nothing, P4 in part (30 of 80).
INVOICES = f"""
{COLUMNS}
010000024 | A1 | AMC     | 2023-03-01 | 2023-04-01 | 1000 | 2024-06-30 | 1000 |      | 1
010000024 | A2 | AMC     | 2023-10-01 | 2023-11-01 | 500  | 2024-07-01 | 500  |      | 1
010000024 | A3 | AMC     | 2023-10-01 | 2023-11-01 | 300  | 2024-02-01 | 400  |      | 1
010000024 | A4 | AMC     | 2023-10-01 | 2023-11-01 | 200  |            | 200  |      | 1
010000024 | A5 | AMC     | 2023-10-01 | 2023-11-01 | 100  | 2023-12-20 |      |      | 1
010000024 | A6 | AMC     | 2023-10-01 | 2023-11-01 | 400  | 2023-12-20 | 400  | true | 1
010000024 | B1 | AMC     | 2024-01-15 | 2024-02-01 | 100  | 2025-06-01 | 60   |      | 1
010000024 | P1 | PATIENT | 2023-01-10 | 2023-02-01 | 200  | 2024-12-31 | 200  |      | 1
010000024 | P2 | PATIENT | 2023-01-10 | 2023-02-01 | 100  | 2025-01-01 | 100  |      | 1
010000024 | P3 | PATIENT | 2023-01-10 | 2023-02-01 | 50   |            |      |      | 1
010000024 | P4 | PATIENT | 2023-01-10 | 2023-02-01 | 80   | 2024-03-01 | 30   |      | 1
010002129 | Q1 | PATIENT | 2023-05-05 | 2023-05-05 | 0    |            |      |      | 1
2A0000022 | R1 | AMC     | 2023-12-31 | 2024-03-31 | 90   | 2024-06-01 | 90   |      | 1
2A0000022 | R2 | AMO     | 2023-12-31 | 2024-01-31 | 900  | 2024-02-01 | 900  |      | 1
"""
E = "etablissement"
EXPECTED = {
    "EFF_RECOUVREMENT_AMC_6M": {
        # A1 + A3 (capped at 300) = 1300 over A1 + … + A5 = 1000 + 500 + 300 + 200 + 100.
        (E, "010000024", "2023"): (1300, 2100),
        (E, "010000024", "2024"): (60, 100),
        (E, "2A0000022", "2023"): (90, 90),
    },
    "EFF_CREANCES_PATIENT": {
        # P2 100 + P3 50 + P4 (80 − 30) = 200 not recovered over 200 + 100 + 50 + 80 = 430.
        (E, "010000024", "2023"): (200, 430),
        (E, "010002129", "2023"): (0, 0),
    },
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_recovered_within_the_horizon(engine, warehouse_schemas, code):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator(code),
        {"billing_invoices": INVOICES},
        EXPECTED[code],
    )

"""Billing delays, ANAP method: per establishment and year of care n, the amount of the
invoices issued from 1 January to 31 March n+1 over the amount of every invoice of year n
(the value is that × 365 days), for all debtors and for each debtor type; rejected invoices
are left out; an invoice issued before the window (in n, even before its care) or after it
(April n+1, n+2) counts in the denominator only. Amounts are hand-summed below."""

import pytest

from hospiscope.catalogue import get_indicator

from speclib import run_spec

COLUMNS = (
    "finess_et | invoice_number | debtor        | service_date | issue_date | amount | "
    "rejected | import_run_id"
)
# 010000024, 2023: F1 issued in 2023 (denominator only); F2, F3 (31 March: the last day),
# F5 in the window; F4 (1 April) and F9 (2025) after it; F6 rejected (left out).
# 010002129: one invoice of amount 0 (DI: nothing billed). 010000065: issued before its care.
# 970100400 is absent from the registry (national figure only).
INVOICES = f"""
{COLUMNS}
010000024 | F1 | AMO           | 2023-03-10 | 2023-04-02 | 1000 |       | 1
010000024 | F2 | AMO           | 2023-12-20 | 2024-01-15 | 400  | false | 1
010000024 | F3 | AMC           | 2023-11-30 | 2024-03-31 | 200  |       | 1
010000024 | F4 | PATIENT       | 2023-12-31 | 2024-04-01 | 100  |       | 1
010000024 | F5 | ETABLISSEMENT | 2023-12-31 | 2024-02-10 | 300  |       | 1
010000024 | F6 | AMO           | 2023-12-28 | 2024-01-05 | 500  | true  | 1
010000024 | F9 | AMC           | 2023-06-30 | 2025-02-01 | 50   |       | 1
010000024 | G1 | AMO           | 2024-06-01 | 2025-01-10 | 250  |       | 1
010000024 | G2 | AMO           | 2024-02-29 | 2024-03-15 | 750  |       | 1
010002129 | H1 | PATIENT       | 2023-05-05 | 2023-05-05 | 0    |       | 1
010000065 | K1 | AMO           | 2023-12-15 | 2023-12-01 | 80   |       | 1
2A0000022 | L1 | ETABLISSEMENT | 2023-09-30 | 2024-01-02 | 1200 |       | 1
2A0000022 | L2 | ETABLISSEMENT | 2023-06-30 | 2023-07-15 | 1200 |       | 1
970100400 | M1 | AMO           | 2023-12-01 | 2024-03-01 | 100  |       | 1
"""
E = "etablissement"
EXPECTED = {
    # All debtors. 010000024, 2023: F2 + F3 + F5 = 400 + 200 + 300 = 900 over
    # F1 + F2 + F3 + F4 + F5 + F9 = 1000 + 400 + 200 + 100 + 300 + 50 = 2050 (164.3 days).
    "EFF_DELAI_FACTURATION": {
        (E, "010000024", "2023"): (900, 2050),
        (E, "010000024", "2024"): (250, 1000),  # G1 in January 2025; G2 in 2024
        (E, "010002129", "2023"): (0, 0),
        (E, "010000065", "2023"): (0, 80),
        (E, "2A0000022", "2023"): (1200, 2400),  # half the year billed in January: 182.5 days
        (E, "970100400", "2023"): (100, 100),
    },
    "EFF_DELAI_FACT_AMO": {
        (E, "010000024", "2023"): (400, 1400),  # F2 over F1 + F2 (F6 rejected)
        (E, "010000024", "2024"): (250, 1000),
        (E, "010000065", "2023"): (0, 80),
        (E, "970100400", "2023"): (100, 100),
    },
    "EFF_DELAI_FACT_AMC": {
        (E, "010000024", "2023"): (200, 250),  # F3 over F3 + F9
    },
    "EFF_DELAI_FACT_PATIENT": {
        (E, "010000024", "2023"): (0, 100),  # F4 issued on 1 April: after the window
        (E, "010002129", "2023"): (0, 0),
    },
    "EFF_DELAI_FACT_INTER": {
        (E, "010000024", "2023"): (300, 300),
        (E, "2A0000022", "2023"): (1200, 2400),
    },
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_billing_delay_per_debtor(engine, warehouse_schemas, code):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator(code),
        {"billing_invoices": INVOICES},
        EXPECTED[code],
    )

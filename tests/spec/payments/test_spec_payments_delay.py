"""Global supplier payment delay: per establishment and civil year of payment, Σ amount ×
days from the later of receipt and delivery (service fait) to payment (numerator, euro-days)
over Σ amounts paid (denominator); a payment before that date counts 0 days; an invoice
received in December and paid in January belongs to January's year; an establishment whose
amounts sum to 0 is DI. Aggregates pool Σ euro-days / Σ amounts (speclib checks the
levels)."""

from hospiscope.catalogue import get_indicator

from speclib import run_spec

PAYMENTS = """
finess_et | supplier | invoice_id | received_on | service_done_on | paid_on    | amount | import_run_id
010000024 | F1       | A1         | 2024-01-10  |                 | 2024-03-10 | 1000   | 1
010000024 | F1       | A2         | 2024-02-01  | 2024-02-21      | 2024-03-22 | 3000   | 1
010000024 | F2       | B1         | 2024-05-15  | 2024-05-01      | 2024-06-14 | 2000   | 1
010000024 | F2       | B2         | 2024-07-01  |                 | 2024-06-25 | 500    | 1
010000024 | F3       | C1         | 2023-12-01  |                 | 2024-01-20 | 1500   | 1
010000024 | F1       | A0         | 2023-01-02  |                 | 2023-03-03 | 100    | 1
010002129 | F9       | Z1         | 2024-01-01  |                 | 2024-02-01 | 0      | 1
970100400 | F1       | 77         | 2024-03-01  |                 | 2024-05-30 | 400    | 1
"""


def test_amount_weighted_delay_per_year_of_payment(engine, warehouse_schemas):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator("EFF_DELAI_PAIEMENT"),
        {"supplier_payments": PAYMENTS},
        {
            # A1 60 d × 1000 + A2 30 d from delivery × 3000 + B1 30 d from receipt × 2000
            # + B2 paid before receipt 0 d × 500 + C1 50 d × 1500 = 285 000 € × d / 8 000 €
            ("etablissement", "010000024", "2024"): (285000, 8000),  # 35.625 days
            ("etablissement", "010000024", "2023"): (6000, 100),  # 60 days
            ("etablissement", "010002129", "2024"): (None, None),  # DI: nothing paid
            ("etablissement", "970100400", "2024"): (36000, 400),  # 90 days
        },
    )

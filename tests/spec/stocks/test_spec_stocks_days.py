"""Days of stock: per establishment, family and civil year, the last inventory of the year —
stock value (numerator) over the consumption of the 12 months before it (denominator), × 365
when published; an inventory without consumption, or with a zero one, is DI (no numerator,
no denominator); each family is its own indicator; aggregates pool Σ stocks / Σ
consumptions (speclib checks the levels)."""

import pytest

from hospiscope.catalogue import get_indicator

from speclib import run_spec

# 010000024 counts its medicines twice in 2024 (June and December: December is kept) and
# once in 2023; 010002129 has no consumption (DI) for medicines and a zero one for AUTRES;
# 970100400 (absent from the registry) counts in the national figure only; 2A0000022 has a
# zero stock (0 days, published) and one inventory dated 2 January 2025 (year 2025).
INVENTORIES = """
finess_et | inventory_date | stock_family | stock_value | consumption_12m | import_run_id
010000024 | 2024-06-30     | MEDICAMENTS  | 900000      | 6000000         | 1
010000024 | 2024-12-31     | MEDICAMENTS  | 600000      | 7300000         | 1
010000024 | 2023-12-31     | MEDICAMENTS  | 500000      | 5000000         | 1
010000024 | 2024-12-31     | DM           | 250000      | 1825000         | 1
010000024 | 2024-12-31     | AUTRES       | 80000       | 292000          | 1
010002129 | 2024-12-31     | MEDICAMENTS  | 40000       |                 | 1
010002129 | 2024-12-31     | DM           | 12000       | 146000          | 1
010002129 | 2024-12-31     | AUTRES       | 5000        | 0               | 1
970100400 | 2024-12-31     | MEDICAMENTS  | 30000       | 365000          | 1
2A0000022 | 2024-12-31     | MEDICAMENTS  | 0           | 100000          | 1
2A0000022 | 2025-01-02     | MEDICAMENTS  | 20000       | 100000          | 1
"""
NOTHING = (None, None)
EXPECTED = {
    "EFF_STOCK_MEDICAMENTS": {
        ("etablissement", "010000024", "2024"): (600000, 7300000),  # 30 days
        ("etablissement", "010000024", "2023"): (500000, 5000000),  # 36.5 days
        ("etablissement", "010002129", "2024"): NOTHING,
        ("etablissement", "970100400", "2024"): (30000, 365000),  # 30 days
        ("etablissement", "2A0000022", "2024"): (0, 100000),  # 0 days
        ("etablissement", "2A0000022", "2025"): (20000, 100000),  # 73 days
    },
    "EFF_STOCK_DM": {
        ("etablissement", "010000024", "2024"): (250000, 1825000),  # 50 days
        ("etablissement", "010002129", "2024"): (12000, 146000),  # 30 days
    },
    "EFF_STOCK_AUTRES": {
        ("etablissement", "010000024", "2024"): (80000, 292000),  # 100 days
        ("etablissement", "010002129", "2024"): NOTHING,  # zero consumption
    },
}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_days_of_stock_per_family(engine, warehouse_schemas, code):
    run_spec(
        engine,
        warehouse_schemas,
        get_indicator(code),
        {"stock_inventories": INVENTORIES},
        EXPECTED[code],
    )

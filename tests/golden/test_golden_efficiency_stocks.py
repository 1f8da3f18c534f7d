"""Days of stock on hand-computed cases (ANAP method: stock value / consumption of the 12
months before the inventory × 365), through the pandas reference and the publication steps:
the value, no interval, the DI status, the inventory kept, and what the money step needs
(the consumption stays the denominator: stock above 28 days × daily consumption)."""

import datetime as dt

import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.results.finalize import finalize


def published(code, rows):
    """Finalised establishment rows of `code` for inventory rows (finess, date, family,
    stock €, consumption €)."""
    frame = pd.DataFrame(
        rows,
        columns=["finess_et", "inventory_date", "stock_family", "stock_value", "consumption_12m"],
    )
    indicator = get_indicator(code)
    computed = indicator.reference({"stock_inventories": frame})
    computed.insert(0, "entity_kind", "etablissement")
    return finalize(indicator, computed).set_index(["entity_id", "period"])


def test_hand_computed_days_of_stock():
    out = published(
        "EFF_STOCK_MEDICAMENTS",
        [
            # 1 200 000 € of stock for 10 950 000 € a year = 30 000 € a day → 40 days.
            ("010000024", dt.date(2023, 12, 31), "MEDICAMENTS", 1_200_000.0, 10_950_000.0),
            # 28 days exactly: 28 × 1 000 € a day.
            ("010002129", dt.date(2023, 12, 31), "MEDICAMENTS", 28_000.0, 365_000.0),
            # A week of stock: 7 × 500 €.
            ("010000065", dt.date(2023, 12, 31), "MEDICAMENTS", 3_500.0, 182_500.0),
        ],
    )
    assert out.loc[("010000024", "2023"), "value"] == pytest.approx(40.0)
    assert out.loc[("010002129", "2023"), "value"] == pytest.approx(28.0)
    assert out.loc[("010000065", "2023"), "value"] == pytest.approx(7.0)
    assert out["ci_low"].isna().all() and out["status"].isna().all()


def test_the_last_inventory_of_the_year_is_kept():
    out = published(
        "EFF_STOCK_DM",
        [
            ("010000024", dt.date(2024, 6, 30), "DM", 500_000.0, 1_825_000.0),  # 100 days
            ("010000024", dt.date(2024, 12, 31), "DM", 250_000.0, 1_825_000.0),  # 50 days
            ("010000024", dt.date(2024, 12, 31), "MEDICAMENTS", 1.0, 1.0),  # another family
        ],
    )
    assert list(out.index) == [("010000024", "2024")]
    assert out.loc[("010000024", "2024"), "value"] == pytest.approx(50.0)


def test_missing_or_zero_consumption_is_di():
    out = published(
        "EFF_STOCK_AUTRES",
        [
            ("010000024", dt.date(2024, 12, 31), "AUTRES", 80_000.0, None),
            ("010002129", dt.date(2024, 12, 31), "AUTRES", 5_000.0, 0.0),
        ],
    )
    assert list(out["status"]) == ["DI", "DI"] and out["value"].isna().all()


def test_the_result_keeps_what_the_money_step_needs():
    """Stock above the 28-day target, in euros: (days − 28) × consumption / 365 = stock −
    28 × daily consumption — 40 days on 10 950 000 € a year hold 360 000 € too many."""
    out = published(
        "EFF_STOCK_MEDICAMENTS",
        [("010000024", dt.date(2023, 12, 31), "MEDICAMENTS", 1_200_000.0, 10_950_000.0)],
    )
    row = out.loc[("010000024", "2023")]
    target = get_indicator("EFF_STOCK_MEDICAMENTS").meta.target
    excess = (row["value"] - target) * row["denominator"] / 365
    assert target == 28.0
    assert excess == pytest.approx(360_000.0)
    assert excess == pytest.approx(row["numerator"] - target * row["denominator"] / 365)

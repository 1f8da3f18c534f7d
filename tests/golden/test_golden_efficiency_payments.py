"""Supplier payment delay and contributions at their due date on hand-computed cases,
through the pandas reference and the publication steps: the amount-weighted delay (a large
late invoice outweighs small prompt ones), the start at the later of receipt and delivery,
payments before receipt; contributions at, before and after their due date with the Wilson
interval; and what the money step needs."""

import datetime as dt

import pandas as pd
import pytest

from hospiscope.catalogue import get_indicator
from hospiscope.results.finalize import finalize

D = dt.date


def published(code, table, columns, rows):
    frame = pd.DataFrame(rows, columns=columns)
    indicator = get_indicator(code)
    computed = indicator.reference({table: frame})
    computed.insert(0, "entity_kind", "etablissement")
    return finalize(indicator, computed).set_index(["entity_id", "period"])


def delays(rows):
    columns = ["finess_et", "supplier", "invoice_id", "received_on", "service_done_on"]
    columns += ["paid_on", "amount"]
    return published("EFF_DELAI_PAIEMENT", "supplier_payments", columns, rows)


def contributions(rows):
    columns = ["finess_et", "year", "month", "body", "due_on", "paid_on", "amount"]
    return published("EFF_COTISATIONS_ECHEANCE", "social_contributions", columns, rows)


def test_amount_weighted_delay():
    out = delays(
        [
            # 9 invoices of 1 000 € paid in 20 days, one of 91 000 € paid in 90 days:
            # (9 × 1 000 × 20 + 91 000 × 90) / 100 000 = 83.7 days (an unweighted mean of
            # invoices would say 27 days).
            *[
                ("010000024", "F1", f"A{i}", D(2024, 3, 1), None, D(2024, 3, 21), 1_000.0)
                for i in range(9)
            ],
            ("010000024", "F2", "B1", D(2024, 3, 1), None, D(2024, 5, 30), 91_000.0),
        ]
    )
    row = out.loc[("010000024", "2024")]
    assert row["value"] == pytest.approx(83.7)
    assert pd.isna(row["ci_low"]) and pd.isna(row["status"])


def test_the_delay_starts_at_the_later_of_receipt_and_delivery():
    out = delays(
        [
            # Delivered 10 days after the invoice arrived: 30 days from the delivery.
            ("010000024", "F1", "1", D(2024, 1, 1), D(2024, 1, 11), D(2024, 2, 10), 100.0),
            # Delivered before the invoice: 30 days from the receipt.
            ("010000024", "F1", "2", D(2024, 1, 11), D(2024, 1, 1), D(2024, 2, 10), 100.0),
            # Paid by direct debit before the invoice arrived: 0 days, never negative.
            ("010000024", "F3", "3", D(2024, 2, 20), None, D(2024, 2, 10), 200.0),
        ]
    )
    assert out.loc[("010000024", "2024"), "value"] == pytest.approx(15.0)  # 6 000 / 400


def test_the_delay_keeps_what_the_money_step_needs():
    """Cash held back from suppliers beyond the 50-day maximum: (delay − 50) × amount paid
    / 365 — 63.4 days on 36 500 000 € a year hold 1 340 000 €."""
    days = 63.4
    out = delays([("010000024", "F1", "1", D(2024, 1, 1), None, D(2024, 3, 4), 36_500_000.0)])
    row = out.loc[("010000024", "2024")]
    assert row["value"] == pytest.approx(63.0)  # 1 January → 4 March 2024: 63 days
    target = get_indicator("EFF_DELAI_PAIEMENT").meta.target
    assert (days - target) * row["denominator"] / 365 == pytest.approx(1_340_000.0)


def test_contributions_at_before_and_after_their_due_date():
    out = contributions(
        [
            # Due 5 February (the default): paid that day, 3 days before (tolerated), with the
            # salaries on 26 January (10 days early), a day late, not paid.
            ("010000024", 2024, 1, "URSSAF", None, D(2024, 2, 5), 1_000.0),
            ("010000024", 2024, 1, "CNRACL", None, D(2024, 2, 2), 800.0),
            ("010000024", 2024, 1, "IRCANTEC", None, D(2024, 1, 26), 100.0),
            ("010000024", 2024, 2, "URSSAF", None, D(2024, 3, 6), 1_000.0),
            ("010000024", 2024, 2, "CNRACL", None, None, 800.0),
            # December's are due on 5 January of the next year; the file's date prevails.
            ("010000024", 2024, 12, "URSSAF", None, D(2025, 1, 5), 1_000.0),
            ("010000024", 2024, 12, "CNRACL", D(2025, 1, 6), D(2025, 1, 6), 800.0),
        ]
    )
    row = out.loc[("010000024", "2024")]
    assert (row["numerator"], row["denominator"]) == (4, 7)
    assert row["value"] == pytest.approx(400 / 7)
    # Wilson 95 % for 4 / 7, by hand: centre (p + z²/2n) / (1 + z²/n), half-width
    # z √(p(1 − p)/n + z²/4n²) / (1 + z²/n) → 25.05 % – 84.18 %.
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((25.046, 84.178), abs=1e-3)


def test_contributions_keep_the_cash_paid_early():
    computed = get_indicator("EFF_COTISATIONS_ECHEANCE").reference(
        {
            "social_contributions": pd.DataFrame(
                [("010000024", 2024, 1, "URSSAF", None, D(2024, 1, 26), 36_500.0)],
                columns=["finess_et", "year", "month", "body", "due_on", "paid_on", "amount"],
            )
        }
    )
    row = computed.iloc[0]
    # 10 days early on 36 500 €: 365 000 € × days, i.e. 1 000 € of cash a year on average.
    assert (row["stat_early"], row["stat_late"], row["numerator"]) == (1, 0, 0)
    assert row["stat_early_amount_days"] == pytest.approx(365_000.0)
    assert row["stat_amount"] == pytest.approx(36_500.0)

"""Pieces of the demo billing generator (demo/families/facturation.py) that are not about one
debtor: the batches of a year, the delays calibrated on a national value, the ANAP window,
the recovery horizons. Kept out of demo/families/ (every module there is a family)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Periods:
    """The periods of care of a year that batches cover: `count` periods of about equal
    length, dated by their middle day (the batch's `date_soins`), with their share of the
    year (the batch's share of the annual amount)."""

    year: int
    middle: np.ndarray  # datetime64[D], one per period
    end: np.ndarray  # datetime64[D], last day of each period
    share: np.ndarray  # days of the period / days of the year


def periods(year: int, count: int) -> Periods:
    """Calendar months, quarters, half-years or the year when `count` divides 12, else
    periods of (nearly) equal days (52: weeks)."""
    start = np.datetime64(f"{year}-01-01")
    days = int((np.datetime64(f"{year + 1}-01-01") - start) / DAY)
    if 12 % count == 0:
        months = np.datetime64(f"{year}-01") + np.arange(0, 13, 12 // count)
        edges = ((months.astype("datetime64[D]") - start) / DAY).astype(int)
    else:
        edges = np.round(np.linspace(0, days, count + 1)).astype(int)
    lengths = np.diff(edges)
    middle = start + (edges[:-1] + (lengths - 1) // 2) * DAY
    return Periods(year, middle, start + (edges[1:] - 1) * DAY, lengths / days)


def window(year: int) -> tuple[np.datetime64, np.datetime64]:
    """The ANAP complementary period of year n: 1 January – 31 March n+1."""
    return np.datetime64(f"{year + 1}-01-01"), np.datetime64(f"{year + 1}-03-31")


def extraction(year: int) -> np.datetime64:
    """When the demo extracts the invoices of year n: 31 December n+1 (both recovery horizons,
    30 June and 31 December n+1, are then observed)."""
    return np.datetime64(f"{year + 1}-12-31")


def anap_days(amount: np.ndarray, issued: np.ndarray, year: int) -> float:
    """The ANAP billing delay of these invoices of year n (days)."""
    first, last = window(year)
    inside = (issued >= first) & (issued <= last)
    return float(amount[inside].sum() / amount.sum() * 365)


def issue_dates(
    care: np.ndarray, delay: np.ndarray, catch_up: np.ndarray, year: int, rng_days: np.ndarray
) -> np.ndarray:
    """Care date + delay (days); an invoice still pending after the complementary period is
    issued in its last fortnight where the establishment catches up (`catch_up`), and none is
    issued after the extraction."""
    issued = care + np.round(delay).astype(int) * DAY
    _, last = window(year)
    late = catch_up & (issued > last)
    issued = np.where(late, last - rng_days * DAY, issued)
    return np.minimum(issued, extraction(year))


def solve(value: Callable[[float], float], target: float, low: float, high: float) -> float:
    """The scale whose `value` is `target`, by bisection on its logarithm (`value` increases
    with the scale over [low, high]; the nearer end when the target is out of reach)."""
    low, high = np.log(low), np.log(high)
    for _ in range(45):
        middle = (low + high) / 2
        if value(float(np.exp(middle))) < target:
            low = middle
        else:
            high = middle
    return float(np.exp((low + high) / 2))


def recovered_by(
    amount: np.ndarray, recovered: np.ndarray, date: np.ndarray, horizon: np.datetime64
) -> float:
    """Share of `amount` recovered by `horizon` (NaT dates: nothing)."""
    on_time = ~np.isnat(date) & (date <= horizon)
    return float(np.where(on_time, recovered, 0.0).sum() / amount.sum())

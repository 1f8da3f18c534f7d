"""Finalisation, step 5: where each establishment's confidence interval lies against the
national value of its period and against the indicator's target (rates, ratios, scores)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.catalogue.model import Indicator
from hospiscope.results.rows import Rows, numbers

# The rule used to place a result against a reference (HAS's own rule is not in our sources).
POSITION_RULE = (
    "Position : l'intervalle de confiance à 95 % est entièrement au-dessus (ou au-dessous) de "
    "la référence ; sinon « non significativement différent » (règle hospiscope)."
)
POSITION_LABELS = np.array(
    ["au-dessus", "en dessous", "non significativement différent"], dtype=object
)
POSITIONED_KINDS = ("rate", "ratio", "score")  # counts have no interval to place


def positions(indicator: Indicator, frame: pd.DataFrame, rows: Rows) -> list[dict | None]:
    """For establishments: where the CI lies against the national value of the same period
    and against the target (POSITION_RULE)."""
    low, high = numbers(frame, "ci_low"), numbers(frame, "ci_high")
    usable = np.flatnonzero(
        rows.establishment & ~np.isnan(numbers(frame, "value")) & ~np.isnan(low)
    )
    low, high = low[usable], high[usable]
    reference = national_values(frame, rows)[usable]
    against_national = _positions(low, high, reference)
    against_national[np.isnan(reference)] = None  # no national value that period
    target = indicator.meta.target
    against_target = _positions(low, high, target) if target is not None else [None] * len(usable)
    result: list[dict | None] = [None] * len(frame)
    for row, national, objective in zip(
        usable.tolist(), against_national.tolist(), list(against_target), strict=True
    ):
        entry = {"regle_position": POSITION_RULE}
        if national is not None:
            entry["position_national"] = national
        if objective is not None:
            entry["position_objectif"] = objective
        result[row] = entry
    return result


def national_values(frame: pd.DataFrame, rows: Rows) -> np.ndarray:
    """The national value of each row's period, NaN when there is none: the first non-missing
    one, as `groupby("period")["value"].first()` takes it, without its overhead."""
    value = numbers(frame, "value")
    national = np.flatnonzero(rows.national & ~np.isnan(value) & (rows.period_code >= 0))
    by_period = np.full(rows.period_code.max(initial=-1) + 2, np.nan)  # last slot: code -1
    periods, first = np.unique(rows.period_code[national], return_index=True)
    by_period[periods] = value[national[first]]
    return by_period[rows.period_code]


def _positions(low: np.ndarray, high: np.ndarray, reference) -> np.ndarray:
    """Above when the whole CI is above the reference, below when wholly below, else not
    significantly different (NaN bounds compare false: not significantly different)."""
    choice = np.where(low > reference, 0, np.where(high < reference, 1, 2))
    return POSITION_LABELS[choice]

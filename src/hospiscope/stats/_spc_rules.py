"""The run rules of NHS England's "Making Data Count", as NHSRplotthedots applies them.

Private helper of :mod:`hospiscope.stats.spc`. It works on one segment (the points between
two rebase points) whose limits are already known, and says for each point which rules it is
part of, which one is retained and how the point is classed.

Rules (NHSRplotthedots 0.2.2, ``R/ptd_calculate_point_type.R`` and ``R/ptd_spc_standard.R``):

* ``beyond_limits``: the value is strictly above the upper or below the lower process limit;
* ``trend``: 7 consecutive points, each strictly higher (or lower) than the one before; a tie
  breaks the trend; all 7 points are flagged;
* ``two_of_three``: among 3 consecutive points all on the same side of the mean, at least 2
  lie strictly beyond the 2-sigma line but inside the process limits; only those points
  (between 2 and 3 sigma) are flagged;
* ``shift``: 7 consecutive points on the same side of the mean; a point on the mean breaks it.

A point may be part of several rules; the retained one follows NHSRplotthedots's order:
beyond_limits, trend, two_of_three, shift. Its side ("high" / "low") is the side of the mean,
or the direction of the trend. A missing value breaks every run: a window that holds one never
fires (NA does the same in R). The point class is the retained side oriented by the
indicator's direction, as NHSRplotthedots's ``point_type``.
"""

from __future__ import annotations

import numpy as np

RULES = ("beyond_limits", "trend", "two_of_three", "shift")
RUN_LENGTH = 7  # shift and trend, NHSRplotthedots "7 Points Above CL", "7 Point Trend"
COMMON_CAUSE = "common_cause"
MISSING, INSUFFICIENT = "missing", "insufficient"
# The sign that improves, per indicator direction (NHSRplotthedots: increase 1, decrease -1).
_ORIENTATION = {"higher_is_better": 1, "lower_is_better": -1, "none": 0}


def _part_of_runs(steps: np.ndarray, length: int) -> np.ndarray:
    """Points inside ``length`` consecutive points joined by ``length - 1`` steps that are
    all +1 or all -1 (``steps[j]`` links point j to point j + 1; 0 breaks a run)."""
    size = steps.size + 1
    links = length - 1
    if steps.size < links:
        return np.zeros(size, dtype=bool)
    windows = np.lib.stride_tricks.sliding_window_view(steps, links)
    fires = np.abs(windows.sum(axis=1)) == links
    # A window starting at point s covers points s .. s + links: spread each start over them.
    return np.convolve(fires.astype(int), np.ones(length, dtype=int))[:size] > 0


def _shift(side: np.ndarray) -> np.ndarray:
    same = (side[1:] == side[:-1]) & (side[1:] != 0)
    return _part_of_runs(np.where(same, side[1:], 0), RUN_LENGTH)


def _trend(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points part of a 7-point trend, and the trend's sign at each point."""
    with np.errstate(invalid="ignore"):
        steps = np.nan_to_num(np.sign(np.diff(values)), nan=0.0).astype(int)
    part = _part_of_runs(steps, RUN_LENGTH)
    if steps.size == 0:
        return part, np.zeros(part.size, dtype=int)
    # As NHSRplotthedots: the step to the next point when that point is in a trend too,
    # else the step from the previous point (issues #167 and #171 of that package).
    forward = np.append(steps, steps[-1])
    backward = np.insert(steps, 0, 0)
    next_in_trend = np.append(part[1:], False)
    return part, np.where(part & next_in_trend, forward, backward)


def _two_of_three(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    if close.size < 3:
        return np.zeros(close.size, dtype=bool)
    near = np.lib.stride_tricks.sliding_window_view(close.astype(int), 3).sum(axis=1)
    sides = np.lib.stride_tricks.sliding_window_view(side, 3).sum(axis=1)
    fires = (near >= 2) & (np.abs(sides) == 3)
    covered = np.convolve(fires.astype(int), np.ones(3, dtype=int))[: close.size] > 0
    return covered & close


def apply_rules(values, centre, lower, upper, lower_2s, upper_2s) -> dict[str, np.ndarray]:
    """Flags of every rule, the retained rule and its side, for one segment's points.

    All arguments are float arrays of the same length (limits may vary by point, as in a
    p-chart). Returns boolean arrays under the names of :data:`RULES`, ``rule`` (the retained
    rule or None) and ``sign`` (+1 high, -1 low, 0 none).
    """
    present = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        side = np.where(present, np.sign(values - centre), 0).astype(int)
        beyond = present & ((values > upper) | (values < lower))
        close = present & ~beyond & ((values < lower_2s) | (values > upper_2s))
    trend, trend_sign = _trend(values)
    flags = {
        "beyond_limits": beyond,
        "trend": trend,
        "two_of_three": _two_of_three(close, side),
        "shift": _shift(side),
    }
    conditions = [flags[name] for name in RULES]
    rule = np.select(conditions, list(RULES), default="")
    sign = np.select(conditions, [np.where(side > 0, 1, -1), trend_sign, side, side], default=0)
    return {**flags, "rule": np.where(rule == "", None, rule), "sign": sign}


def point_classes(sign: np.ndarray, direction: str) -> np.ndarray:
    """NHSRplotthedots's point type from the retained side and the indicator's direction."""
    oriented = sign * _ORIENTATION[direction]
    if _ORIENTATION[direction] == 0:
        choices = ["special_cause_neutral_high", "special_cause_neutral_low"]
        return np.select([sign > 0, sign < 0], choices, default=COMMON_CAUSE).astype(object)
    choices = ["special_cause_improvement", "special_cause_concern"]
    return np.select([oriented > 0, oriented < 0], choices, default=COMMON_CAUSE).astype(object)

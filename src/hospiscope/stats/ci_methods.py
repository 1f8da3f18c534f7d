"""Confidence intervals by the catalogue's method code: `ci_method(code)` gives the interval
of numerator / denominator for whole columns of results, and the method's label
(:mod:`hospiscope.stats.ci_labels`).

* ``"wilson"``, ``"exact"``: a proportion x / n (Wilson, Clopper-Pearson), computed where
  n > 0 only, so that empty rows give NaN instead of stopping a national run;
* ``"poisson_exact"``, ``"byar"``: a Poisson count O over a known denominator D (a rate, or
  an O / E ratio whose expected count is treated as exact): the count's limits divided by D,
  NaN where D is not > 0 (Breslow & Day 1987, vol. II, ch. 2);
* ``"normal"``: no interval from counts (the indicator works out its own, e.g. the normal
  interval of a mean score); ``"none"``: no interval. Both give NaN bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hospiscope.stats._validation import require_choice
from hospiscope.stats.ci_labels import CI_LABELS, CI_METHOD_CODES
from hospiscope.stats.poisson import byar_interval, poisson_exact_interval
from hospiscope.stats.proportions import exact_interval, wilson_interval

Bounds = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class CiMethod:
    """A method code, its label (None for "none") and the interval of numerator /
    denominator it gives: `interval(numerator, denominator, level)` with arrays of floats
    (NaN where missing) and the level as 0.95 or 95."""

    code: str
    label: str | None
    interval: Callable[[np.ndarray, np.ndarray, float], Bounds]


def ci_method(code: str) -> CiMethod:
    """The method of a catalogue code ("wilson", "exact", "poisson_exact", "byar", "normal",
    "none"); any other code is refused."""
    require_choice("ci_method", code, CI_METHOD_CODES)
    return CiMethod(code, CI_LABELS[code], _INTERVALS[code])


def ci_label(code: str) -> str | None:
    """The label of a method code, as stored with results and shown in reports."""
    return ci_method(code).label


def _no_interval(numerator: np.ndarray, denominator: np.ndarray, level: float) -> Bounds:
    empty = np.full(np.shape(numerator), np.nan)
    return empty, empty.copy()


def _proportion(function: Callable) -> Callable[[np.ndarray, np.ndarray, float], Bounds]:
    def interval(numerator: np.ndarray, denominator: np.ndarray, level: float) -> Bounds:
        numerator, denominator = _floats(numerator), _floats(denominator)
        low, high = _no_interval(numerator, denominator, level)
        usable = denominator > 0  # NaN compares false: no denominator, no interval
        low[usable], high[usable] = function(numerator[usable], denominator[usable], level)
        return low, high

    return interval


def _per_denominator(function: Callable) -> Callable[[np.ndarray, np.ndarray, float], Bounds]:
    def interval(numerator: np.ndarray, denominator: np.ndarray, level: float) -> Bounds:
        numerator, denominator = _floats(numerator), _floats(denominator)
        low, high = (np.asarray(bound, dtype=float) for bound in function(numerator, level))
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(denominator > 0, denominator, np.nan)
        return low / scale, high / scale

    return interval


def _floats(values: object) -> np.ndarray:
    return np.asarray(values, dtype=float)


_INTERVALS = {
    "wilson": _proportion(wilson_interval),
    "exact": _proportion(exact_interval),
    "poisson_exact": _per_denominator(poisson_exact_interval),
    "byar": _per_denominator(byar_interval),
    "normal": _no_interval,
    "none": _no_interval,
}

"""Input checks and the drawing grid for funnel plots (private helpers of :mod:`funnel`).

Messages name the argument and the first offending unit, as in :mod:`._validation`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.stats._funnel_dispersion import TRIM_METHODS
from hospiscope.stats._validation import (
    describe_position,
    require_choice,
    require_finite_or_missing,
    require_scalar_in_range,
    to_float_array,
)
from hospiscope.stats.estimate import index_of

OVERDISPERSION_METHODS = ("none", "multiplicative", "additive")


def _unit_array(name: str, values: object) -> np.ndarray:
    array = np.atleast_1d(to_float_array(name, values))
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one value per unit); got {array.shape}")
    require_finite_or_missing(name, array)
    return array


def paired(names: tuple[str, str], first: object, second: object) -> tuple[np.ndarray, ...]:
    """Two 1-D float arrays of the same, non-zero length (NaN allowed, infinities refused)."""
    a, b = _unit_array(names[0], first), _unit_array(names[1], second)
    if a.size != b.size:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same length; got {a.size} and {b.size}"
        )
    if a.size == 0:
        raise ValueError("a funnel plot needs at least one unit; got empty inputs")
    return a, b


def unit_ids(ids: object, size: int, *inputs: object) -> np.ndarray:
    """Unique unit labels: ``ids``, else the index of the first pandas input, else 0..n-1."""
    if ids is None:
        index = index_of(*inputs)
        return np.arange(size) if index is None else index.to_numpy()
    labels = np.asarray(list(ids), dtype=object)
    if labels.size != size:
        raise ValueError(f"ids must have one label per unit ({size}); got {labels.size}")
    repeated = pd.Index(labels).duplicated()
    if repeated.any():
        label = labels[repeated][0]
        count = int((labels == label).sum())
        raise ValueError(f"ids must be unique; {label!r} appears {count} times")
    return labels


def _whole_at_least(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {value!r}")
    if int(value) != value or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}; got {value!r}")


def check_settings(
    overdispersion: str, winsorise: float, trim_method: str, min_units: int, grid_points: int
) -> None:
    """Options shared by both data types."""
    require_choice("overdispersion", overdispersion, OVERDISPERSION_METHODS)
    require_choice("trim_method", trim_method, TRIM_METHODS)
    if isinstance(winsorise, bool) or not isinstance(winsorise, (int, float, np.number)):
        raise TypeError(f"winsorise must be a fraction such as 0.1; got {winsorise!r}")
    if not 0 <= float(winsorise) < 0.5:
        raise ValueError(f"winsorise must lie in [0, 0.5) (a fraction per tail); got {winsorise!r}")
    _whole_at_least("min_units", min_units, 2)
    _whole_at_least("grid_points", grid_points, 2)


def check_whole_denominators(denominator: np.ndarray) -> None:
    """Exact binomial limits need whole-number denominators."""
    offending = np.isfinite(denominator) & (denominator != np.round(denominator))
    if np.any(offending):
        raise ValueError(
            "denominator must hold whole numbers for exact binomial limits "
            f"(limits='spiegelhalter'); {describe_position('denominator', denominator, offending)}"
        )


def proportion_target(target: object, numerator: np.ndarray, denominator: np.ndarray) -> float:
    """A proportion in (0, 1), or the pooled value sum x / sum n for ``"pooled"``."""
    if isinstance(target, str):
        require_choice("target", target, ("pooled",))
        known = np.isfinite(numerator) & np.isfinite(denominator)
        pooled = float(numerator[known].sum() / denominator[known].sum())
        if not 0 < pooled < 1:
            raise ValueError(f"the pooled proportion is {pooled!r}: it must lie in (0, 1)")
        return pooled
    return require_scalar_in_range("target", target, 0.0, 1.0)


def precision_grid(precision: np.ndarray, points: int, whole: bool) -> np.ndarray:
    """``points`` geometric steps from min / 1.25 to max x 1.25 of the known precisions;
    rounded to distinct whole numbers (>= 1) when ``whole`` (proportions)."""
    known = precision[np.isfinite(precision)]
    if known.size == 0:
        raise ValueError("no unit has a usable precision (all inputs are missing)")
    low, high = known.min() / 1.25, known.max() * 1.25
    grid = np.geomspace(max(low, 1.0) if whole else low, high, int(points))
    return np.unique(np.round(grid)) if whole else grid

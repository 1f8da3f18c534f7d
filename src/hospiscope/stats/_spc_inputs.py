"""Input checks of the SPC charts (private helper of :mod:`hospiscope.stats.spc`): series,
segments (rebase positions), baseline, minimum points, direction and target."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.stats._validation import require_choice, require_finite_or_missing, to_float_array
from hospiscope.stats.percentiles import DIRECTIONS


def series(name: str, values: object) -> np.ndarray:
    """A one-dimensional float array, NaN for missing months, infinities refused."""
    array = to_float_array(name, values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {array.shape}")
    require_finite_or_missing(name, array)
    return array


def index_of(values: object) -> pd.Index:
    """The input's index (months, say) for a Series, else positions."""
    if isinstance(values, pd.Series):
        return values.index
    return pd.RangeIndex(len(np.asarray(values)))


def segments(size: int, rebase: object) -> list[slice]:
    """One slice per segment; ``rebase`` holds the positions where a new segment starts."""
    if size == 0:
        raise ValueError("an SPC chart needs at least one month")
    given = np.atleast_1d(np.asarray(rebase, dtype=float))
    if not np.all(np.isfinite(given) & (given == np.round(given))):
        raise ValueError(f"rebase positions must be whole numbers; got {given.tolist()}")
    positions = sorted({int(position) for position in given})
    if any(position <= 0 or position >= size for position in positions):
        raise ValueError(f"rebase positions must lie in 1 .. {size - 1}; got {positions}")
    starts = [0, *positions]
    return [slice(a, b) for a, b in zip(starts, [*starts[1:], size], strict=True)]


def _whole(value: object) -> bool:
    return not isinstance(value, bool) and float(value) == int(value)


def options(direction, baseline, rebase, target, min_points) -> dict:
    """The settings shared by every chart, checked."""
    require_choice("direction", direction, DIRECTIONS)
    if not _whole(min_points) or min_points < 2:
        raise ValueError(f"min_points must be a whole number >= 2; got {min_points!r}")
    if baseline is not None and (not _whole(baseline) or baseline < min_points):
        raise ValueError(f"baseline must be a whole number >= min_points; got {baseline!r}")
    if target is not None and not np.isfinite(float(target)):
        raise ValueError(f"target must be a finite number or None; got {target!r}")
    return {
        "direction": direction,
        "baseline": None if baseline is None else int(baseline),
        "rebase": rebase,
        "target": None if target is None else float(target),
        "min_points": int(min_points),
    }

"""Sample quantiles of many groups at once, from one sort (no loop over groups or rows).

Definitions follow Hyndman & Fan (1996), with 0-based positions h in the sorted sample
x[0] <= ... <= x[n-1] and the result x[floor(h)] + (h - floor(h)) (x[floor(h)+1] - x[floor(h)]):

* type 7 (``"linear"``, R's and numpy's default, Excel PERCENTILE.INC): h = (n - 1) p
* type 6 (``"weibull"``, NIST/SEMATECH e-Handbook, Minitab, SPSS): h = (n + 1) p - 1,
  clamped to [0, n - 1].

Reference: Hyndman RJ, Fan Y (1996). Sample quantiles in statistical packages.
The American Statistician 50(4):361-365.
"""

from __future__ import annotations

import numpy as np

QUANTILE_METHODS = ("linear", "weibull")
HYNDMAN_FAN_TYPE = {"linear": 7, "weibull": 6}

# Positions meant to be whole (the 80th percentile of 6 values is exactly x[4]) can come out
# as 3.9999999999999996 in floating point; snapping them keeps "a value equal to the cut
# point" exact, which the band rules rely on.
_POSITION_SNAP = 1e-9


def _positions(sizes: np.ndarray, probs: np.ndarray, method: str) -> np.ndarray:
    """0-based fractional positions, shape (groups, probs)."""
    n = sizes[:, np.newaxis].astype(float)
    p = probs[np.newaxis, :]
    h = (n - 1) * p if method == "linear" else (n + 1) * p - 1
    h = np.clip(h, 0.0, np.maximum(n - 1, 0.0))
    whole = np.round(h)
    return np.where(np.abs(h - whole) < _POSITION_SNAP, whole, h)


def grouped_quantiles(
    sorted_values: np.ndarray, sizes: np.ndarray, probs: np.ndarray, method: str
) -> np.ndarray:
    """Quantiles of consecutive groups of an array sorted within groups.

    ``sorted_values`` holds group 0's values in ascending order, then group 1's, ...;
    ``sizes`` gives each group's length. Returns an array (groups, probs); empty groups
    give NaN.
    """
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(int)
    h = _positions(sizes, probs, method)
    below = np.floor(h).astype(int)
    above = np.minimum(below + 1, np.maximum(sizes[:, np.newaxis] - 1, 0))
    fraction = h - below
    if sorted_values.size == 0:
        return np.full(h.shape, np.nan)
    last = sorted_values.size - 1
    low_values = sorted_values[np.minimum(starts[:, np.newaxis] + below, last)]
    high_values = sorted_values[np.minimum(starts[:, np.newaxis] + above, last)]
    result = low_values + fraction * (high_values - low_values)
    return np.where(sizes[:, np.newaxis] > 0, result, np.nan)


def sort_within_groups(values: np.ndarray, codes: np.ndarray, n_groups: int) -> tuple:
    """Sort ``values`` by (group code, value); return (sorted values, group sizes)."""
    order = np.lexsort((values, codes))
    sizes = np.bincount(codes, minlength=n_groups)
    return values[order], sizes

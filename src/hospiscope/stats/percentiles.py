"""Quantiles and peer bands within exclusive strata (no league table).

* :func:`quantiles`: sample quantiles ignoring NaN, Hyndman & Fan (1996) type 7 by default
  (R's default, numpy's ``"linear"``); type 6 (``method="weibull"``) is the NIST/SEMATECH
  e-Handbook definition (section 7.2.6.2).
* :func:`percentile_bands`: ANAP Hospi Diag style, each establishment placed against the
  20 % best and 20 % worst of its stratum.
* :func:`quartile_bands`: NHS Model Hospital style, Q1..Q4 within the stratum, best and
  worst quartile according to the indicator's direction.

Boundary rule (both band functions): the extreme bands are closed. With the low cut point L
and high cut point H of the stratum, a value v with v <= L is in the low band and v >= H in
the high band; a value equal to a cut point therefore belongs to the extreme band. Bands
depend on the value only, so tied values always share a band. If heavy ties make L == H,
a value equal to both cannot be told apart from its peers and is ``"middle"``.

Quartiles: Q1 if v <= q25, Q4 if v >= q75, Q2 if q25 < v <= median, Q3 if median < v < q75;
a value equal to both q25 and q75 (heavy ties) is Q2.

Rows are labelled ``"missing"`` when the value or the stratum is missing, and
``"insufficient"`` when their stratum has fewer than ``min_group_size`` non-missing values
(cut points are then NaN): too few peers give no meaningful percentile.

References: Hyndman RJ, Fan Y (1996), The American Statistician 50:361-365; NIST/SEMATECH
e-Handbook of Statistical Methods, section 7.2.6.2 "Percentiles"; ANAP Hospi Diag; NHS
England Model Hospital.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.stats._order_statistics import (
    QUANTILE_METHODS,
    grouped_quantiles,
    sort_within_groups,
)
from hospiscope.stats._validation import (
    describe_position,
    require_choice,
    require_finite_or_missing,
    require_scalar_in_range,
    to_float_array,
)
from hospiscope.stats.estimate import ArrayOrScalar, scalar_or_array

DIRECTIONS = ("higher_is_better", "lower_is_better", "none")
MISSING, INSUFFICIENT, MIDDLE = "missing", "insufficient", "middle"
# (label of the low band, label of the high band) for each direction.
_EXTREME_LABELS = {
    "higher_is_better": ("worst", "best"),
    "lower_is_better": ("best", "worst"),
    "none": ("low", "high"),
}


def quantiles(values: object, probs: object, method: str = "linear") -> ArrayOrScalar:
    """Sample quantiles of ``values`` at probabilities ``probs``, ignoring NaN.

    ``method="linear"`` is Hyndman & Fan type 7 (R default, numpy ``"linear"``, Excel
    PERCENTILE.INC); ``method="weibull"`` is type 6, the NIST/SEMATECH e-Handbook definition.
    Returns a float for a scalar ``probs``, else an array shaped like ``probs``. No
    non-missing value gives NaN.
    """
    require_choice("method", method, QUANTILE_METHODS)
    data = to_float_array("values", values).ravel()
    require_finite_or_missing("values", data)
    p = _probabilities(probs)
    present = np.sort(data[~np.isnan(data)])
    result = grouped_quantiles(present, np.array([present.size]), p.ravel(), method)
    return scalar_or_array(result[0].reshape(p.shape))


def _probabilities(probs: object) -> np.ndarray:
    p = to_float_array("probs", probs)
    outside = np.isnan(p) | (p < 0) | (p > 1)
    if np.any(outside):
        raise ValueError(f"probs must lie in [0, 1]; {describe_position('probs', p, outside)}")
    return p


def _stratum_codes(strata: object, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer code per row (-1 for a missing stratum) and the stratum labels."""
    if strata is None:  # one national stratum
        return np.zeros(size, dtype=int), np.array(["all"], dtype=object)
    codes, labels = pd.factorize(pd.Series(np.asarray(strata, dtype=object)), sort=True)
    if codes.size != size:
        raise ValueError(f"strata must have one entry per value; got {codes.size} for {size}")
    # An all-missing strata column still needs one (empty) group for the vectorised lookups.
    return codes, np.asarray(labels if len(labels) else [None], dtype=object)


def _require_group_size(min_group_size: int) -> None:
    if isinstance(min_group_size, bool) or int(min_group_size) != min_group_size:
        raise ValueError(f"min_group_size must be a whole number; got {min_group_size!r}")
    if min_group_size < 2:
        raise ValueError(f"min_group_size must be >= 2; got {min_group_size!r}")


def _stratum_cuts(
    values: object, strata: object, probs: list[float], min_group_size: int, method: str
) -> dict[str, object]:
    """Per row: value, stratum, stratum size, cut points (rows, probs) and row status."""
    require_choice("method", method, QUANTILE_METHODS)
    _require_group_size(min_group_size)
    v = to_float_array("values", values)
    if v.ndim != 1:
        raise ValueError(f"values must be one-dimensional; got shape {v.shape}")
    require_finite_or_missing("values", v)
    codes, labels = _stratum_codes(strata, v.size)
    usable = ~np.isnan(v) & (codes >= 0)
    ordered, sizes = sort_within_groups(v[usable], codes[usable], labels.size)
    cuts = grouped_quantiles(ordered, sizes, np.asarray(probs, dtype=float), method)
    cuts[sizes < min_group_size] = np.nan
    row_size = np.where(codes >= 0, sizes[codes], 0)
    status = np.select([~usable, row_size < min_group_size], [MISSING, INSUFFICIENT], default="ok")
    row_cuts = np.where((codes >= 0)[:, np.newaxis], cuts[codes], np.nan)
    return {
        "value": v,
        "stratum": np.where(codes >= 0, labels[codes], None),
        "stratum_size": row_size,
        "cuts": row_cuts,
        "status": status,
        "index": values.index if isinstance(values, pd.Series) else None,
    }


def percentile_bands(
    values: object,
    strata: object = None,
    low: float = 0.2,
    high: float = 0.8,
    direction: str = "none",
    min_group_size: int = 5,
    method: str = "linear",
) -> pd.DataFrame:
    """Place each value against the low and high percentiles of its stratum.

    Returns one row per input value (index of a pandas input kept) with columns
    ``value, stratum, stratum_size, low_cut, high_cut, band``. ``band`` is ``"best"``,
    ``"worst"`` or ``"middle"`` for a known ``direction`` and ``"low"``, ``"high"`` or
    ``"middle"`` for ``direction="none"`` (no judgement, the default), plus ``"missing"``
    and ``"insufficient"`` (see the module docstring for the exact boundary rule: a value
    equal to a cut point is in the extreme band). ``strata=None`` means one stratum.

    Cut points are the stratum's ``low`` and ``high`` quantiles (Hyndman & Fan type 7 by
    default, see :func:`quantiles`). Reference: ANAP Hospi Diag (20 % best / worst).
    """
    require_choice("direction", direction, DIRECTIONS)
    require_scalar_in_range("low", low, 0, 1)
    require_scalar_in_range("high", high, float(low), 1)
    table = _stratum_cuts(values, strata, [low, high], min_group_size, method)
    v, cuts, status = table["value"], table["cuts"], table["status"]
    low_cut, high_cut = cuts[:, 0], cuts[:, 1]
    at_low, at_high = v <= low_cut, v >= high_cut
    low_label, high_label = _EXTREME_LABELS[direction]
    band = np.select(
        [status == MISSING, status == INSUFFICIENT, at_low & at_high, at_high, at_low],
        [MISSING, INSUFFICIENT, MIDDLE, high_label, low_label],
        default=MIDDLE,
    )
    return _bands_frame(table, {"low_cut": low_cut, "high_cut": high_cut}, band)


def quartile_bands(
    values: object,
    strata: object = None,
    direction: str = "none",
    min_group_size: int = 5,
    method: str = "linear",
) -> pd.DataFrame:
    """Quartile of each value within its stratum, Model Hospital style.

    Returns ``value, stratum, stratum_size, q25, median, q75, quartile, band`` per input
    row. ``quartile`` is ``"Q1"`` (lowest values) to ``"Q4"``; ``band`` is ``"best"`` /
    ``"worst"`` for the extreme quartiles when the direction is known (Q4 is best when
    higher is better), ``"low"`` / ``"high"`` for ``direction="none"``, else ``"middle"``;
    ``"missing"`` and ``"insufficient"`` as in :func:`percentile_bands`. Boundary rule in
    the module docstring. Reference: NHS England Model Hospital (quartile colouring).
    """
    require_choice("direction", direction, DIRECTIONS)
    table = _stratum_cuts(values, strata, [0.25, 0.5, 0.75], min_group_size, method)
    v, cuts, status = table["value"], table["cuts"], table["status"]
    q25, median, q75 = cuts[:, 0], cuts[:, 1], cuts[:, 2]
    unusable = status != "ok"
    quartile = np.select(
        [unusable, (v <= q25) & (v >= q75), v <= q25, v >= q75, v <= median],
        [None, "Q2", "Q1", "Q4", "Q2"],
        default="Q3",
    )
    low_label, high_label = _EXTREME_LABELS[direction]
    band = np.select(
        [status == MISSING, status == INSUFFICIENT, quartile == "Q1", quartile == "Q4"],
        [MISSING, INSUFFICIENT, low_label, high_label],
        default=MIDDLE,
    )
    extra = {"q25": q25, "median": median, "q75": q75, "quartile": quartile}
    return _bands_frame(table, extra, band)


def _bands_frame(table: dict, extra: dict[str, np.ndarray], band: np.ndarray) -> pd.DataFrame:
    columns = {
        "value": table["value"],
        "stratum": table["stratum"],
        "stratum_size": table["stratum_size"],
        **extra,
        "band": band,
    }
    return pd.DataFrame(columns, index=table["index"])

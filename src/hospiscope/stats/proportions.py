"""Proportions x/n and their confidence intervals, vectorised over establishments.

Two interval methods, both two-sided and equal-tailed:

* ``"wilson"``: the score interval of Wilson (1927), without continuity correction
  (method 3 of Newcombe 1998). It is the method of the OHID Fingertips technical guidance and
  of PHEindicatormethods' ``phe_proportion``.
* ``"exact"``: the Clopper & Pearson (1934) interval, from beta quantiles
  (method 5 of Newcombe 1998). It is conservative: coverage is at least the nominal level.

References
----------
Wilson EB (1927). Probable inference, the law of succession, and statistical inference.
    J Am Stat Assoc 22:209-212.
Clopper CJ, Pearson ES (1934). The use of confidence or fiducial limits illustrated in the
    case of the binomial. Biometrika 26:404-413.
Newcombe RG (1998). Two-sided confidence intervals for the single proportion: comparison of
    seven methods. Stat Med 17:857-872.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from hospiscope.stats._validation import (
    require_choice,
    require_finite_or_missing,
    require_non_negative,
    require_not_greater,
    require_positive,
    require_whole_numbers,
    to_float_array,
)
from hospiscope.stats.ci_labels import CI_LABELS
from hospiscope.stats.estimate import (
    ArrayOrScalar,
    Estimate,
    format_multiplier,
    index_of,
    normalise_confidence,
    package_result,
    scalar_or_array,
    two_sided_z,
)

PROPORTION_METHODS = ("wilson", "exact")
_METHOD_LABELS = {method: CI_LABELS[method] for method in PROPORTION_METHODS}


def binomial_inputs(x: object, n: object) -> tuple[np.ndarray, np.ndarray]:
    """Validate and broadcast numerators ``x`` and denominators ``n``.

    Both must be whole numbers >= 0 with x <= n; NaN (missing) is allowed and propagates.
    """
    x_array, n_array = to_float_array("x", x), to_float_array("n", n)
    try:
        x_array, n_array = np.broadcast_arrays(x_array, n_array)
    except ValueError:
        raise ValueError(
            f"x and n must have compatible shapes; got {x_array.shape} and {n_array.shape}"
        ) from None
    for name, array in (("x", x_array), ("n", n_array)):
        require_finite_or_missing(name, array)
        require_non_negative(name, array)
        require_whole_numbers(name, array)
    require_not_greater("x", x_array, "n", n_array)
    return x_array, n_array


def _mask_undefined(x: np.ndarray, n: np.ndarray, *bounds: np.ndarray) -> list[np.ndarray]:
    # With n == 0 or a missing count there is no proportion: NaN, not an exception, because
    # a national run must not stop on one empty ward.
    undefined = ~(n > 0) | np.isnan(x)
    return [np.where(undefined, np.nan, bound) for bound in bounds]


def _wilson_bounds(x: np.ndarray, n: np.ndarray, confidence: float) -> list[np.ndarray]:
    z = two_sided_z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        shrink = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / shrink
        half_width = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / shrink
    # At x = 0 (x = n) the exact bound is 0 (1); pin it so rounding never gives -1e-17.
    lower = np.where(x == 0, 0.0, np.clip(centre - half_width, 0.0, 1.0))
    upper = np.where(x == n, 1.0, np.clip(centre + half_width, 0.0, 1.0))
    return _mask_undefined(x, n, lower, upper)


def _clopper_pearson_bounds(x: np.ndarray, n: np.ndarray, confidence: float) -> list[np.ndarray]:
    alpha = 1 - normalise_confidence(confidence)
    # Beta shape parameters must be > 0: substitute 1 where the bound is fixed anyway.
    has_events = x > 0
    has_non_events = x < n
    with np.errstate(invalid="ignore"):
        lower = stats.beta.ppf(alpha / 2, np.where(has_events, x, 1), n - x + 1)
        upper = stats.beta.ppf(1 - alpha / 2, x + 1, np.where(has_non_events, n - x, 1))
    lower = np.where(has_events, lower, 0.0)
    upper = np.where(has_non_events, upper, 1.0)
    return _mask_undefined(x, n, lower, upper)


_BOUNDS = {"wilson": _wilson_bounds, "exact": _clopper_pearson_bounds}


def wilson_interval(
    x: object, n: object, confidence: float = 0.95
) -> tuple[ArrayOrScalar, ArrayOrScalar]:
    """Wilson (1927) score interval for x/n, without continuity correction.

    Vectorised: ``x`` and ``n`` broadcast against each other. Returns ``(lower, upper)`` as
    arrays (numpy scalars for scalar inputs). ``n == 0`` gives NaN bounds. ``confidence``
    accepts 0.95 or 95.

    Reference: Wilson EB (1927), J Am Stat Assoc 22:209-212; Newcombe RG (1998), Stat Med
    17:857-872, method 3.
    """
    x_array, n_array = binomial_inputs(x, n)
    lower, upper = _wilson_bounds(x_array, n_array, confidence)
    return scalar_or_array(lower), scalar_or_array(upper)


def exact_interval(
    x: object, n: object, confidence: float = 0.95
) -> tuple[ArrayOrScalar, ArrayOrScalar]:
    """Clopper-Pearson "exact" interval for x/n, from beta quantiles.

    lower = Beta(alpha/2; x, n-x+1) (0 when x = 0), upper = Beta(1-alpha/2; x+1, n-x)
    (1 when x = n). Same conventions as :func:`wilson_interval`.

    Reference: Clopper CJ, Pearson ES (1934), Biometrika 26:404-413; Newcombe RG (1998),
    Stat Med 17:857-872, method 5.
    """
    x_array, n_array = binomial_inputs(x, n)
    lower, upper = _clopper_pearson_bounds(x_array, n_array, confidence)
    return scalar_or_array(lower), scalar_or_array(upper)


def proportion_statistic(multiplier: float) -> str:
    """Name of the statistic for a given multiplier (1: proportion, 100: percentage)."""
    if multiplier == 1:
        return "proportion"
    if multiplier == 100:
        return "percentage"
    return f"proportion per {format_multiplier(multiplier)}"


def proportion(
    x: object,
    n: object,
    confidence: float = 0.95,
    method: str = "wilson",
    multiplier: float = 1,
) -> Estimate | pd.DataFrame:
    """Proportion x/n x ``multiplier`` with its confidence interval, self-described.

    Scalar inputs return an :class:`Estimate`; array or Series inputs return a DataFrame
    with ``value, lower, upper, confidence, statistic, method, numerator, denominator`` (the
    index of a pandas input is kept). ``method`` is ``"wilson"`` (default, as in the OHID
    Fingertips guidance) or ``"exact"`` (Clopper-Pearson); ``multiplier=100`` gives a
    percentage. A zero denominator gives NaN value and bounds.

    References: Wilson (1927); Clopper & Pearson (1934); Newcombe (1998), see module
    docstring.
    """
    require_choice("method", method, PROPORTION_METHODS)
    scale = float(multiplier)
    require_positive("multiplier", np.asarray(scale))
    require_finite_or_missing("multiplier", np.asarray(scale))
    x_array, n_array = binomial_inputs(x, n)
    lower, upper = _BOUNDS[method](x_array, n_array, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(n_array > 0, x_array / n_array, np.nan)  # NaN x stays NaN
    return package_result(
        value * scale,
        lower * scale,
        upper * scale,
        confidence=confidence,
        statistic=proportion_statistic(scale),
        method=_METHOD_LABELS[method],
        numerator=x_array,
        denominator=n_array,
        index=index_of(x, n),
    )

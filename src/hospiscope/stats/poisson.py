"""Counts of events, rates and standardised (observed / expected) ratios.

The observed count O is treated as Poisson; the denominator (person-time, population, or the
expected count E of indirect standardisation) is treated as known exactly, so the interval of
O / D is the Poisson interval of O divided by D. This is the standard method for indirectly
standardised ratios such as the SMR (Breslow & Day 1987, vol. II, ch. 2; OHID Fingertips
technical guidance "Indirectly standardised ratios").

Two interval methods for O:

* ``"exact"``: Garwood (1936) limits from chi-square quantiles,
  lower = chi2(alpha/2; 2O) / 2 (0 when O = 0), upper = chi2(1 - alpha/2; 2O + 2) / 2.
* ``"byar"``: Byar's cube-root approximation as used by PHE/OHID Fingertips
  (Breslow & Day 1987, ch. 2), lower = O (1 - 1/(9O) - z/(3 sqrt(O)))^3,
  upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3. Fingertips uses it from O >= 10,
  where it is within 0.2 % of the exact limits at 95 %.

References
----------
Garwood F (1936). Fiducial limits for the Poisson distribution. Biometrika 28:437-442.
Breslow NE, Day NE (1987). Statistical methods in cancer research, vol. II: the design and
    analysis of cohort studies. IARC Scientific Publications 82, Lyon.
Office for Health Improvement and Disparities. Public health technical guidance: rates;
    indirectly standardised ratios. https://fingertips.phe.org.uk/static-reports/
    public-health-technical-guidance/
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from hospiscope.stats._validation import (
    require_choice,
    require_finite_or_missing,
    require_non_negative,
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

POISSON_METHODS = ("exact", "byar")
# this module's "exact" is the catalogue's "poisson_exact" (its "exact" is Clopper-Pearson)
_METHOD_LABELS = {"exact": CI_LABELS["poisson_exact"], "byar": CI_LABELS["byar"]}


def count_input(name: str, count: object) -> np.ndarray:
    """Validate event counts: whole numbers >= 0, NaN allowed (missing)."""
    array = to_float_array(name, count)
    require_finite_or_missing(name, array)
    require_non_negative(name, array)
    require_whole_numbers(name, array)
    return array


def _keep_missing(count: np.ndarray, *bounds: np.ndarray) -> list[np.ndarray]:
    return [np.where(np.isnan(count), np.nan, bound) for bound in bounds]


def _garwood_bounds(count: np.ndarray, confidence: float) -> list[np.ndarray]:
    alpha = 1 - normalise_confidence(confidence)
    has_events = count > 0
    # chi2 needs df > 0: substitute 1 event where the lower bound is 0 anyway.
    lower = stats.chi2.ppf(alpha / 2, 2 * np.where(has_events, count, 1)) / 2
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return _keep_missing(count, np.where(has_events, lower, 0.0), upper)


def _byar_bounds(count: np.ndarray, confidence: float) -> list[np.ndarray]:
    z = two_sided_z(confidence)
    has_events = count > 0
    safe = np.where(has_events, count, 1.0)  # avoid 1/0 where the lower bound is 0 anyway
    lower = safe * (1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))) ** 3
    after = count + 1
    upper = after * (1 - 1 / (9 * after) + z / (3 * np.sqrt(after))) ** 3
    # For tiny counts at high confidence the cube goes negative (PHE raises an error there);
    # a count cannot be below 0, so the bound is clipped to 0.
    return _keep_missing(count, np.where(has_events, np.maximum(lower, 0.0), 0.0), upper)


_BOUNDS = {"exact": _garwood_bounds, "byar": _byar_bounds}


def poisson_exact_interval(
    count: object, confidence: float = 0.95
) -> tuple[ArrayOrScalar, ArrayOrScalar]:
    """Exact (Garwood 1936) confidence limits for a Poisson count.

    lower = chi2(alpha/2; 2O) / 2 (0 when O = 0), upper = chi2(1 - alpha/2; 2O + 2) / 2.
    Vectorised; returns ``(lower, upper)`` (numpy scalars for a scalar count). ``confidence``
    accepts 0.95 or 95.

    Reference: Garwood F (1936), Biometrika 28:437-442.
    """
    lower, upper = _garwood_bounds(count_input("count", count), confidence)
    return scalar_or_array(lower), scalar_or_array(upper)


def byar_interval(count: object, confidence: float = 0.95) -> tuple[ArrayOrScalar, ArrayOrScalar]:
    """Byar's approximate confidence limits for a Poisson count, as in OHID Fingertips.

    lower = O (1 - 1/(9O) - z/(3 sqrt(O)))^3 (0 when O = 0, clipped at 0),
    upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3. Inaccurate for small counts:
    Fingertips uses it only from 10 events.

    Reference: Breslow NE, Day NE (1987), Statistical methods in cancer research vol. II,
    IARC, ch. 2; OHID public health technical guidance, "Rates".
    """
    lower, upper = _byar_bounds(count_input("count", count), confidence)
    return scalar_or_array(lower), scalar_or_array(upper)


def _per_denominator(
    count: object,
    denominator: object,
    *,
    count_name: str,
    denominator_name: str,
    multiplier: float,
    confidence: float,
    method: str,
    statistic: str,
) -> Estimate | pd.DataFrame:
    """O / D x multiplier with the Poisson interval of O divided by D (D known exactly)."""
    require_choice("method", method, POISSON_METHODS)
    scale = float(multiplier)
    require_positive("multiplier", np.asarray(scale))
    require_finite_or_missing("multiplier", np.asarray(scale))
    counts = count_input(count_name, count)
    denominators = to_float_array(denominator_name, denominator)
    require_finite_or_missing(denominator_name, denominators)
    require_non_negative(denominator_name, denominators)
    try:
        counts, denominators = np.broadcast_arrays(counts, denominators)
    except ValueError:
        raise ValueError(
            f"{count_name} and {denominator_name} must have compatible shapes; "
            f"got {counts.shape} and {denominators.shape}"
        ) from None
    lower, upper = _BOUNDS[method](counts, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        # A zero denominator gives NaN (no estimate), never an exception.
        per_unit = np.where(denominators > 0, scale / denominators, np.nan)
    return package_result(
        counts * per_unit,
        lower * per_unit,
        upper * per_unit,
        confidence=confidence,
        statistic=statistic,
        method=_METHOD_LABELS[method],
        numerator=counts,
        denominator=denominators,
        index=index_of(count, denominator),
    )


def rate(
    count: object,
    exposure: object,
    multiplier: float = 1,
    confidence: float = 0.95,
    method: str = "exact",
) -> Estimate | pd.DataFrame:
    """Crude rate count / exposure x ``multiplier`` with a Poisson confidence interval.

    ``exposure`` is person-time or population at risk (> 0; 0 gives NaN). ``method`` is
    ``"exact"`` (Garwood) or ``"byar"``. Scalar inputs return an :class:`Estimate`, arrays a
    DataFrame (see :func:`hospiscope.stats.estimate.estimates_frame`).

    Reference: OHID public health technical guidance, "Rates" (crude rate limits are the
    count's limits divided by the population at risk); Garwood (1936); Breslow & Day (1987).
    """
    statistic = "rate" if float(multiplier) == 1 else f"rate per {format_multiplier(multiplier)}"
    return _per_denominator(
        count,
        exposure,
        count_name="count",
        denominator_name="exposure",
        multiplier=multiplier,
        confidence=confidence,
        method=method,
        statistic=statistic,
    )


def standardised_ratio(
    observed: object,
    expected: object,
    confidence: float = 0.95,
    method: str = "exact",
    multiplier: float = 1,
) -> Estimate | pd.DataFrame:
    """Observed / expected ratio (SMR, ISR, O/E) with its confidence interval.

    The expected count comes from indirect standardisation or a risk model and is treated as
    known exactly: the limits are the Poisson limits of ``observed`` divided by ``expected``
    (Breslow & Day 1987, vol. II, ch. 2; OHID technical guidance "Indirectly
    standardised ratios"). ``multiplier=100`` gives ratios on the "100 = as expected" scale.

    Reference: Breslow NE, Day NE (1987), IARC Scientific Publications 82; Garwood (1936).
    """
    scale = float(multiplier)
    statistic = (
        "standardised ratio" if scale == 1 else f"standardised ratio x {format_multiplier(scale)}"
    )
    return _per_denominator(
        observed,
        expected,
        count_name="observed",
        denominator_name="expected",
        multiplier=multiplier,
        confidence=confidence,
        method=method,
        statistic=statistic,
    )

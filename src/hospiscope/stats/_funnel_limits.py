"""Funnel-plot control limits at given precisions (private helpers of :mod:`funnel`).

Every function takes the precision ``rho`` (expected count E for a ratio, denominator n for a
proportion), the target and a two-sided level (0.95, 0.998) and returns ``(lower, upper)`` on
the natural scale (ratio, or proportion in [0, 1]). Arrays are vectorised.

Unadjusted conventions
----------------------
Ratios (observed O ~ Poisson(target x E)):

* ``"spiegelhalter"``: the p-quantile of the count, interpolated as in Spiegelhalter (2005),
  appendix A.1: r_p is the smallest r with F(r) >= p, alpha = (F(r_p) - p) /
  (F(r_p) - F(r_p - 1)) and the limit is (r_p - alpha) / E, i.e. the inverse of the cdf drawn
  as straight lines between the integers.
* ``"fingertips"``: the limit is the ratio at which the exact (Garwood) confidence interval of
  O / E just touches the target, as in the PHE Fingertips funnel-plot macro and
  PHEindicatormethods (``poisson_funnel``); with the count x treated as continuous,
  lower = x / E with P(Y <= x) = alpha / 2, upper = (x + 1) / E with P(Y <= x) = 1 - alpha / 2
  (Y ~ Poisson(target x E), cdf continued by the regularised incomplete gamma function). At
  the expected counts where an integer count O sits on the lower limit, it equals the
  Spiegelhalter limit; on the upper side it is one event higher.
* ``"funnelplotr"``: the Garwood interval of a count equal to E, times the target, as in the R
  package FunnelPlotR (``target * qchisq(alpha / 2, 2 E) / (2 E)`` and
  ``target * qchisq(1 - alpha / 2, 2 E + 2) / (2 E)``).

Proportions (numerator ~ Binomial(n, target)):

* ``"spiegelhalter"``: interpolated binomial quantiles, (r_p - alpha) / n as above; n must be a
  whole number.
* ``"wilson"``: target -/+ z sqrt(target (1 - target) / n), clipped to [0, 1]. This is where the
  Wilson score interval of the observed proportion just touches the target (the score test),
  and it is what PHEindicatormethods computes in ``sigma_adjustment`` (Fingertips method).

All limits are finally bounded by the target (lower <= target <= upper) and by the natural
range (>= 0, and <= 1 for proportions). For a ratio the interpolated upper limit can fall below
the target only when the expected count is below -ln(1 - alpha / 2) (0.025 at 95 %, 0.001 at
99.8 %), where any single event is already beyond the limit; bounding it by the target changes
no flag for a whole-number count.

Over-dispersed limits
---------------------
On the variance-stabilising scale used for the z-scores (see :mod:`_funnel_dispersion`):
target_t -/+ z sigma, with sigma^2 = phi s^2 (multiplicative) or s^2 + tau^2 (additive), then
transformed back. They are combined with the unadjusted limits by taking the wider of the two
at each precision, so that an over-dispersion adjustment can only widen the funnel (the normal
approximation alone would be narrower than the exact limits at very small precisions).

References
----------
Spiegelhalter DJ (2005). Funnel plots for comparing institutional performance. Stat Med
    24:1185-1202, appendix A.1 (interpolated exact limits), section 5 (over-dispersion).
Spiegelhalter DJ, Sherlaw-Johnson C, Bardsley M, et al. (2012). Statistical methods for
    healthcare regulation: rating, screening and surveillance. JRSS-A 175:1-47.
UKHSA, PHEindicatormethods, R/Funnels.R and R/utils.R (poisson_funnel, sigma_adjustment).
NHS-R Community, FunnelPlotR, R/calculate_limits.R.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from hospiscope.stats.estimate import two_sided_z

RATIO_LIMITS = ("spiegelhalter", "fingertips", "funnelplotr")
PROPORTION_LIMITS = ("spiegelhalter", "wilson")
CONFIDENCE_LEVELS = (0.95, 0.998)
LEVEL_SUFFIX = {0.95: "95", 0.998: "998"}
LIMIT_COLUMNS = tuple(
    f"{bound}_{LEVEL_SUFFIX[level]}{adjusted}"
    for adjusted in ("", "_adjusted")
    for level in CONFIDENCE_LEVELS
    for bound in ("lower", "upper")
)

Bounds = tuple[np.ndarray, np.ndarray]


def _interpolate(distribution: stats.rv_discrete, p: float, *parameters: np.ndarray) -> np.ndarray:
    """Spiegelhalter's interpolated p-quantile r_p - alpha of a discrete distribution."""
    r = distribution.ppf(p, *parameters)
    at_r = distribution.cdf(r, *parameters)
    below_r = distribution.cdf(r - 1, *parameters)
    return r - (at_r - p) / (at_r - below_r)


def _spiegelhalter_ratio(expected: np.ndarray, target: float, level: float) -> Bounds:
    tail = (1 - level) / 2
    mean = target * expected
    lower = _interpolate(stats.poisson, tail, mean) / expected
    upper = _interpolate(stats.poisson, 1 - tail, mean) / expected
    return lower, upper


def _fingertips_ratio(expected: np.ndarray, target: float, level: float) -> Bounds:
    tail = (1 - level) / 2
    mean = target * expected
    # pdtrik(p, m) is the continuous count k with gammaincc(k + 1, m) = p.
    lower = special.pdtrik(tail, mean) / expected
    upper = (special.pdtrik(1 - tail, mean) + 1) / expected
    return lower, upper


def _funnelplotr_ratio(expected: np.ndarray, target: float, level: float) -> Bounds:
    tail = (1 - level) / 2
    lower = target * stats.chi2.ppf(tail, 2 * expected) / (2 * expected)
    upper = target * stats.chi2.ppf(1 - tail, 2 * expected + 2) / (2 * expected)
    return lower, upper


def _spiegelhalter_proportion(size: np.ndarray, target: float, level: float) -> Bounds:
    tail = (1 - level) / 2
    lower = _interpolate(stats.binom, tail, size, target) / size
    upper = _interpolate(stats.binom, 1 - tail, size, target) / size
    return lower, upper


def _wilson_proportion(size: np.ndarray, target: float, level: float) -> Bounds:
    half_width = two_sided_z(level) * np.sqrt(target * (1 - target) / size)
    return target - half_width, target + half_width


_UNADJUSTED = {
    ("ratio", "spiegelhalter"): _spiegelhalter_ratio,
    ("ratio", "fingertips"): _fingertips_ratio,
    ("ratio", "funnelplotr"): _funnelplotr_ratio,
    ("proportion", "spiegelhalter"): _spiegelhalter_proportion,
    ("proportion", "wilson"): _wilson_proportion,
}


def _bounded(data_type: str, target: float, lower: np.ndarray, upper: np.ndarray) -> Bounds:
    ceiling = 1.0 if data_type == "proportion" else np.inf
    lower = np.clip(np.minimum(lower, target), 0.0, None)
    upper = np.clip(np.maximum(upper, target), None, ceiling)
    return lower, upper


def unadjusted_limits(
    data_type: str, method: str, precision: np.ndarray, target: float, level: float
) -> Bounds:
    """Exact limits (no over-dispersion) at ``precision`` for one two-sided ``level``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lower, upper = _UNADJUSTED[(data_type, method)](precision, target, level)
    return _bounded(data_type, target, lower, upper)


def transformed_limits(transform: str, target: float, spread: np.ndarray, level: float) -> Bounds:
    """Normal limits target_t -/+ z ``spread`` on the transformed scale, back-transformed."""
    z = two_sided_z(level)
    if transform == "sqrt":
        root = np.sqrt(target)
        return np.clip(root - z * spread, 0.0, None) ** 2, (root + z * spread) ** 2
    if transform == "log":
        with np.errstate(over="ignore"):  # a huge tau^2 gives an infinite upper limit
            return target * np.exp(-z * spread), target * np.exp(z * spread)
    angle = np.arcsin(np.sqrt(target))  # "arcsine", proportions
    low = np.clip(angle - z * spread, 0.0, np.pi / 2)
    high = np.clip(angle + z * spread, 0.0, np.pi / 2)
    return np.sin(low) ** 2, np.sin(high) ** 2


def widest(exact: Bounds, overdispersed: Bounds) -> Bounds:
    """The wider of two pairs of limits at each precision (NaN-safe: NaN stays NaN)."""
    lower = np.where(np.isnan(exact[0]), np.nan, np.fmin(exact[0], overdispersed[0]))
    upper = np.where(np.isnan(exact[1]), np.nan, np.fmax(exact[1], overdispersed[1]))
    return lower, upper


@dataclass(frozen=True)
class LimitSpec:
    """What the limits depend on; ``overdispersion`` is the adjustment actually applied."""

    data_type: str
    limits_method: str
    transform: str
    target: float
    overdispersion: str  # "none" when no adjustment is applied
    phi: float
    tau2: float


def adjusted_spread(spec: LimitSpec, precision: np.ndarray) -> np.ndarray:
    """Standard deviation on the transformed scale: sqrt(phi) s or sqrt(s^2 + tau^2)."""
    se = (1.0 if spec.transform == "log" else 0.5) / np.sqrt(precision)
    if spec.overdispersion == "multiplicative":
        return np.sqrt(spec.phi) * se
    return np.sqrt(se * se + spec.tau2)


def limits_frame(spec: LimitSpec, precision: np.ndarray) -> pd.DataFrame:
    """``precision`` then :data:`LIMIT_COLUMNS` (unadjusted, then adjusted) at ``precision``."""
    columns: dict[str, np.ndarray] = {"precision": precision}
    adjusted: dict[str, np.ndarray] = {}
    for level in CONFIDENCE_LEVELS:
        exact = unadjusted_limits(spec.data_type, spec.limits_method, precision, spec.target, level)
        wide = exact
        if spec.overdispersion != "none":
            spread = adjusted_spread(spec, precision)
            wide = widest(exact, transformed_limits(spec.transform, spec.target, spread, level))
        suffix = LEVEL_SUFFIX[level]
        columns[f"lower_{suffix}"], columns[f"upper_{suffix}"] = exact
        adjusted[f"lower_{suffix}_adjusted"], adjusted[f"upper_{suffix}_adjusted"] = wide
    return pd.DataFrame(columns | adjusted)

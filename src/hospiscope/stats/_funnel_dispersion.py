"""Z-scores and over-dispersion estimates for funnel plots (private helpers of :mod:`funnel`).

Z-scores are computed on a variance-stabilising scale, z = (y - target_t) / s:

* ratios, ``"sqrt"`` (default; Spiegelhalter 2005 QSHC, CQC): y = sqrt(O / E),
  target_t = sqrt(target), s = 1 / (2 sqrt(E)), so z = 2 (sqrt(O) - sqrt(target E));
* ratios, ``"log"`` (NHS Digital SHMI): y = log(O / E), target_t = log(target), s = 1 / sqrt(E);
  a unit with O = 0 has z = -inf and is left out of the estimation;
* proportions, ``"arcsine"``: y = asin(sqrt(x / n)), target_t = asin(sqrt(target)),
  s = 1 / (2 sqrt(n)).

These are the transformations of FunnelPlotR (R/od_adjustment.R, ``transformed_zscore``).

Before estimating, the extreme z-scores are either winsorised (default; Spiegelhalter 2005,
FunnelPlotR ``winsorisation``): values beyond the ``fraction`` and ``1 - fraction`` sample
quantiles (Hyndman & Fan type 7, R's default) are set to those quantiles; or truncated (SHMI):
with k = 1 / fraction and ranks r (ties averaged), units with floor(r k / (n + 1)) equal to 0 or
at least k - 1 are dropped (the rule FunnelPlotR's ``truncation`` intends; its code compares the
z-score itself with k - 1, which only differs when a kept z-score exceeds 9).

Then phi = (1 / n) sum z^2 over the n units kept, and the DerSimonian-Laird between-unit
variance on the transformed scale is tau^2 = max(0, (n phi - (n - 1)) /
(sum w - sum w^2 / sum w)) with w = 1 / s^2 over the same units (Spiegelhalter et al. 2012).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

RATIO_TRANSFORMS = ("sqrt", "log")
TRIM_METHODS = ("winsorise", "truncate")


@dataclass(frozen=True)
class Scores:
    """Values, their transforms, the transformed target, standard errors and z-scores."""

    value: np.ndarray
    transformed: np.ndarray
    target: float
    se: np.ndarray
    z: np.ndarray


@dataclass(frozen=True)
class Dispersion:
    """Over-dispersion estimates.

    ``n_used`` counts the units with a finite z-score (before trimming); ``trimmed`` marks the
    units winsorised or, with truncation, left out of phi and tau^2.
    """

    phi: float
    tau2: float
    n_used: int
    trimmed: np.ndarray


def transformed_scores(
    transform: str, value: np.ndarray, precision: np.ndarray, target: float
) -> Scores:
    """Scores of ``value`` (ratio or proportion) against ``target`` at ``precision``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if transform == "sqrt":
            y, centre, se = np.sqrt(value), np.sqrt(target), 0.5 / np.sqrt(precision)
        elif transform == "log":
            y, centre, se = np.log(value), np.log(target), 1 / np.sqrt(precision)
        else:  # "arcsine"
            y, centre = np.arcsin(np.sqrt(value)), float(np.arcsin(np.sqrt(target)))
            se = 0.5 / np.sqrt(precision)
        z = (y - centre) / se
    return Scores(value, y, float(centre), se, z)


def _winsorised(z: np.ndarray, fraction: float) -> tuple[np.ndarray, np.ndarray]:
    low, high = np.quantile(z, [fraction, 1 - fraction])
    return np.clip(z, low, high), (z < low) | (z > high)


def _truncated(z: np.ndarray, fraction: float) -> tuple[np.ndarray, np.ndarray]:
    if fraction == 0:
        return z, np.zeros(z.shape, dtype=bool)
    groups = 1 / fraction
    band = np.floor(stats.rankdata(z) * groups / (z.size + 1))
    dropped = (band <= 0) | (band >= groups - 1)
    return z[~dropped], dropped


def estimate_dispersion(
    z: np.ndarray, se: np.ndarray, *, method: str, fraction: float, min_units: int
) -> Dispersion:
    """phi and tau^2 from the finite z-scores; NaN when fewer than ``min_units`` are usable."""
    usable = np.isfinite(z) & np.isfinite(se)
    trimmed = np.zeros(z.shape, dtype=bool)
    if usable.sum() < min_units:
        return Dispersion(np.nan, np.nan, int(usable.sum()), trimmed)
    trim = _winsorised if method == "winsorise" else _truncated
    kept_z, flagged = trim(z[usable], fraction)
    trimmed[usable] = flagged
    weights = 1 / se[usable]
    weights = weights * weights
    if method == "truncate":
        weights = weights[~flagged]
    n = kept_z.size
    phi = float(np.mean(kept_z * kept_z))
    denominator = weights.sum() - (weights * weights).sum() / weights.sum()
    tau2 = max(0.0, (n * phi - (n - 1)) / denominator) if denominator > 0 else 0.0
    return Dispersion(phi, float(tau2), int(usable.sum()), trimmed)

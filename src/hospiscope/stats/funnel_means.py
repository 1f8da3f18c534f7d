"""Funnel limits for mean scores (e-Satis): normal limits around a target, the spread between
respondents recovered from the confidence interval each unit was given (normal: half-width =
z σ / √n) and pooled over units, widened for over-dispersion with DerSimonian–Laird's τ² on
winsorised z-scores, as the funnels of rates and ratios are (stats/funnel.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from hospiscope.stats._funnel_dispersion import estimate_dispersion


@dataclass(frozen=True)
class MeanFunnelLimits:
    target: float
    sigma: float  # pooled standard deviation between respondents
    tau2: float  # 0 when no over-dispersion is retained
    grid: np.ndarray  # sample sizes where the limits are drawn
    lower: dict[str, np.ndarray]  # level name → limit on the grid
    upper: dict[str, np.ndarray]
    high: dict[str, np.ndarray]  # level name → unit above its upper limit
    low: dict[str, np.ndarray]


def mean_funnel_limits(
    value: np.ndarray,
    size: np.ndarray,
    ci_low: np.ndarray,
    ci_high: np.ndarray,
    *,
    ci_level: float,
    levels: dict[str, float],
    target: float | None = None,
    grid_points: int = 120,
    min_units: int = 10,
) -> MeanFunnelLimits:
    """Limits of each level (name → coverage) around `target` (default: the size-weighted
    mean). ValueError when no unit has a usable confidence interval."""
    if target is None:
        target = float(np.sum(value * size) / np.sum(size))
    z_ci = NormalDist().inv_cdf(0.5 + ci_level / 2)
    within = (ci_high - ci_low) / (2 * z_ci) * np.sqrt(size)
    known = np.isfinite(within) & (size > 1)
    if not known.any():
        raise ValueError("aucun intervalle de confiance")
    sigma = math.sqrt(np.sum((size[known] - 1) * within[known] ** 2) / np.sum(size[known] - 1))
    se = sigma / np.sqrt(size)
    dispersion = estimate_dispersion(
        (value - target) / se, se, method="winsorise", fraction=0.1, min_units=min_units
    )
    tau2 = dispersion.tau2 if math.isfinite(dispersion.tau2) else 0.0
    grid = np.geomspace(size.min(), size.max(), grid_points)
    lower, upper, high, low = {}, {}, {}, {}
    for name, level in levels.items():
        z = NormalDist().inv_cdf(0.5 + level / 2)
        spread_grid = np.sqrt(sigma**2 / grid + tau2)
        spread_unit = np.sqrt(se**2 + tau2)
        lower[name], upper[name] = target - z * spread_grid, target + z * spread_grid
        high[name] = value > target + z * spread_unit
        low[name] = value < target - z * spread_unit
    return MeanFunnelLimits(float(target), sigma, tau2, grid, lower, upper, high, low)

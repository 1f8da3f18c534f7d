"""The funnel plot of a mean score (e-Satis): normal limits at 95 % and 99,8 % around the
national value. The spread between respondents is not stored; it is recovered from the
confidence interval each establishment was given (normal: half-width = z σ / √n) and pooled
over establishments; the limits are widened for over-dispersion with DerSimonian–Laird's τ²,
estimated on winsorised z-scores as the statistics do for rates and ratios. A reading aid
chosen by hospiscope: these limits set no class."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from hospiscope.catalogue.meta import IndicatorMeta
from hospiscope.web.funnel_model import (
    GRID_POINTS,
    INSIDE,
    LEVELS,
    MIN_UNITS,
    POSITIONS,
    RULE,
    Funnel,
    FunnelPoint,
    position_counts,
)


def mean_funnel(meta: IndicatorMeta, rows: pd.DataFrame, target: float | None) -> Funnel:
    from hospiscope.stats._funnel_dispersion import estimate_dispersion

    value = rows["value"].to_numpy(float)
    size = rows["denominator"].to_numpy(float)
    if target is None:
        target = float(np.sum(value * size) / np.sum(size))
    z_ci = NormalDist().inv_cdf(0.5 + meta.ci_level / 2)
    within = (rows["ci_high"] - rows["ci_low"]).to_numpy(float) / (2 * z_ci) * np.sqrt(size)
    known = np.isfinite(within) & (size > 1)
    if not known.any():
        raise ValueError("aucun intervalle de confiance")
    sigma = math.sqrt(np.sum((size[known] - 1) * within[known] ** 2) / np.sum(size[known] - 1))
    se = sigma / np.sqrt(size)
    dispersion = estimate_dispersion(
        (value - target) / se, se, method="winsorise", fraction=0.1, min_units=MIN_UNITS
    )
    tau2 = dispersion.tau2 if math.isfinite(dispersion.tau2) else 0.0
    grid = np.geomspace(size.min(), size.max(), GRID_POINTS)
    limits, flags = {}, {}
    for suffix, level in LEVELS.items():
        z = NormalDist().inv_cdf(0.5 + level / 2)
        spread_grid = np.sqrt(sigma**2 / grid + tau2)
        spread_unit = np.sqrt(se**2 + tau2)
        limits[f"lower_{suffix}"] = [float(v) for v in target - z * spread_grid]
        limits[f"upper_{suffix}"] = [float(v) for v in target + z * spread_grid]
        flags[f"high_{suffix}"] = value > target + z * spread_unit
        flags[f"low_{suffix}"] = value < target - z * spread_unit
    positions = [
        next((text for flag, text in POSITIONS if flags[flag][i]), INSIDE)
        for i in range(len(value))
    ]
    points = [
        FunnelPoint(finess=str(f), precision=float(n), value=float(v), position=p)
        for f, n, v, p in zip(rows["entity_id"], size, value, positions, strict=True)
    ]
    adjusted = tau2 > 0
    return Funnel(
        kind="moyenne",
        x_label="Nombre de répondants",
        y_label=f"Score ({meta.unit})",
        target=float(target),
        target_label="valeur nationale",
        precision=[float(g) for g in grid],
        limits=limits,
        adjusted=adjusted,
        points=points,
        positions=position_counts(meta, positions),
        method=(
            "Limites normales à 95 % et 99,8 % autour de la valeur nationale : écart-type "
            f"entre répondants σ = {sigma:.1f}".replace(".", ",")
            + " (mis en commun à partir des intervalles de confiance des établissements)"
            + (
                " ; sur-dispersion : τ² de DerSimonian–Laird sur z winsorisés à 10 %"
                if adjusted
                else ""
            )
        ),
        note=(
            f"τ² = {tau2:.3g}".replace(".", ",") + " ; limites élargies d'autant."
            if adjusted
            else "Pas de sur-dispersion retenue."
        ),
        rule=RULE,
    )

"""The funnel plot of a mean score (e-Satis) as the portal shows it: normal limits at 95 % and
99,8 % around the national value, computed by stats/funnel_means.py from each establishment's
confidence interval. A reading aid chosen by hospiscope: these limits set no class."""

from __future__ import annotations

import pandas as pd

from hospiscope.catalogue.meta import IndicatorMeta
from hospiscope.stats.funnel_means import mean_funnel_limits
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
    value = rows["value"].to_numpy(float)
    size = rows["denominator"].to_numpy(float)
    found = mean_funnel_limits(
        value,
        size,
        rows["ci_low"].to_numpy(float),
        rows["ci_high"].to_numpy(float),
        ci_level=meta.ci_level,
        levels=LEVELS,
        target=target,
        grid_points=GRID_POINTS,
        min_units=MIN_UNITS,
    )
    target, sigma, tau2, grid = found.target, found.sigma, found.tau2, found.grid
    limits, flags = {}, {}
    for suffix in LEVELS:
        limits[f"lower_{suffix}"] = [float(v) for v in found.lower[suffix]]
        limits[f"upper_{suffix}"] = [float(v) for v in found.upper[suffix]]
        flags[f"high_{suffix}"] = found.high[suffix]
        flags[f"low_{suffix}"] = found.low[suffix]
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

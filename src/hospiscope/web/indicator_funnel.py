"""The funnel plot of an indicator's campaign: each establishment's value against its size, with
control limits at 95 % and 99,8 % that narrow as the size grows (Spiegelhalter 2005).

- O/E ratios judged against a funnel (an indicator with a `FunnelSpec`): the very funnel its
  classes were set with (results.funnels, the bilan's and the command line's);
- rates: `stats.funnel_proportion` around the national value, exact binomial limits widened
  for over-dispersion (τ² of DerSimonian–Laird, as for O/E ratios);
- mean scores: normal limits around the national value, the spread within an establishment
  taken from the confidence intervals it was given (σ pooled over establishments), widened the
  same way.

For rates and scores these limits are a reading aid chosen by hospiscope: they set no class.
Every value is in the indicator's unit (a rate of 0,42 is drawn at 42 %)."""

from __future__ import annotations

import math
import threading
from statistics import NormalDist

import numpy as np
import pandas as pd
from pydantic import BaseModel

from hospiscope.catalogue.meta import Direction, IndicatorMeta

MIN_UNITS = 10
GRID_POINTS = 120
LEVELS = {"95": 0.95, "998": 0.998}
# Positions against the limits, strongest first (the flag columns of a FunnelResult).
POSITIONS = (
    ("high_998", "au-dessus de la limite à 99,8 %"),
    ("low_998", "en dessous de la limite à 99,8 %"),
    ("high_95", "au-dessus de la limite à 95 % seulement"),
    ("low_95", "en dessous de la limite à 95 % seulement"),
)
INSIDE = "dans les limites"


class FunnelPoint(BaseModel):
    finess: str
    precision: float
    value: float
    position: str


class PositionCount(BaseModel):
    position: str
    count: int
    css: str  # rang-0 (favourable) … rang-4 (unfavourable), neutre, dedans


class Funnel(BaseModel):
    kind: str  # "ratio", "proportion", "moyenne"
    x_label: str
    y_label: str
    target: float
    target_label: str
    precision: list[float]  # the grid the limits are given on
    limits: dict[str, list[float | None]]  # lower_95, upper_95, lower_998, upper_998
    adjusted: bool  # limits widened for over-dispersion
    points: list[FunnelPoint]
    positions: list[PositionCount]
    method: str
    note: str
    rule: str  # French: what the limits are for


def funnel(meta: IndicatorMeta, rows: pd.DataFrame, national: dict | None) -> Funnel | str | None:
    """The funnel of the establishments `rows` of one campaign, or why there is none (None:
    the indicator has no size to draw a funnel against — a count, a decision)."""
    kind = _kind(meta)
    if kind is None:
        return None
    usable = rows[
        rows["status"].isna()
        & rows["value"].notna()
        & (rows["denominator"] > 0)
        & rows["numerator"].notna()
    ]
    if len(usable) < MIN_UNITS:
        return (
            f"Pas de diagramme en entonnoir : {len(usable)} établissement(s) seulement ont une "
            f"valeur (il en faut au moins {MIN_UNITS})."
        )
    if usable["denominator"].nunique() < 2:
        return "Pas de diagramme en entonnoir : tous les établissements ont le même effectif."
    target = _number((national or {}).get("value"))
    try:
        if kind == "ratio":
            return _ratio_funnel(meta, usable)
        if kind == "proportion":
            return _proportion_funnel(meta, usable, target)
        return _mean_funnel(meta, usable, target)
    except ValueError as error:  # a national value of 0 or 100 %, counts out of range…
        return f"Pas de diagramme en entonnoir : les données ne s'y prêtent pas ({error})."


def _kind(meta: IndicatorMeta) -> str | None:
    if meta.denominator is None:
        return None
    if meta.kind == "ratio" and meta.ci_method == "poisson_exact":
        return "ratio"
    if meta.kind == "rate":
        return "proportion"
    if meta.kind == "score" and meta.ci_method == "normal":
        return "moyenne"
    return None


# --- O/E ratios: the indicator's own funnel -----------------------------------------------


def _ratio_funnel(meta: IndicatorMeta, rows: pd.DataFrame) -> Funnel | str:
    from hospiscope.results.funnels import establishment_funnel

    result = establishment_funnel(indicator_of(meta.code), rows)
    if result is None:
        return "Pas de diagramme en entonnoir pour cet indicateur."
    return _from_result(
        meta,
        result,
        kind="ratio",
        x_label="Nombre attendu",
        target_label="1, autant qu'attendu",
        rule="Les classes de cet indicateur sont fixées par ce diagramme : "
        + next((a for a in meta.assumptions if "entonnoir" in a), "voir la définition."),
    )


def indicator_of(code: str):
    """The catalogue's indicator (its computation is loaded once: about 2 s, see warm_up)."""
    from hospiscope.catalogue import get_indicator

    return get_indicator(code)


def warm_up() -> None:
    """Load the statistics and the catalogue in the background, once, so that the first
    funnel does not wait for them."""
    global _warming
    with _warm_lock:
        if _warming:
            return
        _warming = True
    threading.Thread(target=_load, name="hospiscope-catalogue", daemon=True).start()


def _load() -> None:
    import hospiscope.stats.funnel  # noqa: F401
    from hospiscope.catalogue import catalogue

    catalogue()


_warming = False
_warm_lock = threading.Lock()


# --- rates -----------------------------------------------------------------------------------


def _proportion_funnel(meta: IndicatorMeta, rows: pd.DataFrame, target: float | None) -> Funnel:
    from hospiscope.stats.funnel import funnel_proportion

    numerator = rows["numerator"].to_numpy(float)
    denominator = rows["denominator"].to_numpy(float)
    whole = bool(np.all(denominator == np.round(denominator)))
    result = funnel_proportion(
        numerator,
        denominator,
        rows["entity_id"].to_numpy(),
        target=target / meta.factor if target is not None else "pooled",
        overdispersion="additive",
        limits="spiegelhalter" if whole else "wilson",
        min_units=MIN_UNITS,
        grid_points=GRID_POINTS,
    )
    return _from_result(
        meta,
        result,
        kind="proportion",
        x_label="Effectif (dénominateur)",
        target_label="valeur nationale",
        rule=RULE,
    )


RULE = (
    "Repère de lecture choisi par hospiscope, sans valeur officielle : ces limites ne fixent "
    "pas les classes. Un établissement hors des limites s'écarte de la valeur nationale plus "
    "que le hasard ne l'explique à son effectif."
)


def _from_result(meta: IndicatorMeta, result, *, kind, x_label, target_label, rule) -> Funnel:
    scale = meta.factor if kind == "proportion" else 1.0
    tail = "_adjusted" if result.adjusted else ""
    limits = {
        f"{side}_{level}": _scaled(result.limits[f"{side}_{level}{tail}"], scale)
        for level in LEVELS
        for side in ("lower", "upper")
    }
    units = result.units
    positions = [_position(unit, tail) for unit in units.to_dict("records")]
    points = [
        FunnelPoint(
            finess=str(unit),
            precision=float(precision),
            value=float(value) * scale,
            position=position,
        )
        for unit, precision, value, position in zip(
            units["unit"], units["precision"], units["value"], positions, strict=True
        )
    ]
    return Funnel(
        kind=kind,
        x_label=x_label,
        y_label=f"Valeur ({meta.unit})",
        target=result.target * scale,
        target_label=target_label,
        precision=[float(p) for p in result.limits["precision"]],
        limits=limits,
        adjusted=bool(result.adjusted),
        points=points,
        positions=position_counts(meta, positions),
        method=result.method,
        note=result.note,
        rule=rule,
    )


def _position(unit: dict, tail: str) -> str:
    return next((text for flag, text in POSITIONS if unit[f"{flag}{tail}"]), INSIDE)


# --- mean scores -----------------------------------------------------------------------------


def _mean_funnel(meta: IndicatorMeta, rows: pd.DataFrame, target: float | None) -> Funnel:
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


def position_counts(meta: IndicatorMeta, positions: list[str]) -> list[PositionCount]:
    """How many establishments at each position, colours following the direction (above the
    limits is favourable when higher is better)."""
    counts = pd.Series(positions).value_counts()
    by_flag = dict(POSITIONS)  # top to bottom, as on the chart
    order = [by_flag["high_998"], by_flag["high_95"], INSIDE, by_flag["low_95"], by_flag["low_998"]]
    return [
        PositionCount(position=text, count=int(counts.get(text, 0)), css=_css(meta, text))
        for text in order
        if counts.get(text, 0) or text == INSIDE
    ]


def _css(meta: IndicatorMeta, position: str) -> str:
    if position == INSIDE:
        return "dedans"
    if meta.direction is Direction.NONE:
        return "neutre"
    favourable = ("au-dessus" in position) == (meta.direction is Direction.HIGHER_IS_BETTER)
    strong = "99,8" in position
    if favourable:
        return "rang-0" if strong else "rang-1"
    return "rang-4" if strong else "rang-3"


def _scaled(column: pd.Series, scale: float) -> list[float | None]:
    return [None if not math.isfinite(v) else float(v) * scale for v in column]


def _number(value) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number

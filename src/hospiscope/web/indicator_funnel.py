"""The funnel plot of an indicator's campaign: each establishment's value against its size, with
control limits at 95 % and 99,8 % that narrow as the size grows (Spiegelhalter 2005).

- O/E ratios judged against a funnel (an indicator with a `FunnelSpec`): the very funnel its
  classes were set with (results.funnels, the bilan's and the command line's);
- rates: `stats.funnel_proportion` around the national value, exact binomial limits widened
  for over-dispersion (τ² of DerSimonian–Laird, as for O/E ratios);
- mean scores: normal limits around the national value (funnel_scores.py).

For rates and scores these limits are a reading aid chosen by hospiscope: they set no class.
Every value is in the indicator's unit (a rate of 0,42 is drawn at 42 %)."""

from __future__ import annotations

import math
import threading

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
from hospiscope.web.funnel_scores import mean_funnel
from hospiscope.web.values import number


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
    target = number((national or {}).get("value"))
    try:
        if kind == "ratio":
            drawn = _ratio_funnel(meta, usable)
        elif kind == "proportion":
            drawn = _proportion_funnel(meta, usable, target)
        else:
            drawn = mean_funnel(meta, usable, target)
    except ValueError as error:  # a national value of 0 or 100 %, counts out of range…
        return f"Pas de diagramme en entonnoir : les données ne s'y prêtent pas ({error})."
    drawn.hidden_counts = _hidden_counts(rows)
    return drawn


def _hidden_counts(rows: pd.DataFrame) -> int:
    """Establishments with a value whose counts the small-count rule hides (not drawn: their
    size is one of the hidden counts)."""
    if "counts_hidden" not in rows:
        return 0
    hidden = rows["counts_hidden"].fillna(False).astype(bool)
    return int((hidden & rows["value"].notna() & rows["status"].isna()).sum())


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


def _from_result(meta: IndicatorMeta, result, *, kind, x_label, target_label, rule) -> Funnel:
    scale = meta.factor if kind == "proportion" else 1.0
    tail = "_adjusted" if result.adjusted else ""
    limits = {
        f"{side}_{level}": _scaled(result.limits[f"{side}_{level}{tail}"], scale)
        for level in LEVELS
        for side in ("lower", "upper")
    }
    units = result.units
    positions = _positions(units, tail)
    points = [
        FunnelPoint(finess=unit, precision=precision, value=value * scale, position=position)
        for unit, precision, value, position in zip(
            units["unit"].astype(str).tolist(),
            units["precision"].to_numpy(float).tolist(),
            units["value"].to_numpy(float).tolist(),
            positions,
            strict=True,
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


def _positions(units: pd.DataFrame, tail: str) -> list[str]:
    """Each unit's strongest flag (the weakest are set first, the strongest last)."""
    found = np.full(len(units), INSIDE, dtype=object)
    for flag, text in reversed(POSITIONS):
        found[units[f"{flag}{tail}"].to_numpy(bool)] = text
    return found.tolist()


def _scaled(column: pd.Series, scale: float) -> list[float | None]:
    return [None if not math.isfinite(v) else float(v) * scale for v in column]

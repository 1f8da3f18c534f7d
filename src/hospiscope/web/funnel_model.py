"""What a funnel plot is, for the indicator pages: the points, the limits on a grid of sizes,
how many establishments sit at each position, and the method in French. Built by
indicator_funnel.py (rates, O/E ratios) and funnel_scores.py (mean scores); drawn by
charts.py."""

from __future__ import annotations

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


RULE = (
    "Repère de lecture choisi par hospiscope, sans valeur officielle : ces limites ne fixent "
    "pas les classes. Un établissement hors des limites s'écarte de la valeur nationale plus "
    "que le hasard ne l'explique à son effectif."
)


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
    hidden_counts: int = 0  # establishments not drawn: their counts are hidden (small counts)


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

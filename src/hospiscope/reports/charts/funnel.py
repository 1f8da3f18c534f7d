"""Funnel plots: points, target and limits (95 % dashed, 99,8 % solid), outliers shaped ▲ / ▼."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import altair as alt

from hospiscope.reports import format as fr
from hospiscope.reports.charts._common import (
    _IN_CONTROL,
    _LIMIT,
    _OUTLIER_MILD,
    _OUTLIER_STRONG,
    _PLAIN_LIMIT,
    Chart,
    _finish,
    slug,
)
from hospiscope.reports.model import FunnelChart

# Exclusive positions: "à 95 % seulement" is between the 95 % and the 99.8 % limits.
POINT_STATUSES = (
    "Dans les limites",
    "Au-dessus de la limite à 95 % seulement",
    "Au-dessus de la limite à 99,8 %",
    "En dessous de la limite à 95 % seulement",
    "En dessous de la limite à 99,8 %",
)


def point_status(flag: str | None, value: float, target: float) -> str:
    """The legend label of a funnel point from its flag ("au-dessus 99,8 %", …)."""
    if not flag:
        return POINT_STATUSES[0]
    text = flag.lower()
    if "dessous" in text or "inférieur" in text:
        high = False
    elif "dessus" in text or "supérieur" in text:
        high = True
    else:
        high = value > target
    strong = "99" in text
    if high:
        return POINT_STATUSES[2] if strong else POINT_STATUSES[1]
    return POINT_STATUSES[4] if strong else POINT_STATUSES[3]


def funnel_chart(funnel: FunnelChart, width: int = 520, height: int = 300) -> Chart:
    """Points (precision × value), the target, 95 % (dashed) and 99,8 % (solid) limits; when
    over-dispersion-adjusted limits are given they are the ones drawn dark, and the plain
    limits stay as thin grey references."""
    lim = funnel.limits
    adjusted = all(f"{k}_adjusted" in lim for k in ("lower_95", "upper_95"))
    series = _limit_series(lim)
    precision = list(lim["precision"])
    values = [p.value for p in funnel.points]
    x_max = max([*precision, *(p.precision for p in funnel.points)])
    x_min = min(p.precision for p in funnel.points) if funnel.points else min(precision)
    # The y scale covers every point and the target; limits beyond it are clipped (they widen
    # without bound near zero precision).
    y_low = min([*values, funnel.target])
    y_high = max([*values, funnel.target])
    for key in ("lower_998_adjusted", "lower_998", "lower_95"):
        if key in lim:
            y_low = min(y_low, _limit_at(precision, lim[key], x_min))
            break
    for key in ("upper_998_adjusted", "upper_998", "upper_95"):
        if key in lim:
            y_high = max(y_high, min(_limit_at(precision, lim[key], x_min), y_high * 1.25))
            break
    pad = (y_high - y_low) * 0.05 or 0.1
    y_domain = [y_low - pad, y_high + pad]

    target_label = f"Cible ({fr.number(funnel.target, 2, trim=True)})"
    line_rows = [
        {"precision": x, "valeur": funnel.target, "serie": target_label, "borne": "cible"}
        for x in (0, x_max)
    ]
    for serie in series:
        for bound, key in (("basse", serie.lower), ("haute", serie.upper)):
            if key not in lim:
                continue
            for x, y in zip(precision, lim[key], strict=True):
                if y is not None and y == y:  # drop NaN
                    line_rows.append(
                        {"precision": x, "valeur": y, "serie": serie.label, "borne": bound}
                    )
    line_domain = [target_label, *(s.label for s in series)]
    line_colours = ["#000000", *(s.colour for s in series)]
    line_dashes = [[], *(s.dash for s in series)]
    line_widths = [1.5, *(s.width for s in series)]

    point_rows = [
        {
            "etablissement": p.label,
            "finess": p.entity,
            "precision": p.precision,
            "valeur": p.value,
            "statut": point_status(p.flag, p.value, funnel.target),
        }
        for p in funnel.points
    ]
    point_rows.sort(key=lambda row: POINT_STATUSES.index(row["statut"]) > 0)  # outliers on top
    present = [s for s in POINT_STATUSES if any(r["statut"] == s for r in point_rows)]
    shapes = {
        POINT_STATUSES[0]: "circle",
        POINT_STATUSES[1]: "triangle-up",
        POINT_STATUSES[2]: "triangle-up",
        POINT_STATUSES[3]: "triangle-down",
        POINT_STATUSES[4]: "triangle-down",
    }
    colours = {
        POINT_STATUSES[0]: _IN_CONTROL,
        POINT_STATUSES[1]: _OUTLIER_MILD,
        POINT_STATUSES[2]: _OUTLIER_STRONG,
        POINT_STATUSES[3]: _OUTLIER_MILD,
        POINT_STATUSES[4]: _OUTLIER_STRONG,
    }
    sizes = {
        s: (22 if i == 0 else 70 if i in (1, 3) else 110) for i, s in enumerate(POINT_STATUSES)
    }

    x = alt.X(
        "precision:Q",
        title=funnel.x_label,
        scale=alt.Scale(domain=[0, x_max], nice=False),
        axis=alt.Axis(grid=False),
    )
    y = alt.Y(
        "valeur:Q",
        title=funnel.y_label,
        scale=alt.Scale(domain=y_domain, nice=False, zero=False),
        axis=alt.Axis(grid=True),
    )
    # One legend for colour, dash and width: each entry shows the line as drawn.
    line_legend = alt.Legend(
        title="Repères", orient="bottom", direction="vertical", symbolType="stroke", symbolSize=500
    )
    lines = (
        alt.Chart(alt.Data(values=line_rows))
        .mark_line(clip=True, interpolate="monotone")
        .encode(
            x=x,
            y=y,
            detail="borne:N",
            stroke=alt.Stroke(
                "serie:N",
                scale=alt.Scale(domain=line_domain, range=line_colours),
                legend=line_legend,
            ),
            strokeDash=alt.StrokeDash(
                "serie:N",
                scale=alt.Scale(domain=line_domain, range=line_dashes),
                legend=line_legend,
            ),
            strokeWidth=alt.StrokeWidth(
                "serie:N",
                scale=alt.Scale(domain=line_domain, range=line_widths),
                legend=line_legend,
            ),
        )
    )
    status_legend = alt.Legend(title="Établissements", orient="bottom", direction="vertical")
    points = (
        alt.Chart(alt.Data(values=point_rows))
        .mark_point(filled=True, opacity=0.9, strokeWidth=0, clip=True)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "statut:N",
                scale=alt.Scale(domain=present, range=[shapes[s] for s in present]),
                legend=status_legend,
            ),
            fill=alt.Fill(
                "statut:N",
                scale=alt.Scale(domain=present, range=[colours[s] for s in present]),
                legend=status_legend,
            ),
            size=alt.Size(
                "statut:N",
                scale=alt.Scale(domain=present, range=[sizes[s] for s in present]),
                legend=status_legend,
            ),
            tooltip=[
                alt.Tooltip("etablissement:N", title="Établissement"),
                alt.Tooltip("finess:N", title="FINESS"),
                alt.Tooltip("precision:Q", title=funnel.x_label, format=",.1f"),
                alt.Tooltip("valeur:Q", title=funnel.y_label, format=",.2f"),
                alt.Tooltip("statut:N", title="Position"),
            ],
        )
    )
    chart = alt.layer(lines, points).properties(width=width, height=height)
    sentence = _funnel_sentence(funnel, adjusted)
    return Chart(
        key=slug(f"entonnoir-{funnel.indicator}"),
        spec=_finish(chart, sentence),
        title=funnel.title,
        description=sentence,
    )


class _Limits(NamedTuple):
    label: str
    lower: str  # keys in FunnelChart.limits
    upper: str
    colour: str
    dash: list[int]
    width: float


def _limit_series(lim: dict) -> list[_Limits]:
    """The limit pairs to draw: adjusted limits dark when present (the plain ones then stay as
    light references), else the plain limits dark. 95 % dashed, 99,8 % solid."""
    if not all(f"{k}_adjusted" in lim for k in ("lower_95", "upper_95")):
        series = [_Limits("Limites à 95 %", "lower_95", "upper_95", _LIMIT, [6, 4], 1.5)]
        if "upper_998" in lim:
            series.append(_Limits("Limites à 99,8 %", "lower_998", "upper_998", _LIMIT, [], 1.5))
        return series
    plain = " sans surdispersion"
    series = [_Limits(f"Limites à 95 %{plain}", "lower_95", "upper_95", _PLAIN_LIMIT, [2, 2], 1)]
    if "upper_998" in lim:
        series.append(
            _Limits(f"Limites à 99,8 %{plain}", "lower_998", "upper_998", _PLAIN_LIMIT, [], 1)
        )
    adjusted = "Limites à {} % ajustées"
    series.append(
        _Limits(
            adjusted.format("95"), "lower_95_adjusted", "upper_95_adjusted", _LIMIT, [6, 4], 1.5
        )
    )
    if "upper_998_adjusted" in lim:
        series.append(
            _Limits(
                adjusted.format("99,8"), "lower_998_adjusted", "upper_998_adjusted", _LIMIT, [], 1.5
            )
        )
    return series


def _limit_at(precision: Sequence[float], limit: Sequence[float], x: float) -> float:
    """The limit at the grid point closest to `x` from above (limits narrow as x grows)."""
    for p, value in zip(precision, limit, strict=True):
        if p >= x:
            return value
    return limit[-1]


def _funnel_sentence(funnel: FunnelChart, adjusted: bool) -> str:
    n = len(funnel.points)
    limits = "ajustées de la surdispersion" if adjusted else "de contrôle"
    return (
        f"Graphique en entonnoir de {fr.counted(n, 'établissement')} ({funnel.y_label.lower()} "
        f"selon {funnel.x_label.lower()}), autour de la cible "
        f"{fr.number(funnel.target, 2, trim=True)} : {fr.integer(funnel.outliers_high)} "
        f"au-dessus et {fr.integer(funnel.outliers_low)} en dessous des limites {limits} "
        "à 99,8 %."
    )

"""Chart specifications (Vega-Lite, built with Altair) and their offline SVG rendering.

Building a spec and rendering it are separate: `distribution_chart`, `funnel_chart` and
`change_chart` return a `Chart` — a plain, JSON-serialisable Vega-Lite dict plus a French title
and a one-sentence description (the text alternative) — that the web portal can hand to
vega-embed (with `EMBED_OPTIONS`), while `render_svg` turns it into accessible inline SVG for the
HTML and PDF reports. Rendering uses vl-convert (embedded Deno/V8, no browser) with external
data loading disabled: nothing is fetched, and text is drawn with the system DejaVu fonts.

Colour rules (PRODUCT.md: neutral colours where no direction is known, no red/green only):
- ordered categories (`Distribution.ordered`) are listed best → worst and take a diverging
  blue → orange palette that colour-blind readers can tell apart, with a warm grey in the middle;
- status categories that are not a level (DI, NR, NV, NC) are grey and never take a palette
  colour;
- unordered categories take muted, direction-free colours;
- funnel plots carry no direction (a high ratio may be good or bad): outliers are one neutral
  purple, in two shades (95 % / 99,8 %), and shaped ▲ / ▼ so colour is never the only cue.
Groups are kept in the order given (never sorted by result: no league table).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, NamedTuple

import altair as alt

from hospiscope.reports import format as fr
from hospiscope.reports.model import Distribution, Figure, FunnelChart

FONT = "DejaVu Sans"
INK = "#1a1a1a"

# d3-format locale: decimal comma, narrow no-break spaces (as in the report's text).
FORMAT_LOCALE: dict[str, Any] = {
    "decimal": ",",
    "thousands": fr.NNBSP,
    "grouping": [3],
    "currency": ["", f"{fr.NBSP}€"],
    "percent": f"{fr.NNBSP}%",
    "minus": fr.MINUS,
}
# Options for vega-embed in the web portal, so the browser draws what the PDF shows.
EMBED_OPTIONS: dict[str, Any] = {"formatLocale": FORMAT_LOCALE, "actions": False, "renderer": "svg"}

CONFIG: dict[str, Any] = {
    "font": FONT,
    "view": {"stroke": None},
    "background": "white",
    "axis": {
        "labelFontSize": 11,
        "titleFontSize": 11,
        "labelColor": INK,
        "titleColor": INK,
        "titleFontWeight": "normal",
        "gridColor": "#e6e6e6",
        "domainColor": "#8c8c8c",
        "tickColor": "#8c8c8c",
    },
    "legend": {
        "labelFontSize": 11,
        "titleFontSize": 11,
        "labelColor": INK,
        "titleColor": INK,
        "titleFontWeight": "normal",
        "labelLimit": 320,
    },
    "title": {"fontSize": 12, "fontWeight": "bold", "color": INK, "anchor": "start"},
    "header": {"labelFontSize": 11, "titleFontSize": 11},
}

# Best → worst. Hand-picked from the blue–orange diverging scheme (ColorBrewer/Vega
# "blueorange"), legible for deuteranopia and protanopia; the middle is a warm grey.
_ORDERED: dict[int, tuple[str, ...]] = {
    1: ("#2c6fae",),
    2: ("#2c6fae", "#b65a09"),
    3: ("#2c6fae", "#c9c3b8", "#b65a09"),
    4: ("#1f5c99", "#8bbbe0", "#f5b26b", "#b65a09"),
    5: ("#1f5c99", "#8bbbe0", "#d6d0c4", "#f5b26b", "#b65a09"),
    6: ("#163f6b", "#2f78b3", "#9dcae1", "#fbbf74", "#d97a1c", "#8a3f0b"),
    7: ("#163f6b", "#2f78b3", "#9dcae1", "#d6d0c4", "#fbbf74", "#d97a1c", "#8a3f0b"),
}
_NEUTRAL = ("#5f6b7a", "#b3a68f", "#8fa3b3", "#7a6f8f", "#c9bfb0", "#5f7a6b", "#a89cb3")
_STATUS_GREYS = ("#8c8c8c", "#b8b8b8", "#d9d9d9", "#6e6e6e")
# Statuses that are not a level of the scale: shown grey, after the levels.
STATUS_CODES = frozenset({"DI", "NR", "NV", "NC", "NA", "non_concerne", "non_valide"})

_OUTLIER_STRONG = "#3f007d"  # beyond the 99,8 % limits
_OUTLIER_MILD = "#9e9ac8"  # beyond the 95 % limits only
_IN_CONTROL = "#a3abb5"
_LIMIT = "#262626"
_PLAIN_LIMIT = "#a6a6a6"  # limits without over-dispersion, kept as a light reference


@dataclass(frozen=True)
class Chart:
    """A Vega-Lite spec with its French text alternative."""

    key: str  # stable identifier, usable as an HTML id
    spec: dict[str, Any]
    title: str
    description: str  # one French sentence: what the chart shows


def palette(codes: Sequence[str], ordered: bool) -> list[str]:
    """Colours for categories in display order (best → worst when `ordered`)."""
    levels = [code for code in codes if code not in STATUS_CODES]
    if ordered:
        if len(levels) in _ORDERED:
            level_colours = list(_ORDERED[len(levels)])
        else:
            level_colours = _interpolate(_ORDERED[7], len(levels))
    else:
        level_colours = [_NEUTRAL[i % len(_NEUTRAL)] for i in range(len(levels))]
    colours, next_level, next_status = [], iter(level_colours), 0
    for code in codes:
        if code in STATUS_CODES:
            colours.append(_STATUS_GREYS[next_status % len(_STATUS_GREYS)])
            next_status += 1
        else:
            colours.append(next(next_level))
    return colours


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (WCAG luminance)."""
    luminance = _luminance(background)
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return "#ffffff" if on_white > on_black else INK


def slug(text: str) -> str:
    """An ASCII identifier: "Par région" → "par-region"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "graphique"


# --- distributions -------------------------------------------------------------------------


def distribution_chart(distribution: Distribution, width: int = 430) -> Chart:
    """Stacked 100 % horizontal bars: France (or the scope) first, then one bar per group."""
    cats = distribution.categories
    labels = [c.label for c in cats]
    colours = palette([c.code for c in cats], distribution.ordered)
    national_label = f"Ensemble (n{fr.NBSP}={fr.NBSP}{fr.integer(distribution.total)})"
    national = _stack_rows(national_label, [c.count for c in cats], cats, colours)
    group_rows = []
    group_labels = []
    for group, counts in distribution.by_group.items():
        total = sum(counts)
        label = f"{group} (n{fr.NBSP}={fr.NBSP}{fr.integer(total)})"
        group_labels.append(label)
        group_rows += _stack_rows(label, counts, cats, colours)

    colour = alt.Color(
        "categorie:N",
        scale=alt.Scale(domain=labels, range=colours),
        legend=alt.Legend(
            title=None,
            orient="bottom",
            direction="horizontal",
            columns=_legend_columns(labels),
            symbolType="square",
        ),
    )

    def bars(rows: list[dict], order: list[str], title: str | None) -> alt.LayerChart:
        base = alt.Chart(alt.Data(values=rows))
        y = alt.Y(
            "groupe:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelLimit=230, labelFontSize=11, ticks=False, domain=False),
        )
        bar = base.mark_bar(stroke="white", strokeWidth=1, height={"band": 0.8}).encode(
            x=alt.X(
                "debut:Q",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", tickCount=5, title=None, grid=True),
            ),
            x2="fin:Q",
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("groupe:N", title="Groupe"),
                alt.Tooltip("categorie:N", title="Catégorie"),
                alt.Tooltip("effectif:Q", title="Établissements", format=","),
                alt.Tooltip("part:Q", title="Part", format=".1%"),
            ],
        )
        text = (
            base.transform_filter("datum.part >= 0.07")
            .mark_text(fontSize=10)
            .encode(
                x="milieu:Q",
                y=y,
                text="etiquette:N",
                color=alt.Color("couleur_texte:N", scale=None, legend=None),
            )
        )
        layer = alt.layer(bar, text).properties(width=width, height=alt.Step(20))
        if title:
            layer = layer.properties(title=alt.Title(title, fontSize=11, fontWeight="normal"))
        return layer

    parts = [bars(national, [national_label], None)]
    if group_rows:
        parts.append(bars(group_rows, group_labels, distribution.group_title))
    chart = alt.vconcat(*parts, spacing=12).resolve_scale(color="shared")
    title = distribution.title
    if distribution.group_title:
        title = f"{title} — {distribution.group_title.lower()}"
    return Chart(
        key=slug(f"repartition-{distribution.indicator}-{distribution.group_title or ''}"),
        spec=_finish(chart, _distribution_sentence(distribution)),
        title=title,
        description=_distribution_sentence(distribution),
    )


def _legend_columns(labels: Sequence[str], room: int = 80) -> int:
    """One line when the labels fit on about `room` characters, else one column: an ordered
    scale then still reads in order (best → worst)."""
    return len(labels) if sum(len(label) + 4 for label in labels) <= room else 1


def _stack_rows(group: str, counts: Sequence[int], cats, colours: Sequence[str]) -> list[dict]:
    total = sum(counts)
    rows, start = [], 0.0
    for cat, count, colour in zip(cats, counts, colours, strict=True):
        part = count / total if total else 0.0
        rows.append(
            {
                "groupe": group,
                "categorie": cat.label,
                "effectif": count,
                "part": part,
                "debut": start,
                "fin": start + part,
                "milieu": start + part / 2,
                "etiquette": fr.share(part),
                "couleur_texte": text_colour(colour),  # legible on the segment
            }
        )
        start += part
    return rows


def _distribution_sentence(distribution: Distribution) -> str:
    parts = [
        f"{c.label} : {fr.share(c.share, 1)} ({fr.integer(c.count)})"
        for c in distribution.categories
    ]
    sentence = f"Répartition des {fr.integer(distribution.total)} établissements : " + " ; ".join(
        parts
    )
    if distribution.by_group:
        sentence += (
            f", puis la même répartition pour chacun des {len(distribution.by_group)} groupes"
            " (détail dans le tableau qui suit)"
        )
    return sentence + "."


# --- funnel plots --------------------------------------------------------------------------

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
        f"Graphique en entonnoir de {fr.integer(n)} établissements ({funnel.y_label.lower()} "
        f"selon {funnel.x_label.lower()}), autour de la cible "
        f"{fr.number(funnel.target, 2, trim=True)} : {fr.integer(funnel.outliers_high)} "
        f"au-dessus et {fr.integer(funnel.outliers_low)} en dessous des limites {limits} "
        "à 99,8 %."
    )


# --- change since the previous campaign ----------------------------------------------------


def change_chart(
    figures: Sequence[Figure], campaign: int, previous_campaign: int | None, width: int = 300
) -> Chart | None:
    """A dot plot, previous campaign → this campaign, for the figures that share the most
    common point unit (% or /100) and have a comparable previous value (same method).
    None when fewer than two figures qualify."""
    if previous_campaign is None:
        return None
    usable = [
        f
        for f in figures
        if f.value is not None
        and f.previous_value is not None
        and not f.method_changed
        and f.unit in fr.POINT_UNITS
    ]
    if not usable:
        return None
    units = [f.unit for f in usable]
    unit = max(sorted(set(units)), key=units.count)
    usable = [f for f in usable if f.unit == unit]
    if len(usable) < 2:
        return None
    now, before = str(campaign), str(previous_campaign)
    rows, order = [], []
    for f in usable:
        order.append(f.label)
        change = f.change_points if f.change_points is not None else f.value - f.previous_value
        rows.append({"indicateur": f.label, "campagne": before, "valeur": f.previous_value})
        rows.append(
            {
                "indicateur": f.label,
                "campagne": now,
                "valeur": f.value,
                "etiquette": f"{fr.with_unit(f.value, unit)} ({fr.change(change, unit)})",
            }
        )
    low = min(r["valeur"] for r in rows)
    high = max(r["valeur"] for r in rows)
    pad = max((high - low) * 0.15, 1.0)
    domain = [max(0.0, low - pad), min(100.0, high + pad) if unit in fr.POINT_UNITS else high]
    y = alt.Y("indicateur:N", sort=order, title=None, axis=alt.Axis(labelLimit=240, ticks=False))
    x = alt.X(
        "valeur:Q",
        title=f"Valeur ({unit})",
        scale=alt.Scale(domain=domain, zero=False, nice=False),
    )
    base = alt.Chart(alt.Data(values=rows))
    segment = base.mark_line(color="#8c8c8c", strokeWidth=2).encode(x=x, y=y, detail="indicateur:N")
    legend = alt.Legend(title=None, orient="bottom", direction="horizontal")
    dots = base.mark_point(size=80, filled=True, opacity=1).encode(
        x=x,
        y=y,
        color=alt.Color(
            "campagne:N",
            scale=alt.Scale(domain=[before, now], range=["#9a9a9a", "#3d4a5c"]),
            legend=legend,
        ),
        shape=alt.Shape(
            "campagne:N",
            scale=alt.Scale(domain=[before, now], range=["circle", "diamond"]),
            legend=legend,
        ),
    )
    labels = (
        base.transform_filter(alt.datum.campagne == now)
        .mark_text(align="left", dx=10, fontSize=10, color=INK)
        .encode(
            x=alt.X("max_valeur:Q", scale=alt.Scale(domain=domain), title=None),
            y=y,
            text="etiquette:N",
        )
        .transform_joinaggregate(max_valeur="max(valeur)", groupby=["indicateur"])
    )
    chart = alt.layer(segment, dots, labels).properties(width=width, height=alt.Step(26))
    parts = [
        f"{f.label} : {fr.with_unit(f.previous_value, unit)} en {before}, "
        f"{fr.with_unit(f.value, unit)} en {now}"
        for f in usable
    ]
    sentence = f"Évolution entre {before} et {now} : " + " ; ".join(parts) + "."
    return Chart(
        key=slug(f"evolution-{'-'.join(f.indicator for f in usable)}"),
        spec=_finish(chart, sentence),
        title=f"Évolution depuis la campagne {before}",
        description=sentence,
    )


# --- common --------------------------------------------------------------------------------


def _finish(chart: alt.TopLevelMixin, description: str) -> dict[str, Any]:
    # Schema validation costs about as much as rendering (0.4 s for 300 funnel points): the
    # tests validate every spec against the Vega-Lite schema instead.
    spec = chart.properties(description=description).to_dict(validate=False)
    spec["config"] = {**CONFIG, **spec.get("config", {})}
    return spec


def render_svg(chart: Chart, id_prefix: str = "", *, inline: bool = True) -> str:
    """The chart as SVG, offline, with `role="img"`, a `<title>` and a `<desc>` (the text
    alternative). `inline=True` drops the XML namespace declarations, which HTML does not need
    (and which would otherwise look like external references)."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart.spec, format_locale=FORMAT_LOCALE, allowed_base_urls=[])
    ident = f"{id_prefix}{chart.key}"
    head, rest = svg.split(">", 1)
    if inline:
        head = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", head)
    head = head.replace(' class="marks"', ' class="graphique"')
    head += (
        f' role="img" aria-labelledby="{ident}-titre {ident}-desc" id="{ident}" focusable="false"'
    )
    accessible = (
        f'<title id="{ident}-titre">{escape(chart.title)}</title>'
        f'<desc id="{ident}-desc">{escape(chart.description)}</desc>'
    )
    return f"{head}>{accessible}{rest}"


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _interpolate(stops: Sequence[str], n: int) -> list[str]:
    if n <= 1:
        return [stops[0]][:n]
    rgb = [[int(s[i : i + 2], 16) for i in (1, 3, 5)] for s in stops]
    out = []
    for k in range(n):
        pos = k * (len(rgb) - 1) / (n - 1)
        i = min(int(pos), len(rgb) - 2)
        t = pos - i
        mixed = [round(a + (b - a) * t) for a, b in zip(rgb[i], rgb[i + 1], strict=True)]
        out.append("#" + "".join(f"{c:02x}" for c in mixed))
    return out

"""Shared parts of the charts: fonts, colours, the Chart object, SVG rendering."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape, unescape
from typing import Any

import altair as alt

from hospiscope.reports import format as fr

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


def palette(codes: Sequence[str], ordered: bool, worst_first: bool = False) -> list[str]:
    """Colours for categories in display order: when `ordered`, levels are listed best → worst,
    or worst → best with `worst_first`, and the worst level always takes the worst colour."""
    levels = [code for code in codes if code not in STATUS_CODES]
    if ordered:
        if len(levels) in _ORDERED:
            level_colours = list(_ORDERED[len(levels)])
        else:
            level_colours = _interpolate(_ORDERED[7], len(levels))
        if worst_first:
            level_colours.reverse()
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


# Long labels are wrapped, never truncated: two rows must never read the same. The wrapped
# label keeps its line breaks in the data (so it stays distinct); axes and legends draw each
# line with this label expression.
LINE_BREAK = "\n"
MULTILINE = "split(datum.label, '\\n')"


def wrap(text: str, width: int) -> str:
    """`text` on lines of at most `width` characters (words kept whole; no-break spaces, as
    in « guillemets » or "n = 12", never broken), joined by LINE_BREAK."""
    return LINE_BREAK.join(
        textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]
    )


def line_count(labels: Sequence[str]) -> int:
    """The number of lines of the longest wrapped label (at least 1)."""
    return max((label.count(LINE_BREAK) + 1 for label in labels), default=1)


def rendered_texts(svg: str) -> list[str]:
    """Every text drawn in an SVG, its lines joined by a space (tests: what a reader sees)."""
    texts = []
    for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S):
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", inner, flags=re.S) or [inner]
        texts.append(" ".join(unescape(line) for line in lines))
    return texts


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

"""Charts of the indicator pages, drawn by hand as small inline SVG (a few ms, no JavaScript,
nothing fetched; vl-convert takes about 0,5 s a chart): bars of a distribution and a funnel
plot. Colours come from CSS classes (portal.css, section "Indicator pages"), which follow the
indicator's direction; every text is escaped. The SVG is hidden from assistive technologies:
the data table under each chart is its text alternative."""

from __future__ import annotations

import math
from html import escape

import numpy as np

from hospiscope.reports import format as fr
from hospiscope.web.funnel_model import INSIDE, Funnel
from hospiscope.web.indicator_parts import Category

BAR_WIDTH = 640
FUNNEL_WIDTH, FUNNEL_HEIGHT = 720, 400
MARGIN = {"left": 64, "right": 16, "top": 16, "bottom": 52}


def bars_svg(categories: list[Category]) -> str:
    """Horizontal bars, one per category (label above its bar, count and share beside it)."""
    row, label_width = 46, BAR_WIDTH - 150
    height = row * len(categories) + 8
    biggest = max((c.count for c in categories), default=0) or 1
    parts = [svg_open(BAR_WIDTH, height, "graphe barres")]
    for index, category in enumerate(categories):
        y = index * row + 4
        length = max(category.count / biggest * label_width, 1 if category.count else 0)
        share = ""
        if category.share is not None:
            share = f" ({fr.share(category.share, 1 if 0 < category.share < 0.01 else 0)})"
        parts += [
            f'<text x="0" y="{y + 14}" class="etiquette">{escape(_bar_label(category))}</text>',
            f'<rect x="0" y="{y + 20}" width="{length:.1f}" height="18" rx="2" '
            f'class="barre {category.css}"/>',
            f'<text x="{length + 6:.1f}" y="{y + 34}" class="valeur">'
            f"{escape(fr.integer(category.count))}{escape(share)}</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)


def _bar_label(category: Category) -> str:
    """A short label (a letter) says little on its own: its bounds go with it."""
    if category.bounds and len(category.label) <= 3:
        return f"{category.label} : {category.bounds}"
    return category.label


def funnel_svg(funnel: Funnel, key: str) -> str:
    """Points (size × value), the target, the 95 % (dashed) and 99,8 % (solid) limits; points
    outside the limits are triangles (▲ above, ▼ below) so that colour is not the only cue."""
    xs = [p.precision for p in funnel.points]
    ys = [p.value for p in funnel.points]
    x_low, x_high = min(xs + funnel.precision), max(xs + funnel.precision)
    logarithmic = x_low > 0 and x_high / x_low > 50
    # A margin on the right (and on the left of a logarithmic axis): no point on the edge.
    if logarithmic:
        x_scale = _Scale(x_low / 1.15, x_high * 1.15, True, _plot_width())
    else:
        x_scale = _Scale(0, x_high * 1.03, False, _plot_width())
    y_low, y_high = _y_domain(funnel, ys)
    y_scale = _Scale(y_low, y_high, False, _plot_height(), flipped=True)
    clip = f"clip-{key}"
    parts = [
        svg_open(FUNNEL_WIDTH, FUNNEL_HEIGHT, "graphe entonnoir"),
        f'<defs><clipPath id="{escape(clip)}"><rect x="0" y="0" width="{_plot_width()}" '
        f'height="{_plot_height()}"/></clipPath></defs>',
        f'<g transform="translate({MARGIN["left"]},{MARGIN["top"]})">',
        *_axes(funnel, x_scale, y_scale),
        f'<g clip-path="url(#{escape(clip)})">',
        *_limit_lines(funnel, x_scale, y_scale),
        *_points(funnel, x_scale, y_scale),
        "</g></g></svg>",
    ]
    return "".join(parts)


def svg_open(width: int, height: int, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="{css}" aria-hidden="true" focusable="false">'
    )


def _plot_width() -> int:
    return FUNNEL_WIDTH - MARGIN["left"] - MARGIN["right"]


def _plot_height() -> int:
    return FUNNEL_HEIGHT - MARGIN["top"] - MARGIN["bottom"]


class _Scale:
    def __init__(self, low, high, logarithmic, size, flipped=False):
        self.low, self.high = low, high if high > low else low + 1
        self.log, self.size, self.flipped = logarithmic, size, flipped

    def _t(self, value: float) -> float:
        return math.log10(value) if self.log else value

    def __call__(self, value: float) -> float:
        share = (self._t(value) - self._t(self.low)) / (self._t(self.high) - self._t(self.low))
        return (1 - share if self.flipped else share) * self.size

    def many(self, values: list[float]) -> list[float]:
        """`self(v)` for every value, at once."""
        array = np.asarray(values, dtype=float)
        if self.log:
            array = np.log10(array)
        low, high = self._t(self.low), self._t(self.high)
        share = (array - low) / (high - low)
        return ((1 - share if self.flipped else share) * self.size).tolist()

    def ticks(self) -> list[float]:
        if self.log:
            found = []
            for power in range(
                math.floor(math.log10(self.low)), math.ceil(math.log10(self.high)) + 1
            ):
                for step in (1, 2, 5):
                    value = step * 10**power
                    if self.low <= value <= self.high:
                        found.append(value)
            return found
        return nice_ticks(self.low, self.high)


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def _y_domain(funnel: Funnel, ys: list[float]) -> tuple[float, float]:
    """Every point, the target and the limits where they are narrowest (at the largest size);
    elsewhere the limits are clipped (they widen without bound)."""
    narrowest = [
        values[-1] for values in funnel.limits.values() if values and values[-1] is not None
    ]
    low, high = min([*ys, *narrowest, funnel.target]), max([*ys, *narrowest, funnel.target])
    pad = (high - low) * 0.06 or abs(high) * 0.1 or 1
    return low - pad, high + pad  # a margin even at 0 and 100 %: no point is cut in half


def _axes(funnel: Funnel, x, y) -> list[str]:
    width, height = _plot_width(), _plot_height()
    parts = [f'<rect x="0" y="0" width="{width}" height="{height}" class="fond"/>']
    floor, ceiling = (0, 100) if funnel.kind == "proportion" else (0, math.inf)
    for tick in (t for t in y.ticks() if floor <= t <= ceiling):
        top = y(tick)
        parts.append(f'<line x1="0" x2="{width}" y1="{top:.1f}" y2="{top:.1f}" class="grille"/>')
        parts.append(
            f'<text x="-6" y="{top + 4:.1f}" class="graduation fin">'
            f"{escape(fr.number(tick, tick_decimals(tick), trim=True))}</text>"
        )
    for tick in x.ticks():
        left = x(tick)
        parts.append(
            f'<line x1="{left:.1f}" x2="{left:.1f}" y1="{height}" y2="{height + 5}" class="axe"/>'
        )
        parts.append(
            f'<text x="{left:.1f}" y="{height + 18}" class="graduation milieu">'
            f"{escape(fr.number(tick, tick_decimals(tick), trim=True))}</text>"
        )
    scale_note = " (échelle logarithmique)" if x.log else ""
    parts += [
        f'<line x1="0" x2="{width}" y1="{height}" y2="{height}" class="axe"/>',
        f'<text x="{width / 2:.0f}" y="{height + 40}" class="titre-axe milieu">'
        f"{escape(funnel.x_label + scale_note)}</text>",
        f'<text transform="translate(-48,{height / 2:.0f}) rotate(-90)" class="titre-axe milieu">'
        f"{escape(funnel.y_label)}</text>",
    ]
    return parts


def tick_decimals(value: float) -> int:
    return 0 if float(value).is_integer() else (1 if abs(value) >= 1 else 2)


def _limit_lines(funnel: Funnel, x, y) -> list[str]:
    parts = []
    for name, css in (
        ("lower_95", "limite l95"),
        ("upper_95", "limite l95"),
        ("lower_998", "limite l998"),
        ("upper_998", "limite l998"),
    ):
        points = [
            (x(p), y(v))
            for p, v in zip(funnel.precision, funnel.limits[name], strict=True)
            if v is not None and p > 0
        ]
        if points:
            path = "M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in points)
            parts.append(f'<path d="{path}" class="{css}"/>')
    top = y(funnel.target)
    parts.append(f'<line x1="0" x2="{_plot_width()}" y1="{top:.1f}" y2="{top:.1f}" class="cible"/>')
    return parts


def _points(funnel: Funnel, x, y) -> list[str]:
    """In-control points as one path of round dots; outliers as triangles, one path per
    position (a few bytes a point: thousands of establishments stay light)."""
    css = {p.position: p.css for p in funnel.positions}
    lefts = x.many([max(p.precision, x.low) for p in funnel.points])
    tops = y.many([p.value for p in funnel.points])
    groups: dict[str, list[str]] = {}
    for point, left, top in zip(funnel.points, lefts, tops, strict=True):
        if point.position == INSIDE:
            shape = f"M{left:.1f},{top:.1f}h0"
        elif "au-dessus" in point.position:
            shape = f"M{left:.1f},{top - 4:.1f}l4,7h-8z"
        else:
            shape = f"M{left:.1f},{top + 4:.1f}l4,-7h-8z"
        groups.setdefault(point.position, []).append(shape)
    parts = []
    for position, paths in groups.items():
        kind = "points" if position == INSIDE else "hors"
        parts.append(f'<path d="{"".join(paths)}" class="{kind} {css.get(position, "neutre")}"/>')
    return parts

"""The histogram of the establishments' values (web/indicator_spread.py), drawn like the other
charts (web/charts.py): inline SVG styled by CSS classes, hidden from assistive technologies
(the tables beside it are its text alternative). One neutral colour: a spread of values is not
a judgement; the national value is a labelled vertical line."""

from __future__ import annotations

from html import escape

from hospiscope.reports import format as fr
from hospiscope.web.charts import nice_ticks, svg_open, tick_decimals
from hospiscope.web.indicator_spread import Spread

WIDTH, HEIGHT = 720, 320
MARGIN = {"left": 56, "right": 20, "top": 30, "bottom": 52}
PLOT_WIDTH = WIDTH - MARGIN["left"] - MARGIN["right"]
PLOT_HEIGHT = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
LABELLED_EDGES = 11  # more edges than this: every other one is labelled


def histogram_svg(spread: Spread, unit: str) -> str | None:
    """Columns of the bins, the national value as a line; None when every value is the same
    (one bin: the table says it better)."""
    if spread.step is None:
        return None
    low, high = spread.bins[0].lower, spread.bins[-1].upper
    tallest = max(b.count for b in spread.bins)

    def x(value: float) -> float:
        return (value - low) / (high - low) * PLOT_WIDTH

    def y(count: float) -> float:
        return PLOT_HEIGHT - count / (tallest * 1.05) * PLOT_HEIGHT

    parts = [
        svg_open(WIDTH, HEIGHT, "graphe histogramme"),
        f'<g transform="translate({MARGIN["left"]},{MARGIN["top"]})">',
        f'<rect x="0" y="0" width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}" class="fond"/>',
        *_count_axis(tallest, y),
        *_columns(spread, x, y),
        *_value_axis(spread, unit, x),
        *_national(spread, unit, x),
        "</g></svg>",
    ]
    return "".join(parts)


def _count_axis(tallest: int, y) -> list[str]:
    parts = []
    for tick in (t for t in nice_ticks(0, tallest, 5) if float(t).is_integer()):
        top = y(tick)
        parts.append(
            f'<line x1="0" x2="{PLOT_WIDTH}" y1="{top:.1f}" y2="{top:.1f}" class="grille"/>'
        )
        parts.append(
            f'<text x="-6" y="{top + 4:.1f}" class="graduation fin">'
            f"{escape(fr.integer(tick))}</text>"
        )
    parts.append(
        f'<text transform="translate(-42,{PLOT_HEIGHT / 2:.0f}) rotate(-90)" '
        'class="titre-axe milieu">Établissements</text>'
    )
    return parts


def _columns(spread: Spread, x, y) -> list[str]:
    """One column a bin, a pixel of gap on each side (an empty bin draws nothing)."""
    parts = []
    for b in spread.bins:
        if not b.count:
            continue
        left, right, top = x(b.lower), x(b.upper), y(b.count)
        parts.append(
            f'<rect x="{left + 1:.1f}" y="{top:.1f}" width="{max(right - left - 2, 1):.1f}" '
            f'height="{PLOT_HEIGHT - top:.1f}" class="colonne"/>'
        )
    return parts


def _value_axis(spread: Spread, unit: str, x) -> list[str]:
    edges = [spread.bins[0].lower, *(b.upper for b in spread.bins)]
    every = 1 if len(edges) <= LABELLED_EDGES else 2
    parts = [f'<line x1="0" x2="{PLOT_WIDTH}" y1="{PLOT_HEIGHT}" y2="{PLOT_HEIGHT}" class="axe"/>']
    for index, edge in enumerate(edges):
        left = x(edge)
        parts.append(
            f'<line x1="{left:.1f}" x2="{left:.1f}" y1="{PLOT_HEIGHT}" y2="{PLOT_HEIGHT + 5}" '
            'class="axe"/>'
        )
        if index % every == 0:
            parts.append(
                f'<text x="{left:.1f}" y="{PLOT_HEIGHT + 18}" class="graduation milieu">'
                f"{escape(fr.number(edge, tick_decimals(edge), trim=True))}</text>"
            )
    title = "Valeur de l'établissement" + (f" ({unit})" if unit else "")
    parts.append(
        f'<text x="{PLOT_WIDTH / 2:.0f}" y="{PLOT_HEIGHT + 40}" class="titre-axe milieu">'
        f"{escape(title)}</text>"
    )
    return parts


def _national(spread: Spread, unit: str, x) -> list[str]:
    """The national value's line, its label above the plot (kept inside the drawing near
    either edge)."""
    if spread.national is None:
        return []
    left = x(spread.national)
    anchor = "milieu"
    if left < PLOT_WIDTH * 0.15:
        anchor = "debut"
    elif left > PLOT_WIDTH * 0.85:
        anchor = "fin"
    label = f"Valeur nationale : {fr.with_unit(spread.national, unit)}"
    return [
        f'<line x1="{left:.1f}" x2="{left:.1f}" y1="-6" y2="{PLOT_HEIGHT}" class="repere"/>',
        f'<text x="{left:.1f}" y="-12" class="repere-texte {anchor}">{escape(label)}</text>',
    ]

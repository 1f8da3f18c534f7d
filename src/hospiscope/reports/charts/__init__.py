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

from hospiscope.reports.charts._common import (
    _NEUTRAL,
    _ORDERED,
    _STATUS_GREYS,
    CONFIG,
    EMBED_OPTIONS,
    FONT,
    FORMAT_LOCALE,
    INK,
    STATUS_CODES,
    Chart,
    _luminance,
    palette,
    render_svg,
    slug,
    text_colour,
)
from hospiscope.reports.charts.change import change_chart
from hospiscope.reports.charts.distribution import distribution_chart
from hospiscope.reports.charts.funnel import POINT_STATUSES, funnel_chart, point_status

__all__ = [
    "CONFIG",
    "EMBED_OPTIONS",
    "FONT",
    "FORMAT_LOCALE",
    "INK",
    "POINT_STATUSES",
    "STATUS_CODES",
    "_NEUTRAL",
    "_ORDERED",
    "_STATUS_GREYS",
    "Chart",
    "_luminance",
    "change_chart",
    "distribution_chart",
    "funnel_chart",
    "palette",
    "point_status",
    "render_svg",
    "slug",
    "text_colour",
]

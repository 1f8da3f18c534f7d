"""Render a `Bilan` to self-contained HTML (inline CSS and SVG, no external resource) and to
PDF with WeasyPrint.

    html = render_html(bilan)
    html_path, pdf_path = write_bilan(bilan, Path("sortie"))

The HTML is the single source: the PDF is WeasyPrint's print rendering of the same document
(CSS paged media: A4, running header, page numbers, table headers repeated across pages).
Nothing is ever fetched: the document references no URL, and the PDF renderer is given a URL
fetcher that refuses every request.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from hospiscope import __version__
from hospiscope.reports import charts
from hospiscope.reports import format as fr
from hospiscope.reports.model import Bilan, Distribution, Figure, FunnelChart
from hospiscope.stats.differences import METHOD as CHANGE_METHOD

PUBLISHED_METHOD = "résultat publié (HAS)"
NATIONAL_SCOPE = "France entière"
# An already formatted number ("1 234", "89,2 %", "−3 pts"): right-aligned in tables.
_NUMERIC = re.compile(r"^[+\u2212-]?\d[\d\u202f\u00a0 ]*(,\d+)?(\s?(%|pts?|/100))?$")


class ExternalResourceRefused(Exception):
    """The document asked for a resource: the bilan must be self-contained."""


def render_html(bilan: Bilan) -> str:
    """The bilan as one self-contained French HTML document."""
    template = _environment().get_template("bilan.html")
    css = (_TEMPLATES / "bilan.css").read_text("utf-8")
    return template.render(bilan=bilan, view=_view(bilan), css=Markup(css))


def write_bilan(bilan: Bilan, out_dir: Path) -> tuple[Path, Path]:
    """Write `bilan.html` and `bilan.pdf` in `out_dir` (created if needed)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = render_html(bilan)
    html_path = out_dir / "bilan.html"
    html_path.write_text(html, "utf-8")
    pdf_path = out_dir / "bilan.pdf"
    pdf_path.write_bytes(html_to_pdf(html, base_url=out_dir))
    return html_path, pdf_path


def html_to_pdf(html: str, base_url: Path) -> bytes:
    """A tagged A4 PDF (structure for screen readers) of a self-contained HTML document."""
    with warnings.catch_warnings():
        # Without libharfbuzz-subset0 (not in the base image) WeasyPrint subsets fonts with
        # fontTools, which works; its notice about future versions is not for the caller.
        warnings.filterwarnings("ignore", "HarfBuzz-Subset will be required", DeprecationWarning)
        import weasyprint
        import weasyprint.urls

    document = weasyprint.HTML(
        string=html,
        base_url=Path(base_url).resolve().as_uri() + "/",
        url_fetcher=_refusing_fetcher(),
    )
    try:
        return document.write_pdf(pdf_tags=True, custom_metadata=True)
    except weasyprint.urls.FatalURLFetchingError as error:  # a BaseException: made ordinary
        raise ExternalResourceRefused(str(error.__cause__ or error)) from error


def _refusing_fetcher():
    """A WeasyPrint URL fetcher that stops the rendering on any request."""
    import weasyprint.urls

    class RefusingFetcher(weasyprint.urls.URLFetcher):
        def fetch(self, url, headers=None):
            raise ExternalResourceRefused(f"ressource externe refusée dans le bilan : {url}")

    return RefusingFetcher(fail_on_errors=True)


# --- view model ---------------------------------------------------------------------------

_TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        number=fr.number,
        integer=fr.integer,
        share=fr.share,
        percent=fr.percent,
        date_fr=fr.date,
        datetime_fr=fr.datetime,
        guillemets=fr.guillemets,
        plural=fr.plural,
        counted=fr.counted,
    )
    env.tests["numeric"] = lambda text: bool(_NUMERIC.match(str(text).strip()))
    return env


@dataclass(frozen=True)
class _FigureRow:
    figure: Figure
    value: str
    ci: str
    ci_method: str | None
    numerator: str
    denominator: str
    previous: str
    change: str
    arrow: str  # decorative: ↑ ↓ →
    direction: str  # "hausse" / "baisse" / "stable" / ""
    change_ci: str  # "[0,9 ; 2,1]" or "" when the change has no interval
    significance: str  # "significative" / "non significative" / ""
    method: str  # "v1.0", or "résultat publié (HAS)"
    national: str  # France entière beside a regional value ("" in a national bilan)


def _view(bilan: Bilan) -> dict[str, Any]:
    counter = Counter()

    def svg(chart: charts.Chart) -> Markup:
        counter[chart.key] += 1
        suffix = f"-{counter[chart.key]}" if counter[chart.key] > 1 else ""
        return Markup(charts.render_svg(chart, id_prefix=f"g{suffix}-"))

    sections = []
    for number, section in enumerate(bilan.sections, start=1):
        change = charts.change_chart(section.figures, bilan.campaign, bilan.previous_campaign)
        sections.append(
            {
                "id": f"section-{number}",
                "section": section,
                "figures": [_figure_row(f) for f in section.figures],
                "figure_notes": _assumption_notes(section.figures),
                "any_method_changed": any(f.method_changed for f in section.figures),
                "change_chart": change and {"chart": change, "svg": svg(change)},
                "distributions": [_distribution_view(d, svg) for d in section.distributions],
                "funnels": [_funnel_view(f, svg) for f in section.funnels],
            }
        )
    return {
        "version": __version__,
        "change_method": CHANGE_METHOD,
        "regional": bilan.scope != NATIONAL_SCOPE,
        "key_points": _key_points(bilan),
        "sections": sections,
    }


def _figure_row(f: Figure) -> _FigureRow:
    change = f.change_points
    if change is None and f.value is not None and f.previous_value is not None:
        change = f.value - f.previous_value
    arrow, direction, significance = "", "", ""
    tested = f.change_significant is not None
    if change is not None:
        rounded = round(change, 1)
        if tested and not f.change_significant:
            rounded, significance = 0, "non significative"
        elif tested:
            significance = "significative"
        arrow, direction = (
            ("↑", "hausse") if rounded > 0 else ("↓", "baisse") if rounded < 0 else ("→", "stable")
        )
    places = fr.decimals_for(f.value, f.unit)
    return _FigureRow(
        figure=f,
        value=fr.with_unit(f.value, f.unit),
        ci=fr.interval(f.ci_low, f.ci_high, fr.decimals_for(f.value, f.unit)),
        ci_method=f.ci_method,
        numerator=fr.integer(f.numerator),
        denominator=fr.integer(f.denominator),
        previous=fr.with_unit(f.previous_value, f.unit),
        change=fr.change(change, f.unit),
        arrow=arrow,
        direction=direction,
        change_ci=fr.interval(f.change_ci_low, f.change_ci_high, places) if tested else "",
        significance=significance,
        method=PUBLISHED_METHOD if f.origin == "publie" else f"v{f.method_version}",
        national=fr.with_unit(f.national_value, f.unit) if f.national_value is not None else "",
    )


def _distribution_view(d: Distribution, svg) -> dict[str, Any]:
    chart = charts.distribution_chart(d)
    rows = [("Ensemble", [c.count for c in d.categories], d.total)]
    if d.reference is not None:
        rows.append((d.reference_label, list(d.reference), sum(d.reference)))
    rows += [(group, list(counts), sum(counts)) for group, counts in d.by_group.items()]
    table = [
        {
            "group": group,
            "cells": [
                (fr.integer(n), fr.share(n / total, 1) if total else fr.MISSING) for n in counts
            ],
            "total": fr.integer(total),
            "national": index == 0 or (d.reference is not None and index == 1),
        }
        for index, (group, counts, total) in enumerate(rows)
    ]
    return {"distribution": d, "chart": chart, "svg": svg(chart), "rows": table}


def _funnel_view(f: FunnelChart, svg) -> dict[str, Any]:
    chart = charts.funnel_chart(f)
    statuses = Counter(charts.point_status(p.flag, p.value, f.target) for p in f.points)
    return {
        "funnel": f,
        "chart": chart,
        "svg": svg(chart),
        "adjusted": any(key.endswith("_adjusted") for key in f.limits),
        "statuses": [(status, statuses.get(status, 0)) for status in charts.POINT_STATUSES],
        "total": len(f.points),
    }


def _assumption_notes(figures) -> list[tuple[str, str]]:
    """Each assumption once, with the figures it concerns (many share the same model)."""
    labels: dict[str, list[str]] = {}
    for figure in figures:
        for assumption in figure.assumptions:
            labels.setdefault(assumption, []).append(figure.label)
    return [
        (", ".join(fr.guillemets(label) for label in names), assumption)
        for assumption, names in labels.items()
    ]


def _key_points(bilan: Bilan, per_section: int = 3) -> list[dict[str, Any]]:
    """The key points ("À retenir"), per section: its first figures, the national split of each
    distribution and the outliers of each funnel plot, in plain French."""
    groups = []
    for number, section in enumerate(bilan.sections, start=1):
        items = []
        for f in [f for f in section.figures if f.value is not None][:per_section]:
            row = _figure_row(f)
            text = f"{f.label} : {row.value}"
            if row.national:
                text += f" (France entière : {row.national})"
            if row.change != fr.MISSING and bilan.previous_campaign is not None:
                tested = f", évolution {row.significance}" if row.significance else ""
                text += f" ({row.change} par rapport à {bilan.previous_campaign}{tested})"
            items.append({"text": text, "method_changed": f.method_changed})
        seen = set()
        for d in section.distributions:
            if (d.indicator, d.title) in seen:
                continue  # the same national split, shown by another grouping
            seen.add((d.indicator, d.title))
            parts = ", ".join(f"{c.label} {_short_share(c.share)}" for c in d.categories)
            text = f"{d.title} : {parts} ({fr.counted(d.total, 'établissement')})"
            items.append({"text": text, "method_changed": False})
        for f in section.funnels:
            text = (
                f"{f.title} : {fr.counted(f.outliers_high, 'établissement')} au-dessus et "
                f"{fr.integer(f.outliers_low)} en dessous des limites à 99,8{fr.NNBSP}%, sur "
                f"{fr.integer(len(f.points))}"
            )
            items.append({"text": text, "method_changed": False})
        if items:
            groups.append({"id": f"section-{number}", "section": section, "points": items})
    return groups


def _short_share(value: float) -> str:
    """Whole percentages, except below 1 % where "0 %" would hide a non-zero share."""
    return fr.share(value, 1 if 0 < value < 0.01 else 0)

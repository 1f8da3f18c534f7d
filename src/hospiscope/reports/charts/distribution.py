"""Distribution of establishments by class, level or decision: stacked bars, national and
by group."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from hospiscope.reports import format as fr
from hospiscope.reports.charts._common import (
    LINE_BREAK,
    MULTILINE,
    Chart,
    _finish,
    line_count,
    palette,
    slug,
    text_colour,
    wrap,
)
from hospiscope.reports.model import Distribution

GROUP_WIDTH = 30  # characters per line of a group's label (about 200 px at 11 px)
LEGEND_WIDTH = 60  # characters per line of a legend entry


def distribution_chart(distribution: Distribution, width: int = 430) -> Chart:
    """Stacked 100 % horizontal bars: France (or the scope) first, then one bar per group."""
    cats = distribution.categories
    labels = [wrap(c.label, LEGEND_WIDTH) for c in cats]
    colours = palette([c.code for c in cats], distribution.ordered, distribution.worst_first)
    national_label = wrap(
        f"Ensemble (n{fr.NBSP}={fr.NBSP}{fr.integer(distribution.total)})", GROUP_WIDTH
    )
    national = _stack_rows(national_label, [c.count for c in cats], labels, colours)
    first_order = [national_label]
    if distribution.reference is not None:  # a region, then France entière beside it
        reference_label = wrap(
            f"{distribution.reference_label} (n{fr.NBSP}={fr.NBSP}"
            f"{fr.integer(sum(distribution.reference))})",
            GROUP_WIDTH,
        )
        national += _stack_rows(reference_label, distribution.reference, labels, colours)
        first_order.append(reference_label)
    group_rows = []
    group_labels = []
    for group, counts in distribution.by_group.items():
        total = sum(counts)
        label = wrap(f"{group} (n{fr.NBSP}={fr.NBSP}{fr.integer(total)})", GROUP_WIDTH)
        group_labels.append(label)
        group_rows += _stack_rows(label, counts, labels, colours)

    colour = alt.Color(
        "categorie:N",
        scale=alt.Scale(domain=labels, range=colours),
        legend=alt.Legend(
            title=None,
            orient="bottom",
            direction="horizontal",
            columns=_legend_columns(labels),
            symbolType="square",
            labelExpr=MULTILINE,
            labelLimit=0,
            rowPadding=4,
        ),
    )

    def bars(rows: list[dict], order: list[str], title: str | None) -> alt.LayerChart:
        base = alt.Chart(alt.Data(values=rows))
        y = alt.Y(
            "groupe:N",
            sort=order,
            title=None,
            axis=alt.Axis(
                labelExpr=MULTILINE, labelLimit=0, labelFontSize=11, ticks=False, domain=False
            ),
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
        step = max(20, 13 * line_count(order) + 6)
        layer = alt.layer(bar, text).properties(width=width, height=alt.Step(step))
        if title:
            layer = layer.properties(title=alt.Title(title, fontSize=11, fontWeight="normal"))
        return layer

    parts = [bars(national, first_order, None)]
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
    if any(LINE_BREAK in label for label in labels):
        return 1
    return len(labels) if sum(len(label) + 4 for label in labels) <= room else 1


def _stack_rows(
    group: str, counts: Sequence[int], labels: Sequence[str], colours: Sequence[str]
) -> list[dict]:
    total = sum(counts)
    rows, start = [], 0.0
    for label, count, colour in zip(labels, counts, colours, strict=True):
        part = count / total if total else 0.0
        rows.append(
            {
                "groupe": group,
                "categorie": label,
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
    total = distribution.total
    sentence = (
        f"Répartition {'des' if total >= 2 else 'de'} {fr.counted(total, 'établissement')} : "
        + " ; ".join(parts)
    )
    if distribution.reference is not None and sum(distribution.reference):
        everywhere = sum(distribution.reference)
        sentence += (
            f" ; {distribution.reference_label} ({fr.counted(everywhere, 'établissement')}) : "
            + (
                " ; ".join(
                    f"{c.label} : {fr.share(n / everywhere, 1)}"
                    for c, n in zip(distribution.categories, distribution.reference, strict=True)
                )
            )
        )
    groups = len(distribution.by_group)
    if groups == 1:
        sentence += ", puis la même répartition pour son seul groupe"
    elif groups:
        sentence += f", puis la même répartition pour chacun des {fr.counted(groups, 'groupe')}"
    if groups:
        sentence += " (détail dans le tableau qui suit)"
    return sentence + "."

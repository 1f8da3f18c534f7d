"""Change since the previous campaign: one dumbbell per indicator."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt

from hospiscope.reports import format as fr
from hospiscope.reports.charts._common import (
    INK,
    MULTILINE,
    Chart,
    _finish,
    line_count,
    slug,
    wrap,
)
from hospiscope.reports.model import Figure

LABEL_WIDTH = 34  # characters per line of an indicator's label (about 210 px at 11 px)


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
        label = wrap(f.label, LABEL_WIDTH)
        order.append(label)
        change = f.change_points if f.change_points is not None else f.value - f.previous_value
        rows.append({"indicateur": label, "campagne": before, "valeur": f.previous_value})
        rows.append(
            {
                "indicateur": label,
                "campagne": now,
                "valeur": f.value,
                "etiquette": f"{fr.with_unit(f.value, unit)} ({fr.change(change, unit)})",
            }
        )
    low = min(r["valeur"] for r in rows)
    high = max(r["valeur"] for r in rows)
    pad = max((high - low) * 0.15, 1.0)
    domain = [max(0.0, low - pad), min(100.0, high + pad) if unit in fr.POINT_UNITS else high]
    y = alt.Y(
        "indicateur:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelExpr=MULTILINE, labelLimit=0, ticks=False, labelPadding=6),
    )
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
    step = max(26, 13 * line_count(order) + 10)
    chart = alt.layer(segment, dots, labels).properties(width=width, height=alt.Step(step))
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

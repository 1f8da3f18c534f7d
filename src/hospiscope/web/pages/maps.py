"""The map: a choropleth of an indicator's results by region or by department (overseas in
insets, no map tiles: outlines shipped in the package, geo/outlines.py), optionally with the
establishments of a department as points, and the data table as its text alternative."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from hospiscope.catalogue import catalogue_meta
from hospiscope.geo import outlines
from hospiscope.results.store import read_results
from hospiscope.web.errors import bad_parameter, not_found
from hospiscope.web.pages.common import Choice, Layout, layout, store_of
from hospiscope.web.twins import page
from hospiscope.web.values import number

router = APIRouter(tags=["carte"])
BINS = 5
LEVEL_KINDS = {"region": "region", "departement": "departement"}
LEVEL_LABELS = {"region": "régions", "departement": "départements"}
LEVEL_SINGULAR = {"region": "région", "departement": "département"}


class Area(BaseModel):
    code: str
    name: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    denominator: float | None
    band: int | None  # 0 … BINS-1, lowest values first
    url: str


class LegendBand(BaseModel):
    band: int
    css_class: str
    low: float
    high: float


class MapPage(BaseModel):
    layout: Layout
    indicator: str
    indicator_label: str
    unit: str
    direction: str
    level: str
    period: str | None
    periods: list[str]
    indicators: list[Choice]
    areas: list[Area]
    legend: list[LegendBand]
    svg: str
    rule: str


Level = Annotated[Literal["region", "departement"], Query(description="niveau de la carte")]
Code = Annotated[str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9_]*$")]
Period = Annotated[str | None, Query(max_length=12, pattern=r"^[0-9-]*$")]


def _default_indicator(codes: list[str]) -> str:
    metas = catalogue_meta()
    headline = [c for c in codes if getattr(metas.get(c), "headline", False)]
    return (headline or codes)[0]


@page(
    router,
    "/carte",
    template="map.html",
    model=MapPage,
    summary="Carte d'un indicateur par région ou département",
)
def carte(
    request: Request,
    indicateur: Code = None,
    niveau: Level = "region",
    campagne: Period = None,
) -> MapPage:
    kind = LEVEL_KINDS[niveau]
    with store_of(request).cursor() as con:
        codes = [
            row[0]
            for row in con.execute(
                """SELECT DISTINCT indicator_code FROM results WHERE entity_kind = ?
                AND value IS NOT NULL ORDER BY 1""",
                [kind],
            ).fetchall()
        ]
        if not codes:
            raise not_found(
                "no_results", "aucun résultat par territoire : lancez `hospiscope compute`"
            )
        code = (indicateur or _default_indicator(codes)).upper()
        if code not in codes:
            raise bad_parameter(
                "indicateur", f"aucun résultat de « {code} » par {LEVEL_SINGULAR[niveau]}"
            )
        frame = read_results(con, indicator=code, entity_kind=kind)
    meta = catalogue_meta()[code]
    periods = sorted(frame["period"].unique(), reverse=True)
    period = campagne or periods[0]
    if period not in periods:
        raise bad_parameter("campagne", f"campagnes disponibles : {', '.join(periods)}")
    rows = frame[frame["period"] == period]
    values = {r["entity_id"]: r for r in rows.to_dict("records")}
    edges = _edges([number(r["value"]) for r in values.values()])
    drawing = outlines.drawing(niveau)
    areas = [
        _area(niveau, code_, drawing.names[code_], values.get(code_), edges)
        for code_ in sorted(drawing.paths)
    ]
    classes = _classes(meta.direction.value)
    fills = {a.code: classes[a.band] for a in areas if a.band is not None}
    titles = {a.code: _title(a, meta.unit) for a in areas}
    svg = outlines.choropleth_svg(
        niveau,
        fills,
        titles=titles,
        links={a.code: a.url for a in areas},
        label=f"{meta.short_label}, {period}, par {LEVEL_SINGULAR[niveau]}",
        description=f"Carte des {LEVEL_LABELS[niveau]} colorées par quintile de la valeur ; "
        "le tableau qui suit donne chaque valeur et son intervalle de confiance.",
    )
    return MapPage(
        layout=layout(request, f"Carte : {meta.short_label}"),
        indicator=code,
        indicator_label=meta.label,
        unit=meta.unit,
        direction=meta.direction.value,
        level=niveau,
        period=period,
        periods=periods,
        indicators=[
            Choice(code=c, label=catalogue_meta()[c].short_label)
            for c in codes
            if c in catalogue_meta()
        ],
        areas=areas,
        legend=[
            LegendBand(band=i, css_class=classes[i], low=edges[i], high=edges[i + 1])
            for i in range(len(edges) - 1)
        ],
        svg=svg,
        rule="Couleurs : cinq classes de même effectif (quintiles) des valeurs des territoires "
        "de la campagne, du plus favorable au moins favorable selon le sens de l'indicateur "
        "(nuances neutres quand il n'a pas de sens) ; règle hospiscope, sans valeur officielle.",
    )


def _edges(values: list[float | None]) -> list[float]:
    """BINS+1 increasing bounds of equal-count classes (fewer when values repeat)."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return []
    edges = [
        known[min(len(known) - 1, round(i * (len(known) - 1) / BINS))] for i in range(BINS + 1)
    ]
    unique = sorted(set(edges))
    return unique if len(unique) > 1 else [unique[0], unique[0]]


def _band(value: float | None, edges: list[float]) -> int | None:
    if value is None or not edges:
        return None
    for index in range(len(edges) - 1):
        if value <= edges[index + 1]:
            return index
    return len(edges) - 2


def _classes(direction: str) -> list[str]:
    """CSS class of each band, lowest values first: `rang-0` is the most favourable."""
    if direction == "higher_is_better":
        return [f"rang-{4 - i}" for i in range(BINS)]
    if direction == "lower_is_better":
        return [f"rang-{i}" for i in range(BINS)]
    return [f"neutre-{i}" for i in range(BINS)]


def _area(level: str, code: str, name: str, row: dict | None, edges: list[float]) -> Area:
    value = number(row["value"]) if row else None
    link = (
        f"/recherche?departement={code}" if level == "departement" else f"/recherche?region={code}"
    )
    return Area(
        code=code,
        name=name,
        value=value,
        ci_low=number(row["ci_low"]) if row else None,
        ci_high=number(row["ci_high"]) if row else None,
        denominator=number(row["denominator"]) if row else None,
        band=_band(value, edges),
        url=link,
    )


def _title(area: Area, unit: str) -> str:
    from hospiscope.reports import format as fr

    if area.value is None:
        return f"{area.name} : pas de résultat"
    return f"{area.name} : {fr.with_unit(area.value, unit)}"

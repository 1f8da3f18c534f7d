"""The indicators: the catalogue, and one page per indicator (its definition as the catalogue
documentation generates it, and its national results by campaign)."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel

from hospiscope.results.store import read_results
from hospiscope.web.errors import not_found
from hospiscope.web.pages.common import Layout, layout, store_of
from hospiscope.web.twins import page

router = APIRouter(tags=["indicateurs"])
Code = Annotated[str, Path(pattern=r"^[A-Za-z][A-Za-z0-9_]{2,40}$", description="code")]


class IndicatorSummary(BaseModel):
    code: str
    label: str
    short_label: str
    domain: str
    unit: str
    url: str


class CatalogueList(BaseModel):
    layout: Layout
    indicators: list[IndicatorSummary]


class NationalValue(BaseModel):
    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    ci_low: float | None
    ci_high: float | None
    method_version: str
    origin: str


class IndicatorPage(BaseModel):
    layout: Layout
    unit: str
    definition: dict[str, Any]
    national: list[NationalValue]


@cache
def _pages() -> dict[str, dict[str, Any]]:
    from hospiscope.reports.catalogue_docs import catalogue_pages

    return {page["code"]: page for page in catalogue_pages(with_sql=False)}


@page(
    router,
    "/indicateurs",
    template="indicators.html",
    model=CatalogueList,
    summary="Catalogue des indicateurs",
)
def indicators(request: Request) -> CatalogueList:
    from hospiscope.catalogue import catalogue_meta

    items = [
        IndicatorSummary(
            code=m.code,
            label=m.label,
            short_label=m.short_label,
            domain=m.domain,
            unit=m.unit,
            url=f"/indicateurs/{m.code}",
        )
        for m in catalogue_meta().values()
    ]
    return CatalogueList(layout=layout(request, "Indicateurs"), indicators=items)


@page(
    router,
    "/indicateurs/{code}",
    template="indicator.html",
    model=IndicatorPage,
    summary="Définition d'un indicateur et ses résultats nationaux",
)
def indicator(request: Request, code: Code) -> IndicatorPage:
    definition = _pages().get(code.upper())
    if definition is None:
        raise not_found("unknown_indicator", f"indicateur inconnu : « {code} »")
    with store_of(request).cursor() as con:
        frame = read_results(con, indicator=definition["code"], entity_kind="national")
    national = [
        NationalValue(
            period=r["period"],
            value=_number(r["value"]),
            numerator=_number(r["numerator"]),
            denominator=_number(r["denominator"]),
            ci_low=_number(r["ci_low"]),
            ci_high=_number(r["ci_high"]),
            method_version=str(r["method_version"]),
            origin=r["origin"],
        )
        for r in frame.sort_values("period").to_dict("records")
    ]
    from hospiscope.catalogue import get_meta

    return IndicatorPage(
        layout=layout(request, definition["label"]),
        unit=get_meta(definition["code"]).unit,
        definition=definition,
        national=national,
    )


def _number(value) -> float | None:
    import math

    return None if value is None or math.isnan(float(value)) else float(value)

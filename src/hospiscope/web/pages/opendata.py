"""The open-data page: what the API offers (every page's JSON twin, the exports, the bulk file
of each campaign), the licence and the schema."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from hospiscope.results.exports import FORMATS
from hospiscope.web.pages.common import Choice, Layout, layout, store_of
from hospiscope.web.twins import page

router = APIRouter(tags=["données ouvertes"])


class Endpoint(BaseModel):
    path: str
    summary: str


class Campaign(BaseModel):
    year: int
    results: int


class OpenDataPage(BaseModel):
    layout: Layout
    endpoints: list[Endpoint]
    formats: list[Choice]
    campaigns: list[Campaign]
    licence: str


@page(router, "/api", template="opendata.html", model=OpenDataPage, summary="Données ouvertes")
def opendata(request: Request) -> OpenDataPage:
    schema = request.app.openapi()
    endpoints = [
        Endpoint(path=path, summary=operation.get("summary", ""))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method == "get"
    ]
    with store_of(request).cursor() as con:
        rows = con.execute(
            """SELECT TRY_CAST(right(period, 4) AS INTEGER) AS year, count(*) FROM results
            WHERE TRY_CAST(right(period, 4) AS INTEGER) IS NOT NULL GROUP BY 1 ORDER BY 1 DESC"""
        ).fetchall()
    return OpenDataPage(
        layout=layout(request, "Données ouvertes"),
        endpoints=endpoints,
        formats=[Choice(code=code, label=f.label) for code, f in FORMATS.items()],
        campaigns=[Campaign(year=year, results=count) for year, count in rows],
        licence="Licence Ouverte / Etalab 2.0",
    )

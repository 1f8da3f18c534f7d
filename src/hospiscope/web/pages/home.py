"""The home page: a search box and what the site is for."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from hospiscope.web.pages.common import Layout, layout, store_of
from hospiscope.web.twins import page

router = APIRouter(tags=["accueil"])


class HomePage(BaseModel):
    layout: Layout
    establishments: int
    campaigns: list[str]
    indicators: int


@page(router, "/", template="home.html", model=HomePage, summary="Accueil", json_path="/index.json")
def home(request: Request) -> HomePage:
    with store_of(request).cursor() as con:
        establishments = con.execute("SELECT count(*) FROM establishments").fetchall()[0][0]
        periods = con.execute(
            "SELECT DISTINCT period FROM results ORDER BY period DESC LIMIT 6"
        ).fetchall()
        indicators = con.execute("SELECT count(DISTINCT indicator_code) FROM results").fetchall()[
            0
        ][0]
    return HomePage(
        layout=layout(request, "Qualité des hôpitaux et cliniques"),
        establishments=int(establishments),
        campaigns=[row[0] for row in periods],
        indicators=int(indicators),
    )

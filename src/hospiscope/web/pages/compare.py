"""Comparing up to four establishments side by side: identity, certification, and every
indicator's latest result for each, in the order the user chose them (never ranked)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from hospiscope.web.errors import bad_parameter
from hospiscope.web.pages.common import Layout, layout
from hospiscope.web.pages.establishments import (
    EstablishmentCard,
    card,
    establishment_rows,
    results_of,
)
from hospiscope.web.twins import page
from hospiscope.web.values import IndicatorValue, Notices

router = APIRouter(tags=["comparaison"])
MAX_COMPARED = 4
Numbers = Annotated[
    list[Annotated[str, Query(pattern=r"^[0-9][0-9AB][0-9]{7}$")]],
    Query(description="numéros FINESS ET (de 2 à 4)", max_length=MAX_COMPARED),
]
Source = Annotated[Literal["calcul", "publie", "tout"] | None, Query()]


class ComparedRow(BaseModel):
    """One indicator across the compared establishments (None where one has no result)."""

    code: str
    short_label: str
    unit: str
    values: list[IndicatorValue | None]


class ComparePage(BaseModel):
    layout: Layout
    establishments: list[EstablishmentCard]
    rows: list[ComparedRow]
    notices: Notices | None
    remove_urls: list[str]


@page(
    router,
    "/comparer",
    template="compare.html",
    model=ComparePage,
    summary="Comparer jusqu'à quatre établissements",
)
def compare(request: Request, finess: Numbers = (), source: Source = None) -> ComparePage:
    numbers = list(dict.fromkeys(finess))  # each once, in the order given
    rows = establishment_rows(request, numbers)
    unknown = sorted(set(numbers) - {r["finess_et"] for r in rows})
    if unknown:
        raise bad_parameter("finess", f"établissement(s) inconnu(s) : {', '.join(unknown)}")
    results, notices = [], None
    for row in rows:
        values, notices = results_of(request, row["finess_et"], source)
        results.append({v.code: v for v in values})
    codes = sorted({code for found in results for code in found})
    compared = []
    for code in codes:
        first = next(found[code] for found in results if code in found)
        compared.append(
            ComparedRow(
                code=code,
                short_label=first.short_label,
                unit=first.unit,
                values=[found.get(code) for found in results],
            )
        )
    return ComparePage(
        layout=layout(request, "Comparer des établissements"),
        establishments=[card(row) for row in rows],
        rows=compared,
        notices=notices,
        remove_urls=[
            "/comparer?" + "&".join(f"finess={n}" for n in numbers if n != removed)
            for removed in numbers
        ],
    )

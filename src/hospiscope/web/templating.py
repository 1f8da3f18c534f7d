"""The portal's templates (Jinja2, escaping on for every template: text from imported files —
establishment names, addresses — is always escaped) and their French formatting filters."""

from __future__ import annotations

import datetime as dt
from functools import cache

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from hospiscope.access.result_disclosure import result_note
from hospiscope.catalogue.pages import DOMAINS
from hospiscope.reports import format as fr

# The site's sections, in the header of every page.
NAVIGATION = (
    ("/", "Accueil"),
    ("/recherche", "Établissements"),
    ("/indicateurs", "Indicateurs"),
    ("/carte", "Carte"),
    ("/comparer", "Comparer"),
    ("/api", "Données ouvertes"),
)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hospiscope.web", "templates"),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["navigation"] = NAVIGATION
    env.globals["disclosure_note"] = result_note()
    env.filters.update(
        valeur=lambda value, unit="": fr.with_unit(value, unit or ""),
        nombre=lambda value, decimals=0: fr.number(value, decimals),
        entier=fr.integer,
        intervalle=lambda low, high, decimals=1: fr.interval(low, high, decimals),
        date_fr=_date,
        moment_fr=lambda value: fr.datetime(dt.datetime.fromisoformat(value))
        if value
        else fr.MISSING,
        km=lambda value: f"{fr.number(value, 1 if value < 10 else 0)}\u00a0km",
        signe=lambda value: fr.signed(value, 1),
        domaine=lambda code: DOMAINS.get(code, code),
    )
    return env


def _date(value) -> str:
    if value is None:
        return fr.MISSING
    if isinstance(value, dt.datetime):
        return fr.datetime(value)
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return fr.date(value)


def render(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    page = environment().get_template(template).render(request=request, **context)
    return HTMLResponse(page, status_code=status)

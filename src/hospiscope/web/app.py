"""The web application: `create_app(warehouse)` builds the FastAPI application that serves the
public portal and its open-data API on one warehouse, read-only."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from hospiscope import __version__
from hospiscope.web import errors, registry, values
from hospiscope.web.cache import PageCache
from hospiscope.web.pages import (
    compare,
    establishments,
    exports,
    home,
    indicators,
    maps,
    opendata,
)
from hospiscope.web.security import SecurityHeaders
from hospiscope.web.store import Store
from hospiscope.web.templating import render

ROUTERS = (
    home.router,
    establishments.router,
    compare.router,
    indicators.router,
    maps.router,
    exports.router,
    opendata.router,
)
DESCRIPTION = (
    "Résultats de qualité des établissements de santé : registre, indicateurs, résultats par "
    "établissement avec intervalles de confiance, classes et versions de méthode. Chaque page "
    "du portail a son jumeau JSON (même adresse suivie de `.json`) ; toutes les erreurs ont la "
    "même forme (`error`: status, code, message, details)."
)


def create_app(warehouse: Path, *, copy: bool = True) -> FastAPI:
    """`copy=False`: read the warehouse file on every request, without the in-memory copy and
    the page cache (the baseline of bench/bench_portal.py)."""
    warm_up()
    store = Store(warehouse, copy=copy, derived=registry.DERIVED | values.DERIVED)
    app = FastAPI(
        title="hospiscope — API ouverte",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI and ReDoc load their files from a CDN: not here
        redoc_url=None,
    )
    app.state.store = store
    for router in ROUTERS:
        app.include_router(router)
    static = resources.files("hospiscope.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    errors.install(app, _error_page)
    app.add_middleware(PageCache, store=store)
    app.add_middleware(SecurityHeaders)
    return app


def warm_up() -> None:
    """Load what pages share once, before the first request: under concurrent first requests
    each worker thread would otherwise load it again (cached, but not locked)."""
    from hospiscope.catalogue import catalogue_meta
    from hospiscope.geo.reference import geography

    catalogue_meta()
    geography()


def _error_page(request: Request, body: errors.ErrorBody):
    from hospiscope.web.pages.common import Layout

    title = "Page introuvable" if body.status == 404 else "Requête refusée"
    if body.status >= 500:
        title = "Erreur du portail"
    page = Layout(title=title, path=request.url.path, data_loaded_at=None)
    return render(request, "error.html", status=body.status, layout=page, error=body)

"""The web application: `create_app(warehouse)` builds the FastAPI application that serves the
public portal and its open-data API on one warehouse, read-only."""

from __future__ import annotations

import contextlib
import functools
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from hospiscope import __version__
from hospiscope.access.perimeter import Perimeter
from hospiscope.web import errors, registry, values
from hospiscope.web.auth import Access
from hospiscope.web.cache import PageCache, Pages
from hospiscope.web.establishment_book import EstablishmentBook
from hospiscope.web.pages import (
    account,
    account_forms,
    admin,
    admin_forms,
    compare,
    establishments,
    exports,
    home,
    indicators,
    maps,
    national,
    national_review,
    opendata,
    private,
    private_exports,
    signin,
    status,
    territory,
)
from hospiscope.web.security import SecurityHeaders
from hospiscope.web.store import Store
from hospiscope.web.templating import render
from hospiscope.web.warmup import Warmup

ROUTERS = (
    home.router,
    establishments.router,
    compare.router,
    indicators.router,
    maps.router,
    exports.router,
    opendata.router,
    national.router,
    national_review.router,
    admin.router,
    admin_forms.router,
    private.router,
    private_exports.router,
    territory.router,
    signin.router,
    account.router,
    account_forms.router,
    status.router,
)
DESCRIPTION = (
    "Résultats de qualité des établissements de santé : registre, indicateurs, résultats par "
    "établissement avec intervalles de confiance, classes et versions de méthode. Chaque page "
    "du portail a son jumeau JSON (même adresse suivie de `.json`) ; toutes les erreurs ont la "
    "même forme (`error`: status, code, message, details)."
)


def create_app(warehouse: Path, *, copy: bool = True, prepare: bool = False) -> FastAPI:
    """`copy=False`: read the warehouse file on every request, without the in-memory copy and
    the page cache (the baseline of bench/bench_portal.py). `prepare`: build every
    establishment page in idle time (web/warmup.py), from the server's start-up on."""
    warm_up()
    access = Access(warehouse)
    store = Store(
        warehouse,
        copy=copy,
        derived=registry.DERIVED | values.DERIVED,
        prepared=_prepared(copy),
        publication=access.publication,
        private_derived=tuple(values.DERIVED),
    )
    app = FastAPI(
        title="hospiscope — API ouverte",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI and ReDoc load their files from a CDN: not here
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.store = store
    app.state.access = access
    app.state.sign_in_attempts = signin.Attempts()
    for router in ROUTERS:
        app.include_router(router)
    static = resources.files("hospiscope.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    errors.install(app, _error_page)
    app.state.pages = Pages()
    app.add_middleware(PageCache, store=store, pages=app.state.pages)
    app.add_middleware(SecurityHeaders)
    if prepare and copy:
        app.state.warmup = Warmup(app, store, app.state.pages, lambda: _prepared_paths(store))
    return app


def _prepared(copy: bool) -> dict:
    """What the store builds once per state of the data: the search index and the book of
    every establishment's results. Without the copy (the baseline), objects are built on every
    request: then only the registry is read and scanned (no trigram index, no book: each page
    queries its own results)."""
    perimeter = Perimeter.from_warehouse
    if not copy:
        search = functools.partial(registry.search_index, trigrams=False)
        return {"search": search, "perimeter": perimeter}
    return {"search": registry.search_index, "book": EstablishmentBook, "perimeter": perimeter}


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI):
    """Pages are prepared while the server runs (when asked: `prepare`)."""
    warmup = getattr(app.state, "warmup", None)
    if warmup is not None:
        warmup.start()
    try:
        yield
    finally:
        if warmup is not None:
            warmup.stop()


# Prepared first: the pages every visit starts from.
FIRST_PAGES = ("/", "/recherche", "/indicateurs", "/carte", "/comparer", "/api")


def _prepared_paths(store: Store) -> list[str]:
    """The pages prepared in idle time: the entry pages, every indicator's page (its latest
    campaign), then every establishment's, in the order of the index."""
    from hospiscope.catalogue import catalogue_meta

    indicators = [f"/indicateurs/{code}" for code in sorted(catalogue_meta())]
    numbers = [row["finess_et"] for row in store.prepared("search").rows]
    return [*FIRST_PAGES, *indicators, *(f"/etablissements/{n}" for n in numbers)]


def warm_up() -> None:
    """Load what pages share once, before the first request: under concurrent first requests
    each worker thread would otherwise load it again (cached, but not locked)."""
    from hospiscope.catalogue import catalogue_meta
    from hospiscope.geo.reference import geography

    catalogue_meta()
    geography()


def _error_page(request: Request, body: errors.ErrorBody):
    from hospiscope.web.pages.common import Layout

    title = {404: "Page introuvable", 401: "Connexion requise"}.get(body.status, "Requête refusée")
    if body.status >= 500:
        title = "Erreur du portail"
    page = Layout(title=title, path=request.url.path, data_loaded_at=None)
    return render(request, "error.html", status=body.status, layout=page, error=body)

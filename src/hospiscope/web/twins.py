"""One route serves a page and its JSON twin: `GET /path` renders the template with what the
builder returned, `GET /path.json` returns the same object as JSON, documented in the OpenAPI
schema by its model. A builder is a plain function of the request and of its declared path and
query parameters (validated by FastAPI for both twins alike) returning a pydantic model."""

from __future__ import annotations

import functools
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from hospiscope.web.errors import ErrorResponse
from hospiscope.web.templating import render

ERRORS = {
    400: {"model": ErrorResponse, "description": "paramètre invalide"},
    404: {"model": ErrorResponse, "description": "introuvable"},
}
# A private page (connexion requise) may also answer these.
PRIVATE_ERRORS = {
    **ERRORS,
    401: {"model": ErrorResponse, "description": "connexion requise, ou jeton refusé"},
    403: {"model": ErrorResponse, "description": "refusé pour ce rôle"},
}


def page(
    router: APIRouter,
    path: str,
    *,
    template: str,
    model: type[BaseModel],
    summary: str,
    json_path: str | None = None,
    inline: bool = False,
    private: bool = False,
) -> Callable:
    """Register `build` at `path` (HTML) and at `json_path` (default: `path` + ".json").
    `inline`: run `build` on the server's event loop instead of a worker thread — for
    builders that only read memory and take well under a millisecond (the type-ahead), for
    which the hop to a thread costs more than the work; never for one that queries DuckDB.
    `private`: a page of the private spaces (its twin documents 401 and 403 too)."""

    def register(build: Callable[..., BaseModel]) -> Callable[..., BaseModel]:
        def html(kwargs: dict, built: BaseModel):
            request: Request = kwargs["request"]
            return render(request, template, page=built, layout=getattr(built, "layout", None))

        if inline:

            @functools.wraps(build)
            async def as_json(*args, **kwargs) -> BaseModel:
                return build(*args, **kwargs)

            @functools.wraps(build)
            async def as_html(*args, **kwargs):
                return html(kwargs, build(*args, **kwargs))

        else:

            @functools.wraps(build)
            def as_json(*args, **kwargs) -> BaseModel:
                return build(*args, **kwargs)

            @functools.wraps(build)
            def as_html(*args, **kwargs):
                return html(kwargs, build(*args, **kwargs))

        # The twin first: `/x/{id}` would otherwise take `/x/{id}.json` for an id.
        router.get(
            json_path or f"{path}.json",
            response_model=model,
            summary=summary,
            responses=PRIVATE_ERRORS if private else ERRORS,
            name=f"{build.__name__}_json",
        )(as_json)
        router.api_route(
            path,
            methods=["GET", "HEAD"],
            include_in_schema=False,
            name=build.__name__,
            response_model=None,
            response_class=HTMLResponse,
        )(as_html)
        return build

    return register

"""The portal's state page: which state of the warehouse it serves, since when, and how far the
preparation of pages in idle time (web/warmup.py) has gone. Never cached (web/cache.py, LIVE)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from hospiscope.web.pages.common import Layout, layout, store_of
from hospiscope.web.twins import page

router = APIRouter(tags=["état du portail"])


class Preparation(BaseModel):
    prepared: int  # pages of the current data in the cache (entry, indicators, establishments)
    total: int
    done: bool
    seconds: float | None  # how long it took (so far)


class PortalState(BaseModel):
    layout: Layout
    establishments: int
    preparation: Preparation | None  # None when pages are not prepared (no copy of the data)
    cached_pages: int
    cached_megabytes: float


@page(router, "/etat", template="status.html", model=PortalState, summary="État du portail")
def status(request: Request) -> PortalState:
    app = request.app
    index = store_of(request).prepared("search")
    warmup = getattr(app.state, "warmup", None)
    preparation = None
    if warmup is not None and warmup.progress.state is not None:
        progress = warmup.progress
        preparation = Preparation(
            prepared=progress.prepared,
            total=progress.total,
            done=progress.done,
            seconds=None if progress.seconds is None else round(progress.seconds, 1),
        )
    pages = app.state.pages
    return PortalState(
        layout=layout(request, "État du portail"),
        establishments=len(index.rows),
        preparation=preparation,
        cached_pages=len(pages),
        cached_megabytes=round(pages.size / 1024**2, 1),
    )

"""What every page carries (its title, the navigation, the data's state) and small shared
models."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from pydantic import BaseModel

from hospiscope.access.publication import pending_sentence
from hospiscope.catalogue.pages import DOMAINS
from hospiscope.web.store import Store


class Choice(BaseModel):
    code: str
    label: str


class Layout(BaseModel):
    """The frame of a page: its title, where it sits, and what the data it reads is."""

    title: str
    path: str
    data_loaded_at: str | None
    # Computed campaigns the public does not see yet, and why (French sentences).
    unpublished: list[str] = []


def layout(request: Request, title: str) -> Layout:
    store = store_of(request)
    version = store.version
    loaded = None
    if version is not None:
        loaded = dt.datetime.fromtimestamp(version.loaded_at).isoformat(timespec="seconds")
    unpublished = [
        pending_sentence(campaign, DOMAINS.get(family, family), state)
        for campaign, family, state in store.unpublished
    ]
    return Layout(
        title=title, path=request.url.path, data_loaded_at=loaded, unpublished=unpublished
    )


def store_of(request: Request) -> Store:
    return request.app.state.store

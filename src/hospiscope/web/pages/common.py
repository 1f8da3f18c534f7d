"""What every page carries (its title, the navigation, the data's state) and small shared
models."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from pydantic import BaseModel

from hospiscope.web.store import Store


class Choice(BaseModel):
    code: str
    label: str


class Layout(BaseModel):
    """The frame of a page: its title and where it sits."""

    title: str
    path: str
    data_loaded_at: str | None


def layout(request: Request, title: str) -> Layout:
    version = store_of(request).version
    loaded = None
    if version is not None:
        loaded = dt.datetime.fromtimestamp(version.loaded_at).isoformat(timespec="seconds")
    return Layout(title=title, path=request.url.path, data_loaded_at=loaded)


def store_of(request: Request) -> Store:
    return request.app.state.store

"""Pages prepared in idle time: once the portal serves a state of the warehouse, a background
thread asks the application itself for every establishment page, so that a visitor's first
visit is answered from the page cache (web/cache.py) like any later one.

The thread gives way to visitors: it waits while any visitor's request is being answered, so
it only uses time the server would otherwise spend idle, and a visitor asking for a page not
prepared yet gets it built at once, as without the thread. When the warehouse changes, the
pages of the new state are prepared in turn (the old ones are no longer asked for). What it
has done is on the portal's state page (/etat)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp

from hospiscope.web.cache import BACKGROUND, Pages, key_of

IDLE_WAIT_SECONDS = 0.005  # how often a paused preparation looks whether visitors are gone
CHECK_SECONDS = 2.0  # how often a finished preparation looks whether the data changed


@dataclass
class Progress:
    state: object = None  # the state of the data being (or last) prepared
    prepared: int = 0  # pages of that state in the cache
    total: int = 0
    started_at: float | None = None
    finished_at: float | None = None

    @property
    def done(self) -> bool:
        return self.finished_at is not None

    @property
    def seconds(self) -> float | None:
        if self.started_at is None:
            return None
        return (self.finished_at or time.monotonic()) - self.started_at


class Warmup:
    def __init__(self, app: ASGIApp, store, pages: Pages, paths: Callable[[], list[str]]):
        """`paths()`: the URLs to prepare for the state being served."""
        self.app, self.store, self.pages, self.paths = app, store, pages, paths
        self.progress = Progress()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None and self.store.copy:
            self._thread = threading.Thread(target=self._run, name="préparation", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            while not self._stop.is_set():
                self.store.refresh()
                if self.store.key != self.progress.state:
                    self._prepare(loop, self.store.key)
                self._stop.wait(CHECK_SECONDS)
        finally:
            loop.close()

    def _prepare(self, loop: asyncio.AbstractEventLoop, state: object) -> None:
        paths = self.paths()
        self.progress = Progress(state, 0, len(paths), time.monotonic())
        for path in paths:
            if self._stop.is_set() or self.store.key != state:
                return  # stopped, or new data: start again with it
            if key_of(self.store, path) not in self.pages:
                self._wait_for_idle()
                loop.run_until_complete(self._ask(path))
            self.progress.prepared += 1
        self.progress.finished_at = time.monotonic()

    def _wait_for_idle(self) -> None:
        while self.pages.visitors > 0 and not self._stop.is_set():
            time.sleep(IDLE_WAIT_SECONDS)

    async def _ask(self, path: str) -> None:
        """GET `path` through the whole application (the answer lands in the page cache)."""
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"localhost")],
            "client": None,
            "server": None,
            BACKGROUND: True,
        }

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            pass

        await self.app(scope, receive, send)

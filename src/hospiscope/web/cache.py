"""The page cache: a successful GET answer is kept, by its URL, for as long as the portal's copy
of the warehouse does not change (web/store.py reloads it when the file does), so a page is
built once per state of the data. Bounded (least recently used answers are dropped)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_ENTRIES = 4096
MAX_BODY_BYTES = 2 * 1024 * 1024  # bigger answers (exports) are built each time


class PageCache:
    def __init__(self, app: ASGIApp, store):
        self.app = app
        self.store = store
        self._entries: OrderedDict[tuple, tuple[list, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not self.store.copy:
            await self.app(scope, receive, send)
            return
        self.store.refresh()
        key = (self.store.key, scope["path"], scope.get("query_string", b""))
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
        if hit is not None:
            headers, body = hit
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        started: dict = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and started.get("status") == 200:
                    self._keep(key, list(started.get("headers", [])), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _keep(self, key: tuple, headers: list, body: bytes) -> None:
        if len(body) > MAX_BODY_BYTES:
            return
        with self._lock:
            self._entries[key] = (headers, body)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

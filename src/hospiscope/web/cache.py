"""The page cache: a successful GET answer is kept, by its URL, for as long as the portal's copy
of the warehouse does not change (web/store.py reloads it when the file does), so a page is
built once per state of the data. Bounded by size (least recently used answers are dropped).

The answers live in a `Pages` object of the application (`app.state.pages`), not in the
middleware: the pages prepared in the background (web/warmup.py) are then the ones served. It
also counts the requests of visitors being answered, so that background work can give way."""

from __future__ import annotations

import threading
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BYTES = 512 * 1024 * 1024  # every establishment page of a national registry is ~80 MB
MAX_BODY_BYTES = 2 * 1024 * 1024  # bigger answers (exports) are built each time
# Pages that say what is happening now, and private spaces: never kept.
LIVE = ("/etat", "/espace", "/admin", "/connexion", "/compte")
# A request carrying credentials (a session cookie, an API token) is never answered from the
# cache nor kept in it: what a signed-in user sees may depend on who they are, and the cache is
# keyed by URL only. Anonymous answers are the same for everyone.
SESSION_COOKIE = "hospiscope_session"
# Set in the scope of the requests the portal makes itself (web/warmup.py): not a visitor.
BACKGROUND = "hospiscope.background"


class Pages:
    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, tuple[list, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.visitors = 0  # visitors' requests being answered now

    def get(self, key: tuple) -> tuple[list, bytes] | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def __contains__(self, key: tuple) -> bool:
        with self._lock:
            return key in self._entries

    def keep(self, key: tuple, headers: list, body: bytes) -> None:
        if len(body) > MAX_BODY_BYTES:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1])
            self._entries[key] = (headers, body)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes of the answers kept."""
        return self._bytes

    def count(self, change: int) -> None:
        with self._lock:
            self.visitors += change


def key_of(store, path: str, query: bytes = b"") -> tuple:
    """The cache key of a URL for the state of the data being served."""
    return (store.key, path, query)


def _credentials(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            return True
        if name == b"cookie" and SESSION_COOKIE.encode() in value:
            return True
    return False


class PageCache:
    def __init__(self, app: ASGIApp, store, pages: Pages):
        self.app = app
        self.store = store
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        visitor = not scope.get(BACKGROUND)
        if visitor:
            self.pages.count(+1)
        try:
            await self._answer(scope, receive, send)
        finally:
            if visitor:
                self.pages.count(-1)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        live = scope["path"].startswith(LIVE)
        self.store.refresh()  # (every request: private ones follow the data's changes too)
        if scope["method"] != "GET" or not self.store.copy or live or _credentials(scope):
            await self.app(scope, receive, send)
            return
        key = key_of(self.store, scope["path"], scope.get("query_string", b""))
        hit = self.pages.get(key)
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
                    self.pages.keep(key, list(started.get("headers", [])), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

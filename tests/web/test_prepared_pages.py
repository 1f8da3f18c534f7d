"""Pages prepared in idle time (web/warmup.py) and the page cache they land in (web/cache.py):
every establishment page is in the cache once the preparation is done, and is the page a
visitor would have got; the state page says how far it went and is never cached."""

import re
import time

from hospiscope.web.cache import Pages, key_of
from web.conftest import client_of


def test_every_page_to_prepare_is_prepared_and_is_the_page_built_on_demand(
    portal, portal_warehouse
):
    with client_of(portal_warehouse, prepare=True) as prepared:  # (runs its start-up)
        app = prepared.app
        deadline = time.monotonic() + 300
        while not app.state.warmup.progress.done and time.monotonic() < deadline:
            time.sleep(0.1)
        progress = app.state.warmup.progress
        numbers = [row["finess_et"] for row in app.state.store.prepared("search").rows]
        paths = app.state.warmup.paths()
        assert {"/", "/indicateurs/VACCIN_GRIPPE", f"/etablissements/{numbers[0]}"} <= set(paths)
        assert progress.done and progress.prepared == progress.total == len(paths)
        store, pages = app.state.store, app.state.pages
        assert all(key_of(store, path) in pages for path in paths)
        state = prepared.get("/etat.json").json()
        assert state["preparation"] == {
            "prepared": len(paths),
            "total": len(paths),
            "done": True,
            "seconds": state["preparation"]["seconds"],
        }
        assert state["cached_pages"] >= len(numbers) and state["cached_megabytes"] > 0
        assert "Toutes sont prêtes" in prepared.get("/etat").text
        # The prepared page is the one built for a visitor (the portal fixture builds it).
        for url in ["/", "/indicateurs/VACCIN_GRIPPE", *paths[:: max(1, len(paths) // 20)]]:
            _, body = pages.get(key_of(store, url))
            assert _without_load_date(body.decode()) == _without_load_date(portal.get(url).text)
    assert not app.state.warmup._thread.is_alive()  # stopped with the server


def _without_load_date(html: str) -> str:
    """The page without the day its data was read (the two portals may differ by a day)."""
    return re.sub(r"Données lues le [^.]*\.", "", html)


def test_the_state_page_is_never_cached(portal):
    first = portal.get("/etat.json").json()
    assert first["preparation"] is None  # this portal prepares nothing
    pages = portal.app.state.pages
    assert key_of(portal.app.state.store, "/etat.json") not in pages


def test_the_cache_is_bounded_by_size_least_recently_used_first():
    pages = Pages(max_bytes=10)
    pages.keep(("s", "/a", b""), [], b"aaaa")
    pages.keep(("s", "/b", b""), [], b"bbbb")
    assert pages.get(("s", "/a", b"")) is not None  # /a used: /b is now the oldest
    pages.keep(("s", "/c", b""), [], b"cccc")
    assert ("s", "/b", b"") not in pages and ("s", "/a", b"") in pages
    assert pages.size == 8 and len(pages) == 2
    pages.keep(("s", "/a", b""), [], b"a")  # replaced, not counted twice
    assert pages.size == 5


def test_requests_with_credentials_are_never_cached(portal):
    """The cache is keyed by URL: an answer to a signed-in user must not reach anyone else."""
    pages, store = portal.app.state.pages, portal.app.state.store
    url = "/recherche.json?q=lyon&page=3"
    portal.get(url, headers={"Authorization": "Bearer hsp_x"})
    assert key_of(store, "/recherche.json", b"q=lyon&page=3") not in pages
    portal.get(url, headers={"Cookie": "hospiscope_session=x"})
    assert key_of(store, "/recherche.json", b"q=lyon&page=3") not in pages
    portal.get(url)
    assert key_of(store, "/recherche.json", b"q=lyon&page=3") in pages

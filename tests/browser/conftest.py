"""Fixtures of the browser tests: the real portal (uvicorn in a background thread, on a free
port, on a copy of the small demo warehouse) and Debian's Chromium driven by Playwright (one
browser per run, one page per test).

Every page watches what it loads: a request to a host other than the test server, a
sub-resource answered 4xx/5xx, a failed request or a console error fails the test at teardown
(so a page that fetches something from elsewhere, or trips the Content-Security-Policy, fails).
Screenshots go to $HOSPISCOPE_ARTEFACTS/browser/ (default var/test-artefacts/browser/)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hospiscope.warehouse import Warehouse

from support import publish_everything

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000  # a step that takes longer is a failure, not something to wait for
LOCAL_SCHEMES = {"data", "blob", "about"}
_SHOTS: list[Path] = []


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium_path() -> str:
    """Debian's chromium; absent: skip on a developer's machine, fail in CI (never silent)."""
    path = shutil.which("chromium")
    if path:
        return path
    if in_ci():
        pytest.fail("chromium is missing in CI: `make test` installs it (`make browser-deps`)")
    pytest.skip("chromium is missing: `make browser-deps` installs Debian's chromium")


def artefacts_dir(config: pytest.Config) -> Path:
    base = os.environ.get("HOSPISCOPE_ARTEFACTS") or str(config.rootpath / "var" / "test-artefacts")
    return Path(base) / "browser"


# --- the browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


# --- the portal ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_warehouse(demo_warehouse, tmp_path_factory) -> Path:
    """A copy of the demo warehouse that only the browser tests' server reads."""
    path = tmp_path_factory.mktemp("navigateur") / "demo.duckdb"
    shutil.copy(demo_warehouse, path)
    publish_everything(path)
    return path


@pytest.fixture(scope="session")
def live_app(browser_warehouse):
    """The application that `live_portal` serves."""
    from hospiscope.web.app import create_app

    return create_app(browser_warehouse)


@pytest.fixture(scope="session")
def live_portal(live_app) -> str:
    """The portal served by uvicorn on 127.0.0.1 (a free port); its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(live_app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the portal did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def examples(browser_warehouse) -> dict[str, str]:
    """Values for the URL templates of the tests: an establishment with results, an indicator
    with national results."""
    with Warehouse(browser_warehouse, read_only=True) as wh:
        finess = wh.con.execute(
            """SELECT entity_id FROM results WHERE entity_kind = 'etablissement'
            AND value IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"""
        ).fetchall()[0][0]
        indicator = wh.con.execute(
            """SELECT indicator_code FROM results WHERE entity_kind = 'national'
            AND value IS NOT NULL ORDER BY 1 LIMIT 1"""
        ).fetchall()[0][0]
    return {"finess": finess, "indicateur": indicator}


@pytest.fixture(autouse=True)
def _fresh_sign_in_budget(request):
    """Every test signs in from 127.0.0.1, which the server limits to a few sign-ins per
    address and window (web/pages/signin.py): each test starts with a new visitor's budget,
    so that adding a test never makes a later one fail (the limit itself is tested in
    tests/web/test_signin.py)."""
    if "live_portal" in request.fixturenames:
        from hospiscope.web.pages.signin import Attempts

        request.getfixturevalue("live_app").state.sign_in_attempts = Attempts()


# --- one page per test ---------------------------------------------------------------------


@dataclass
class Watch:
    """What a page loaded that it should not have."""

    origin: str
    problems: list[str] = field(default_factory=list)
    failed_documents: set[str] = field(default_factory=set)

    def route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES or f"{parts.scheme}://{parts.netloc}" == self.origin:
            route.continue_()
            return
        self.problems.append(f"request to another host: {url}")
        route.abort()

    def response(self, response) -> None:
        if response.status < 400:
            return
        if response.request.is_navigation_request():
            self.failed_documents.add(response.url)  # an error page the test asked for
            return
        self.problems.append(f"sub-resource answered {response.status}: {response.url}")

    def request_failed(self, request) -> None:
        if request.failure == "net::ERR_ABORTED":
            return  # cancelled by the page itself (a navigation away); foreign ones are routed
        if urlsplit(request.url).netloc == urlsplit(self.origin).netloc:
            self.problems.append(f"request failed ({request.failure}): {request.url}")

    def console(self, message) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and location in self.failed_documents:
            return  # Chromium's own line about the error page's status
        self.problems.append(f"console error: {message.text} ({location})")

    def page_error(self, error) -> None:
        self.problems.append(f"uncaught exception in the page: {error}")


def watched_page(browser, origin: str, **options):
    """A page in its own context (no cookies or cache shared between tests), its base URL the
    test server, and the Watch of what it loads."""
    context = browser.new_context(
        base_url=origin, locale="fr-FR", viewport={"width": 1280, "height": 900}, **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    watch = Watch(origin=origin)
    context.route("**/*", watch.route)
    tab = context.new_page()
    tab.on("response", watch.response)
    tab.on("requestfailed", watch.request_failed)
    tab.on("console", watch.console)
    tab.on("pageerror", watch.page_error)
    return tab, watch


@pytest.fixture
def page(browser, live_portal, request):
    """A watched page; at teardown a screenshot, then the check of what it loaded."""
    tab, watch = watched_page(browser, live_portal)
    yield tab
    try:
        if not tab.is_closed() and tab.url.startswith(live_portal):
            screenshot(tab, request.config, request.node.name)
    finally:
        tab.context.close()
    if watch.problems:
        pytest.fail("the page loaded what it should not have:\n  " + "\n  ".join(watch.problems))


def screenshot(page, config: pytest.Config, name: str) -> Path:
    """A full-page screenshot in the artefacts folder (`name` made safe for a file name)."""
    folder = artefacts_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (re.sub(r"[^0-9A-Za-z_.-]+", "-", name).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    _SHOTS.append(path)
    return path


@pytest.fixture(scope="session", autouse=True)
def _fresh_artefacts(request):
    """Remove the screenshots of an earlier run (only ours: *.png of the browser folder)."""
    for old in artefacts_dir(request.config).glob("*.png"):
        old.unlink()


def pytest_terminal_summary(terminalreporter, config):
    if _SHOTS:
        terminalreporter.write_line(
            f"browser tests: {len(_SHOTS)} screenshots in {artefacts_dir(config)}/"
        )


# --- accessibility ---------------------------------------------------------------------------

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe():
    """`axe(page)` runs axe-core (the copy bundled in axe-playwright-python, nothing fetched)
    with the WCAG 2.1 A and AA rules and fails with a readable list of the violations."""
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}

    def check(page, context=None) -> None:
        violations = runner.run(page, context=context, options=options).response["violations"]
        if violations:
            pytest.fail(f"axe-core on {page.url}:\n" + describe(violations), pytrace=False)

    return check


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['html']}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)

"""Support for the real-browser tests: Debian chromium, a live server, axe-core.

Nothing is downloaded: Playwright drives the system chromium, and the pages load
HTMX from the vendored copy (``ASSETS=local``). Locally a missing chromium or HTMX
copy skips the tests with the fix in the reason; with ``CI=true`` it fails them.

Also a pytest plugin (``pytest_plugins`` in ``tests/conftest.py``): the fixtures
``browser``, ``live_server``, ``page``, ``page_without_js``, ``console_errors`` and
``failed_requests`` are shared by every ``tests/web/test_browser_*.py`` module. A module
using them sets ``db_backend`` to ``["sqlite"]`` (the browser checks the pages, not
the database backends).
"""

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from fastapi import FastAPI
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    Response,
    sync_playwright,
)
from sqlmodel import Session

from app.web import assets

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() == "true"

# axe-core rules for WCAG 2.1 level A and AA (the level the public sector must meet).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 667}


def require(problem: str | None) -> None:
    """Skip the test for ``problem``, or fail it in CI where browser tests are mandatory."""
    if problem is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true makes browser tests mandatory: {problem}")
    pytest.skip(problem)


def chromium_problem() -> str | None:
    if not CHROMIUM.exists():
        return "Debian chromium not installed (apt-get install chromium)"
    return None


def htmx_problem() -> str | None:
    if not (assets.VENDOR / "htmx.min.js").exists():
        return "vendored HTMX missing: run `make vendor` (app/static/vendor/htmx.min.js)"
    if not assets.verify():
        return "vendored HTMX does not match the pinned SRI: run `make vendor` again"
    return None


class LiveServer:
    """Uvicorn serving ``app`` on a free port of 127.0.0.1, in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"live server did not start on {self.url}")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


def wcag_violations(violations: list[dict]) -> list[dict]:
    return [v for v in violations if set(v.get("tags", ())) & set(WCAG_TAGS)]


def describe_violations(violations: list[dict]) -> str:
    """axe-core violations as readable lines: rule, impact, help and the offending nodes."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v.get("nodes", []):
            lines.append(f"    {node.get('target')}: {node.get('failureSummary', '')!r}")
    return "\n".join(lines)


def assert_meets_wcag(page: Page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    options = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations"]}
    violations = wcag_violations(Axe().run(page, options=options).response["violations"])
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def wait_for_htmx(page: Page) -> None:
    page.wait_for_function("() => window.htmx !== undefined")


def csp_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if "Content Security Policy" in e or e.startswith("uncaught")]


@contextmanager
def open_page(
    browser: Browser, errors: list[str], failed: list[str] | None = None, **context_args
) -> Iterator[Page]:
    """A page in a fresh context that records console errors and uncaught exceptions
    in ``errors`` and, if given, every failed request or HTTP error answer in ``failed``."""
    context = browser.new_context(**{"locale": "de-DE", "viewport": DESKTOP, **context_args})
    page = context.new_page()
    page.set_default_timeout(5000)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    if failed is not None:

        def on_response(response: Response) -> None:
            if response.status >= 400:
                failed.append(f"HTTP {response.status} {response.request.method} {response.url}")

        def on_request_failed(request: Request) -> None:
            failed.append(f"failed {request.method} {request.url}: {request.failure}")

        page.on("response", on_response)
        page.on("requestfailed", on_request_failed)
    try:
        yield page
    finally:
        context.close()


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require(chromium_problem())
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def live_app() -> Iterator[tuple[LiveServer, dict]]:
    """One server per test module; each test points it at its own database."""
    require(htmx_problem())
    from app.config import get_settings
    from app.db.session import get_session
    from app.main import create_app

    current: dict = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASSETS", "local")
        get_settings.cache_clear()
        app = create_app()

        def _session() -> Iterator[Session]:
            with Session(current["engine"]) as s:
                yield s

        app.dependency_overrides[get_session] = _session
        server = LiveServer(app)
        server.start()
        yield server, current
        server.stop()
    get_settings.cache_clear()


@pytest.fixture
def live_server(live_app, engine) -> Iterator[str]:
    """The live server's base URL, serving this test's database."""
    server, current = live_app
    current["engine"] = engine
    yield server.url
    current.clear()


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.fixture
def failed_requests() -> list[str]:
    return []


@pytest.fixture
def page(browser, console_errors, failed_requests) -> Iterator[Page]:
    with open_page(browser, console_errors, failed_requests) as p:
        yield p


@pytest.fixture
def page_without_js(browser, console_errors, failed_requests) -> Iterator[Page]:
    with open_page(browser, console_errors, failed_requests, java_script_enabled=False) as p:
        yield p

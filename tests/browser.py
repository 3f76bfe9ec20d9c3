"""Support for the real-browser tests: Debian chromium, a live server, axe-core.

Nothing is downloaded: Playwright drives the system chromium, and the pages load
HTMX from the vendored copy (``ASSETS=local``). Locally a missing chromium or HTMX
copy skips the tests with the fix in the reason; with ``CI=true`` it fails them.
"""

import os
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from app import assets

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
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
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._sock]}, daemon=True)

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

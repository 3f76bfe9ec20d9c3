"""No personal data in logs: what people type (search words, places, form fields) never
reaches a log line; the access log has method, path, status and time; the server does
not announce its software. Checked in process on every route of the route table, and on
a real uvicorn started with the flags of the Makefile."""

import http.server
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.db import migrate
from app.main import create_app
from tests.factories import add_districts
from tests.security.routes import requests_for

ROOT = Path(__file__).resolve().parents[2]
MARKER = "Musterfrau Lindenallee 17"  # stands for a name and an address someone typed


class _Failing(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def failing_geocoder(monkeypatch):  # noqa: ANN001, ANN201
    """A geocoder that answers 500 (httpx then names the URL, with what was typed)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("GEOCODER_URL", f"http://127.0.0.1:{server.server_port}/search")
    get_settings.cache_clear()
    yield
    server.shutdown()
    get_settings.cache_clear()


def test_nothing_typed_reaches_the_logs_on_any_route(
    client, session, data_dir, caplog, failing_geocoder, auth_headers
):
    add_districts(session, data_dir)
    caplog.set_level(logging.DEBUG)
    queries = (
        {"q": MARKER, "nahe": MARKER, "bezirk": MARKER, "seite": MARKER},
        {"nahe": MARKER},
    )  # the second reaches the geocoder
    for method, url, route in requests_for(client.app, {}):
        for query in queries:
            if route.writes:
                client.request(
                    method,
                    url,
                    params=query,
                    headers=auth_headers,
                    data={"name": MARKER, "notes": MARKER},
                )
                client.request(method, url, json={"name": MARKER}, headers=auth_headers)
            else:
                client.request(method, url, params=query)
    assert "geocoder unavailable" in caplog.text  # the failing geocoder was asked
    assert re.search(r"GET /angebote 200 \d+\.\dms", caplog.text)
    for typed in (MARKER, "Musterfrau", "Lindenallee", "Musterfrau+Lindenallee"):
        assert typed not in caplog.text


def test_an_unhandled_error_logs_where_it_happened_but_not_its_message(caplog):
    app = create_app()

    @app.get("/kaputt")
    def broken(q: str = "") -> None:
        raise ValueError(f"kann {q} nicht lesen")

    caplog.set_level(logging.DEBUG)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/kaputt", params={"q": MARKER}).status_code == 500
    assert "unhandled ValueError on GET /kaputt" in caplog.text
    assert "test_logs.py" in caplog.text  # the stack is there
    assert MARKER not in caplog.text


def uvicorn_command() -> list[str]:
    """The server command line of ``make run`` (the Makefile's UVICORN variable)."""
    makefile = (ROOT / "Makefile").read_text()
    definition = re.search(r"^UVICORN := (.*?[^\\])$", makefile, re.M | re.S).group(1)
    words = definition.replace("\\\n", " ").split()
    assert words[0].endswith("uvicorn")
    return [sys.executable, "-m", "uvicorn", *words[1:]]


def test_make_run_and_the_container_start_the_server_quietly():
    command = " ".join(uvicorn_command())
    entrypoint = (ROOT / "scripts" / "docker-entrypoint.sh").read_text()
    for flag in ("--no-server-header", "--no-access-log", "--log-config app/logging.json"):
        assert flag in command
        assert flag in entrypoint.replace("\\\n", " ").replace("  ", " ")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_real_server_logs_no_query_and_names_no_software(tmp_path):
    url = f"sqlite:///{tmp_path / 'log.db'}"
    migrate.upgrade(url)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "ASSETS": "local"}
    proc = subprocess.Popen(
        [*uvicorn_command(), "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        search = httpx.get(f"{base}/angebote", params={"q": MARKER, "nahe": MARKER})
        posted = httpx.post(f"{base}/angebote", data={"name": MARKER})
        missing = httpx.get(f"{base}/gibt-es-nicht", params={"q": MARKER})
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert search.status_code == 200 and posted.status_code == 405
    for response in (search, posted, missing):
        assert "server" not in response.headers, response.headers.get("server")
    assert "GET /angebote 200" in output and "POST /angebote 405" in output
    assert "GET /gibt-es-nicht 404" in output
    assert MARKER not in output and "Lindenallee" not in output
    assert "q=" not in output

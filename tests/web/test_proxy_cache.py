"""The pages behind a real caching reverse proxy: Debian's nginx with ``proxy_cache``,
honouring the app's ``Cache-Control`` and ``Vary`` as any city's proxy or CDN would,
in front of a real Uvicorn server of the app. The HTMX fragment of ``/planung`` and
``/angebote`` shares its URL with the page; the proxy must never hand one out for the
other, nor one language for the other (issue 16, point 1).

nginx runs unprivileged from a temporary directory (``-p``/``-c``/``-e``, ``daemon
off``, pid, logs, temp and cache paths inside it). Locally a missing nginx skips the
tests with the reason; with ``CI=true`` (``.ci/run`` installs ``nginx-light``) it
fails them.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from tests.browser import LiveServer
from tests.factories import add_planning_inputs, make_offer

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)

NGINX = Path("/usr/sbin/nginx")
IN_CI = os.environ.get("CI", "").lower() == "true"

CONFIG = """\
daemon off;
worker_processes 1;
{user}
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    # Kept as long as the app's Cache-Control says, one variant per Vary.
    proxy_cache_path {root}/cache levels=1:2 keys_zone=pages:1m max_size=64m inactive=10m;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_cache pages;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CachingProxy:
    """nginx with ``proxy_cache`` in front of ``upstream``, in a directory of its own."""

    def __init__(self, upstream: int) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fw-nginx-"))
        (self.root / "tmp").mkdir()
        user = ""
        if os.geteuid() == 0:  # workers drop to nobody: they must reach the directory
            self.root.chmod(0o755)
            user = "user nobody nogroup;"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = self.root / "nginx.conf"
        config.write_text(
            CONFIG.format(user=user, root=self.root, port=self.port, upstream=upstream)
        )
        self.process = subprocess.Popen(
            [str(NGINX), "-p", str(self.root), "-c", str(config), "-e", str(self.root / "e.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"nginx did not start: {self.log()}") from None
                time.sleep(0.05)

    def log(self) -> str:
        errors = self.root / "error.log"
        return errors.read_text() if errors.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # this nginx's master only: a fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process.stderr:
            self.process.stderr.close()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def proxy(engine) -> Iterator[httpx.Client]:
    """A client of nginx, which caches in front of a real server of the app serving
    this test's database."""
    if not NGINX.exists():
        problem = "Debian nginx not installed (apt-get install nginx-light)"
        if IN_CI:
            pytest.fail(f"CI=true makes the proxy tests mandatory: {problem}")
        pytest.skip(problem)
    from app.db.session import get_session
    from app.main import create_app

    app = create_app()

    def _session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    server = LiveServer(app)
    server.start()
    nginx = None
    try:
        nginx = CachingProxy(int(server.url.rsplit(":", 1)[1]))
        with httpx.Client(base_url=nginx.url, timeout=30) as client:
            yield client
        assert "[crit]" not in nginx.log() and "[emerg]" not in nginx.log(), nginx.log()
    finally:
        if nginx is not None:
            nginx.stop()
        server.stop()


@pytest.fixture
def city(session, data_dir):
    add_planning_inputs(session, data_dir)
    make_offer(session, name="Kita Sonnen (generiert)", category="kita", lon=7.2162, lat=51.4818)
    make_offer(session, name="OGS Sonnen (generiert)", category="ogs", lon=7.21, lat=51.47)
    return session


HX = {"HX-Request": "true"}
# The URLs HTMX fetches: every field of the form, which is also what the form sends
# without JavaScript.
PAGES = {
    "/planung?mass=je_1000&art=ogs&klassen=natuerlich": 'id="planning-form"',
    "/angebote?q=Sonnen&kategorie=kita&bezirk=&alter=&nahe=&umkreis=&lat=&lon=": (
        'id="search-form"'
    ),
}


def assert_whole_page(response: httpx.Response, form: str) -> None:
    assert response.status_code == 200
    body = response.text
    assert body.lstrip().startswith("<!doctype html>"), body[:200]
    assert '<header class="site-header">' in body
    assert form in body
    assert 'rel="stylesheet" href="/static/css/site.css"' in body


def assert_fragment(response: httpx.Response) -> None:
    assert response.status_code == 200
    assert "<!doctype html>" not in response.text and "site-header" not in response.text


@pytest.mark.parametrize("url", list(PAGES))
def test_the_proxy_hands_the_next_person_the_page_not_the_fragment_htmx_asked_for(proxy, city, url):
    fragment = proxy.get(url, headers=HX)
    assert_fragment(fragment)

    page = proxy.get(url)
    assert_whole_page(page, PAGES[url])
    again = proxy.get(url)
    assert_whole_page(again, PAGES[url])
    assert again.headers["x-cache-status"] == "HIT", "the proxy did not cache the page"

    # ... and the page the proxy keeps never lands in the results of an HTMX swap.
    assert_fragment(proxy.get(url, headers=HX))


@pytest.mark.parametrize("url", list(PAGES))
def test_a_history_restore_through_the_proxy_gets_the_whole_page(proxy, city, url):
    assert_fragment(proxy.get(url, headers=HX))
    restore = {**HX, "HX-History-Restore-Request": "true"}  # HTMX's default restore
    assert_whole_page(proxy.get(url, headers=restore), PAGES[url])
    assert_whole_page(proxy.get(url, headers={"HX-History-Restore-Request": "true"}), PAGES[url])


def test_the_proxy_keeps_the_languages_apart(proxy, city):
    german = proxy.get("/angebote?q=Sonnen")
    assert german.headers["content-language"] == "de"
    assert proxy.get("/angebote?q=Sonnen").headers["x-cache-status"] == "HIT"
    english = proxy.get("/angebote?q=Sonnen", headers={"Cookie": "lang=en"})
    assert english.headers["content-language"] == "en"
    assert 'lang="en"' in english.text and "Search" in english.text
    assert proxy.get("/angebote?q=Sonnen").headers["content-language"] == "de"

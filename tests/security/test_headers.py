"""The route table walked: every route, every method, and the surface around them
(HEAD, 405, 404, static files, HTTPS). Every answer, errors included, carries the
security headers; with ``ASSETS=local`` scripts come from this site only; no page has
inline script, inline style or event-handler attributes; every third-party script is
pinned with SRI.

Routes come from the app's route table, so routes merged later are walked too.
"""

import re

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.main import create_app
from tests.factories import add_districts
from tests.security.hostile import make_hostile_offer, xss_offer_fields
from tests.security.pages import page_parts
from tests.security.routes import get_routes, requests_for, routes

EVERY_TIME = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def assert_security_headers(response, what: str, https: bool = False) -> None:  # noqa: ANN001
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp, what
    assert "object-src 'none'" in csp and "base-uri 'self'" in csp, what
    for name, value in EVERY_TIME.items():
        assert headers.get(name) == value, f"{what}: {name}={headers.get(name)!r}"
    assert "camera=()" in headers.get("permissions-policy", ""), what
    assert ("strict-transport-security" in headers) == https, what
    if https:
        assert "max-age=31536000" in headers["strict-transport-security"]


@pytest.fixture
def values(session, data_dir) -> dict[str, object]:  # noqa: ANN001
    """Path values that exist: the districts and an offer (with hostile text)."""
    add_districts(session, data_dir)
    offer = make_hostile_offer(session, xss_offer_fields())
    return {"offer_id": offer.id, "id": offer.id, "slug": "mitte"}


def test_every_route_and_method_answers_with_the_security_headers(client, values, auth_headers):
    seen = 0
    for method, url, route in requests_for(client.app, values):
        for headers in ({}, auth_headers) if route.writes and auth_headers else ({},):
            response = client.request(
                method, url, headers=headers, json={} if route.writes else None
            )
            what = f"{method} {url} -> {response.status_code}"
            assert response.status_code < 500, what
            assert_security_headers(response, what)
            seen += 1
    assert seen >= len(routes(client.app))


def test_errors_static_files_and_unknown_paths_carry_the_headers_too(client):
    for method, url, status in (
        ("GET", "/gibt-es-nicht", 404),
        ("GET", "/gibt-es-nicht.json", 404),
        ("GET", "/static/css/site.css", 200),
        ("GET", "/static/fehlt.css", 404),
        ("DELETE", "/angebote", 405),
        ("GET", "/angebote/0", 404),
        ("GET", "/angebote.json?seite=0", 422),
    ):
        response = client.request(method, url)
        assert response.status_code == status, url
        assert_security_headers(response, f"{method} {url}")


def test_over_https_every_answer_adds_strict_transport_security(engine, values):
    from sqlmodel import Session

    from app.db.session import get_session

    app = create_app()

    def _session():  # noqa: ANN202
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app, base_url="https://testserver") as client:
        for route in get_routes(app):
            url = route.url(values)
            assert_security_headers(client.get(url), f"https GET {url}", https=True)
        assert_security_headers(client.get("/gibt-es-nicht"), "https 404", https=True)


def test_head_is_answered_wherever_get_is_without_a_body(client, values):
    for route in get_routes(client.app):
        url = route.url(values)
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code, url
        assert head.content == b"", url
        assert head.headers.get("content-type") == got.headers.get("content-type"), url
        assert_security_headers(head, f"HEAD {url}")


def test_a_method_a_route_does_not_take_is_a_405_naming_those_it_does(client, values):
    for route in routes(client.app):
        refused = next(m for m in ("DELETE", "PATCH", "PUT", "POST") if m not in route.methods)
        siblings = set().union(*(r.methods for r in routes(client.app) if r.path == route.path))
        if refused in siblings:
            continue
        response = client.request(refused, route.url(values))
        assert response.status_code == 405, f"{refused} {route.path}"
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert route.methods <= allowed, f"{route.path}: Allow {allowed}"
        if "GET" in route.methods:
            assert "HEAD" in allowed
        assert_security_headers(response, f"{refused} {route.path}")


@pytest.fixture
def app_with_assets(engine, monkeypatch):  # noqa: ANN001, ANN201
    """A factory: the app on this test's database with ASSETS set as asked."""
    from sqlmodel import Session

    from app.db.session import get_session

    def make(assets: str) -> TestClient:
        monkeypatch.setenv("ASSETS", assets)
        get_settings.cache_clear()
        app = create_app()

        def _session():  # noqa: ANN202
            with Session(engine) as s:
                yield s

        app.dependency_overrides[get_session] = _session
        return TestClient(app)

    yield make
    get_settings.cache_clear()


def html_pages(client: TestClient, values: dict) -> list[tuple[str, str]]:
    pages = []
    for route in get_routes(client.app):
        url = route.url(values)
        response = client.get(url)
        if response.headers.get("content-type", "").startswith("text/html"):
            pages.append((url, response.text))
    return pages


def test_with_local_assets_scripts_come_from_this_site_only(app_with_assets, values):
    client = app_with_assets("local")
    csp = client.get("/").headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1).strip()
    assert script_src == "'self'"
    assert "https:" not in csp and "cdn" not in csp
    pages = html_pages(client, values)
    assert len(pages) >= 5
    for url, html in pages:
        parts = page_parts(html)
        for script in parts.scripts:
            assert (script.get("src") or "").startswith("/static/"), (url, script)
        for href in parts.stylesheets:
            # this site's static files, or a stylesheet this site renders (the printed
            # report's running title in the page's language)
            assert href.startswith("/static/") or href.startswith("/planung/"), (url, href)


def test_no_page_has_inline_script_inline_style_or_event_handlers(app_with_assets, values):
    for assets in ("local", "cdn"):
        client = app_with_assets(assets)
        for url, html in html_pages(client, values):
            parts = page_parts(html)
            assert not parts.inline_scripts, (url, parts.inline_scripts)
            assert not parts.style_attributes, (url, parts.style_attributes)
            assert not parts.handlers, (url, parts.handlers)
            assert not parts.style_elements, url


PINNED = re.compile(r"@\d+\.\d+\.\d+/")


def test_every_third_party_script_is_pinned_and_checked_by_sri(app_with_assets, values):
    client = app_with_assets("cdn")
    external = 0
    for url, html in html_pages(client, values):
        for script in page_parts(html).scripts:
            src = script.get("src") or ""
            if src.startswith("/"):
                continue
            external += 1
            assert src.startswith("https://"), (url, src)
            assert PINNED.search(src), f"{url}: unpinned script {src}"
            assert (script.get("integrity") or "").startswith("sha384-"), (url, src)
            assert script.get("crossorigin") == "anonymous", (url, src)
    assert external, "with ASSETS=cdn the pages load HTMX from the CDN"

"""The database going away: through a TCP proxy between the app and PostgreSQL that the
test cuts and restores (the shared server keeps running), requests get a German 503
page or JSON with ``Retry-After`` and the security headers, never a stack trace, and
the app recovers by itself when the database is back: no restart, no manual step."""

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.config import get_settings
from app.db.session import get_session, make_engine
from app.main import create_app
from tests.factories import make_offer
from tests.security.tcpproxy import TcpProxy

pytestmark = pytest.mark.parametrize("db_backend", ["postgres"], indirect=True)

PAGES = ("/", "/angebote", "/karte", "/bezirke")
TWINS = ("/angebote.json", "/angebote.csv", "/bezirke.json")


@pytest.fixture
def through_proxy(engine, session, monkeypatch):  # noqa: ANN001, ANN201
    """(client, proxy, offer id): the app on this test's database, reached through the
    proxy, with the app's own engine settings (pre-ping, a 2 s connect timeout)."""
    offer = make_offer(session, name="Kita Erreichbar (generiert)")
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "2")
    get_settings.cache_clear()
    url = make_url(engine.url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxied = make_engine(
        url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    )
    app = create_app()

    def _session():  # noqa: ANN202
        with Session(proxied) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, proxy, offer.id
    proxy.stop()
    proxied.dispose()
    get_settings.cache_clear()


def assert_all_served(client: TestClient, offer_id: int) -> None:
    for url in (*PAGES, *TWINS, f"/angebote/{offer_id}", f"/angebote/{offer_id}.json"):
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"


def assert_unavailable(client: TestClient, offer_id: int) -> None:
    for url in (*PAGES, f"/angebote/{offer_id}"):
        response = client.get(url)
        assert response.status_code == 503, f"{url}: {response.status_code}"
        assert response.headers["content-type"].startswith("text/html")
        assert "weil die Datenbank nicht antwortet" in response.text
        assert response.headers["retry-after"] == "30"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        for leak in ("Traceback", "psycopg", "OperationalError", "127.0.0.1"):
            assert leak not in response.text, f"{url} shows {leak}"
    for url in (*TWINS, f"/angebote/{offer_id}.json"):
        response = client.get(url)
        assert response.status_code == 503, f"{url}: {response.status_code}"
        assert response.json() == {
            "detail": "Der Dienst ist vorübergehend nicht erreichbar. "
            "Bitte versuchen Sie es in einigen Minuten "
            "noch einmal."
        }
        assert response.headers["retry-after"] == "30"
    assert client.get("/healthz").status_code == 200  # the process itself is fine


def test_a_database_that_goes_away_is_a_503_and_the_app_recovers_by_itself(through_proxy):
    client, proxy, offer_id = through_proxy
    assert_all_served(client, offer_id)
    for _ in range(2):  # down and back, twice: the pool recovers each time
        proxy.cut()
        assert_unavailable(client, offer_id)
        proxy.restore()
        assert_all_served(client, offer_id)


def test_a_database_that_does_not_answer_is_a_503_within_the_connect_timeout(through_proxy):
    client, proxy, offer_id = through_proxy
    assert_all_served(client, offer_id)
    proxy.hang()
    started = time.monotonic()
    response = client.get("/angebote.json")
    waited = time.monotonic() - started
    assert response.status_code == 503
    assert waited < 8, f"waited {waited:.1f} s for a database that does not answer"
    proxy.restore()
    assert_all_served(client, offer_id)

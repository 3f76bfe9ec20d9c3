"""The public pages' response cache: validators for browsers and CDNs, a new answer
after every write, nothing private kept."""

import time
from datetime import datetime

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from app.catalogue.write import update_offer
from app.web.cache import ResponseCache, depends_on_clock
from app.web.cache_version import VersionClock
from tests.factories import STAFF, add_planning_inputs, make_offer


def test_public_pages_carry_an_etag_and_may_be_kept_by_a_proxy(client, session):
    make_offer(session, name="Kita Cache (generiert)")
    for path in ("/angebote?q=cache", "/angebote.json?q=cache", "/bezirke", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["etag"].startswith('"')
        assert response.headers["cache-control"].startswith("public, max-age=")
        assert "Accept-Encoding" in response.headers["vary"]
        again = client.get(path, headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert "content-security-policy" in again.headers


def test_a_write_through_the_write_path_changes_the_answer_at_once(client, session):
    offer = make_offer(session, name="Kita Altname (generiert)")
    first = client.get(f"/angebote/{offer.id}")
    assert "Kita Altname" in first.text
    update_offer(session, offer, {"name": "Kita Neuname (generiert)"}, STAFF)
    session.commit()
    second = client.get(f"/angebote/{offer.id}", headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200 and "Kita Neuname" in second.text
    assert second.headers["etag"] != first.headers["etag"]


def test_the_same_page_comes_compressed_to_who_asks(client, session):
    make_offer(session, name="Kita Gzip (generiert)")
    plain = client.get("/angebote", headers={"Accept-Encoding": "identity"})
    packed = client.get("/angebote", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.text == plain.text  # httpx decompresses
    assert int(packed.headers["content-length"]) < len(plain.content) / 3
    again = client.get("/angebote", headers={"Accept-Encoding": "identity"})  # from memory
    assert "content-encoding" not in again.headers
    assert again.content == plain.content
    assert int(again.headers["content-length"]) == len(plain.content)


def test_language_and_htmx_answers_are_kept_apart(client, session):
    make_offer(session, name="Kita Sprache (generiert)")
    german = client.get("/angebote")
    english = client.get("/angebote", params={"lang": "en"})
    assert "set-cookie" in english.headers  # never served from or into the cache
    assert english.headers["content-language"] == "en"
    assert client.get("/angebote").headers["content-language"] == "en"  # the cookie
    client.cookies.clear()
    assert client.get("/angebote").text == german.text
    partial = client.get("/angebote", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "<html" in german.text


def test_staff_pages_and_the_api_are_never_kept(client, session):
    offer = make_offer(session, name="Kita API (generiert)")
    sign_in = client.get("/verwaltung/anmelden")
    assert sign_in.headers["cache-control"] == "no-store"
    assert "etag" not in sign_in.headers
    api = client.get(f"/api/v1/offers/{offer.id}")
    assert "public" not in api.headers.get("cache-control", "")


HTMX_VARY = ("HX-Request", "HX-History-Restore-Request", "Cookie", "Accept-Encoding")


def vary_of(response) -> set[str]:
    return {v.strip() for v in response.headers["vary"].split(",")}


def test_a_page_and_its_htmx_fragment_say_they_differ_and_the_fragment_is_never_stored(
    client, session, data_dir
):
    add_planning_inputs(session, data_dir)
    make_offer(session, name="Kita Vary (generiert)", category="ogs")
    for url in ("/angebote?q=vary", "/planung?art=ogs"):
        for _ in range(2):  # built, then from memory
            page = client.get(url)
            fragment = client.get(url, headers={"HX-Request": "true"})
            assert "<html" in page.text and "<html" not in fragment.text, url
            assert vary_of(page) >= set(HTMX_VARY), url
            assert vary_of(fragment) >= set(HTMX_VARY), url
            assert page.headers["cache-control"].startswith("public, max-age="), url
            assert fragment.headers["cache-control"] == "no-store", url
            assert fragment.headers["etag"] != page.headers["etag"], url
        # The fragment's validator never revalidates the page, nor the page's the fragment.
        stale = client.get(url, headers={"If-None-Match": fragment.headers["etag"]})
        assert stale.status_code == 200 and "<html" in stale.text


def test_a_history_restore_gets_the_whole_page_even_when_it_says_hx_request(client, session):
    make_offer(session, name="Kita Zurück (generiert)")
    assert "<html" not in client.get("/angebote?q=zur", headers={"HX-Request": "true"}).text
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    for _ in range(2):  # built, then from memory
        page = client.get("/angebote?q=zur", headers=restore)
        assert "<html" in page.text and 'id="search-form"' in page.text
        assert page.headers["cache-control"].startswith("public")
        assert "HX-Push-Url" not in page.headers


def test_pages_htmx_does_not_swap_do_not_vary_on_htmx(client, session):
    offer = make_offer(session, name="Kita Ohne HTMX (generiert)")
    for url in (f"/angebote/{offer.id}", "/bezirke", "/angebote.json?q=htmx"):
        response = client.get(url, headers={"HX-Request": "true"})
        assert "HX-Request" not in vary_of(response), url
        assert {"Cookie", "Accept-Encoding"} <= vary_of(response), url


def clock_app(seconds: int, built: list[datetime]) -> TestClient:
    """The response cache in front of one page that depends on the clock."""

    async def opening_hours(request: Request) -> PlainTextResponse:
        moment = depends_on_clock(request, seconds)
        built.append(moment)
        return PlainTextResponse(f"offen um {moment:%H:%M:%S}")

    app = Starlette(routes=[Route("/angebote", opening_hours)])
    return TestClient(ResponseCache(app, clock=VersionClock(lambda: "v1", 60), max_age=60))


def test_an_answer_that_depends_on_the_clock_is_kept_only_to_the_end_of_its_period():
    built: list[datetime] = []
    client = clock_app(2, built)
    while time.time() % 2 > 0.5:  # start early in a period of 2 s
        time.sleep(0.05)
    first = client.get("/angebote")
    second = client.get("/angebote")
    assert second.text == first.text and len(built) == 1  # from memory
    assert built[0].timestamp() % 2 == 0 and built[0].tzinfo is not None
    for response in (first, second):
        control = response.headers["cache-control"]
        assert control in ("public, max-age=1", "public, max-age=2"), control
    time.sleep(2 - time.time() % 2 + 0.05)  # the next period
    third = client.get("/angebote")
    assert len(built) == 2 and third.text != first.text
    assert (built[1] - built[0]).total_seconds() == 2


def test_the_worker_that_wrote_serves_the_new_page_at_once_whatever_the_ttl(
    engine, session, monkeypatch
):
    # The token is read at most once per ttl; a write committed in this worker forgets
    # it, so the person who saved never sees the page from before (production: 0.5 s).
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from app.config import get_settings
    from app.db.session import get_session
    from app.main import create_app

    monkeypatch.setenv("CACHE_VERSION_TTL", "30")
    get_settings.cache_clear()
    try:
        app = create_app()
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()

    def _session():  # noqa: ANN202
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    offer = make_offer(session, name="Kita Vorher (generiert)")
    with TestClient(app) as client:
        assert "Kita Vorher" in client.get(f"/angebote/{offer.id}").text
        assert "Kita Vorher" in client.get(f"/angebote/{offer.id}").text  # kept
        update_offer(session, offer, {"name": "Kita Nachher (generiert)"}, STAFF)
        session.commit()
        assert "Kita Nachher" in client.get(f"/angebote/{offer.id}").text

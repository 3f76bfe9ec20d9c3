"""The public pages' response cache: validators for browsers and CDNs, a new answer
after every write, nothing private kept."""

from app.catalogue.write import update_offer
from tests.factories import STAFF, make_offer


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

"""Hostile text in every text field of an offer, and in every text parameter, renders
escaped on every page that shows it: no markup of it reaches a page, and no template
evaluates it (``{{7*7}}`` stays as typed). Chromium opens no dialog on any of them
(``test_browser_xss.py``)."""

import pytest

from tests.factories import add_districts
from tests.security.hostile import (
    RAW_MARKUP,
    TEMPLATE,
    make_hostile_offer,
    xss_offer_fields,
)
from tests.security.xss_pages import hostile_urls


@pytest.fixture
def hostile(session, data_dir):  # noqa: ANN001, ANN201
    add_districts(session, data_dir)
    offer = make_hostile_offer(session, xss_offer_fields())
    assert offer.district_slug == "mitte"
    return {"offer_id": offer.id, "id": offer.id, "slug": "mitte"}


def test_hostile_text_is_escaped_on_every_page_that_shows_it(client, hostile):
    shown_on = []
    for url in hostile_urls(client.app, hostile, "Testkita"):
        response = client.get(url)
        assert response.status_code < 500, url
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        html = response.text
        for markup in RAW_MARKUP:
            assert markup not in html, f"{url}: unescaped {markup!r}"
        assert "49 (generiert)" not in html, f"{url}: a template evaluated data"
        if "Testkita" in html:
            shown_on.append(url)
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
            assert (
                f"Testkita &lt;script&gt;alert(1)&lt;/script&gt; "
                f"&#34;&gt;&lt;img src=x onerror=alert(2)&gt; {TEMPLATE}" in html
            ), url
    offer_page = f"/angebote/{hostile['offer_id']}"
    assert offer_page in shown_on
    assert any(u.startswith("/angebote?q=") for u in shown_on)
    assert any(u.startswith("/karte?q=") for u in shown_on)
    assert "/bezirke/mitte" in shown_on


def test_every_hostile_field_reaches_the_offer_page_escaped(client, hostile):
    html = client.get(f"/angebote/{hostile['offer_id']}").text
    for label in (
        "Beschreibung",
        "Zielgruppe",
        "Kosten",
        "Hinweis",
        "Träger",
        "Straße",
        "Sprache",
        "Quelle",
    ):
        assert f"{label} &lt;script&gt;alert(1)&lt;/script&gt;" in html, label
    assert "onerror=alert(3)" not in html.replace("&gt;", ">").split('href="')[0]
    assert 'href="https://beispiel.invalid/&#34;&gt;&lt;img/src=x/onerror=alert(3)&gt;"' in html


def test_hostile_text_in_json_is_data_not_markup(client, hostile):
    response = client.get(f"/angebote/{hostile['offer_id']}.json")
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.json()["name"].startswith("Testkita <script>")

"""The public pages as a parent sees them (HTML over HTTP)."""

import re
from datetime import date
from html import unescape

from app.config import get_settings
from tests.factories import add_districts, make_offer


def test_home_lists_offer_kinds_with_counts_as_links(client, session):
    make_offer(session, name="Kita Am Park", category="kita")
    make_offer(session, name="Kita Sonne", category="kita")
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/angebote?kategorie=kita"' in page.text
    assert "2 Einträge" in page.text
    assert 'href="/angebote?kategorie=begruessungsteam"' in page.text


def test_home_links_to_the_districts_the_map_and_a_near_me_search(client, session, data_dir):
    add_districts(session, data_dir)
    make_offer(
        session,
        name="Kita Hollandstraße",
        category="kita",
        district="wattenscheid",
        lat=51.4862,
        lon=7.1184,
    )  # in the postcode area 44866
    page = client.get("/").text
    main = page[page.index("<main") : page.index("</main>")]  # not the site navigation
    assert 'href="/bezirke"' in main
    assert 'href="/karte"' in main

    forms = re.findall(r"<form([^>]*)>(.*?)</form>", main, re.S)
    near = [(attrs, body) for attrs, body in forms if 'name="nahe"' in body]
    assert len(near) == 1, "the home page has no near-me form"
    attrs, body = near[0]
    assert 'method="get"' in attrs and 'action="/angebote"' in attrs
    field = re.search(r'<input[^>]*name="nahe"[^>]*>', body).group(0)
    field_id = re.search(r'id="([^"]+)"', field).group(1)
    label = re.search(rf'<label for="{field_id}">([^<]*)</label>', body)
    assert label and unescape(label.group(1)) == "Postleitzahl, Straße oder Stadtteil"

    found = client.get("/angebote", params={"nahe": "44866"})  # what submitting it asks
    assert found.status_code == 200
    assert "Kita Hollandstraße" in found.text and "Postleitzahlgebiet 44866" in found.text


def test_detail_page_shows_everything_known_and_says_what_is_not(client, session, data_dir):
    add_districts(session, data_dir)
    offer = make_offer(
        session,
        name="Familienzentrum Lindenhof",
        category="familienzentrum",
        district="suedwest",
        street="Lindenstraße 5",
        postcode="44879",
        lat=51.43,
        lon=7.18,
        provider_name="AWO Unterbezirk Ruhr-Mitte",
        website="www.example.org",
        contact_phone="0234 123456",
        languages=["Deutsch", "Türkisch"],
        barrier_free=True,
        age_min=0,
        age_max=6,
        last_verified=date(2023, 8, 18),
    )
    page = client.get(f"/angebote/{offer.id}")
    text = page.text
    assert page.status_code == 200
    for expected in (
        "Familienzentrum Lindenhof",
        "Lindenstraße 5",
        "44879",
        "Südwest",
        "AWO Unterbezirk Ruhr-Mitte",
        "0234 123456",
        "https://www.example.org",
        "Deutsch, Türkisch",
        "0 bis 6 Jahre",
        "18.08.2023",
    ):
        assert expected in text, expected
    assert "Öffnungszeiten" in text and "keine Angabe" in text


def test_offer_without_coordinates_is_marked_not_yet_on_the_map(client, session):
    offer = make_offer(
        session,
        name="Jugendtreff Frankenweg",
        category="jugendfreizeithaus",
        street="Frankenweg 47",
    )
    assert "Noch nicht auf der Karte" in client.get(f"/angebote/{offer.id}").text
    assert "Noch nicht auf der Karte" in client.get("/angebote").text


def test_unknown_offer_gets_a_helpful_german_404(client):
    page = client.get("/angebote/999999")
    assert page.status_code == 404
    assert "Ein Angebot mit der Nummer 999999 gibt es nicht" in page.text
    assert 'href="/angebote"' in page.text
    assert client.get("/angebote/999999.json").status_code == 404
    assert client.get("/angebote/keine-zahl").status_code == 404
    assert client.get("/angebote/99999999999999999999").status_code == 404


def test_offer_json_twin(client, session):
    offer = make_offer(session, name="Kita Wiesenweg", category="kita", lat=51.47, lon=7.2)
    data = client.get(f"/angebote/{offer.id}.json").json()
    assert data["name"] == "Kita Wiesenweg" and data["lat"] == 51.47


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_footer_and_about_page_name_sources_and_licences(client):
    for path in ("/", "/ueber"):
        text = client.get(path).text
        assert "Datenquelle: Stadt Bochum, Open Data (CC0)" in text
        assert "© OpenStreetMap-Mitwirkende, ODbL 1.0" in text
    assert "Bochum im Überblick 2018" in client.get("/ueber").text


def test_pages_send_a_strict_content_security_policy(client):
    csp = client.get("/").headers["content-security-policy"]
    assert "script-src 'self' https://cdn.jsdelivr.net" in csp and "unsafe-inline" not in csp


def test_htmx_request_gets_only_the_results_fragment(client, session):
    make_offer(session, name="Kita Lerchenfeld", category="kita")
    fragment = client.get("/angebote", params={"q": "Lerchen"}, headers={"HX-Request": "true"})
    assert "Kita Lerchenfeld" in fragment.text
    assert "<html" not in fragment.text and 'id="live-status"' in fragment.text


def test_cdn_script_tag_carries_the_pinned_version_and_sri(client):
    settings = get_settings()
    if settings.assets == "cdn":
        text = client.get("/").text
        assert 'integrity="sha384-' in text and "htmx.org@2.0.11" in text


def test_english_is_chosen_by_parameter_and_remembered(client):
    page = client.get("/", params={"lang": "en"})
    assert '<html lang="en">' in page.text
    assert client.cookies.get("lang") == "en"


def test_german_is_the_default_whatever_the_browser_asks_for(client):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="de">' in page.text


def test_detail_page_shows_where_the_offer_is_on_a_small_map(client, session, data_dir):
    add_districts(session, data_dir)
    placed = make_offer(session, name="Kita Am Stadtpark", lat=51.4860, lon=7.2240)
    unplaced = make_offer(session, name="Jugendtreff ohne Adresse", category="jugendfreizeithaus")
    page = client.get(f"/angebote/{placed.id}").text
    assert '<svg class="map-svg"' in page and 'class="map-marker map-kind-kita"' in page
    assert "Kita Am Stadtpark liegt im Stadtbezirk Mitte." in page  # the location in words
    assert "/angebote?lat=51.486000&amp;lon=7.224000" in page
    assert '<svg class="map-svg"' not in client.get(f"/angebote/{unplaced.id}").text

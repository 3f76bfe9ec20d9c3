"""A parent on a 360 px phone (Chromium at 360×740): no public page scrolls sideways,
things to tap are at least 44 px, the results come before the folded filters, the map
tells kinds apart by shape and marks approximate points, and the new pages pass axe.

Runs Debian chromium on SQLite only, like the other browser tests; the fixtures come
from tests/browser.py.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.models import District, Offer
from tests.browser import DESKTOP, assert_meets_wcag, csp_errors, open_page, wait_for_htmx
from tests.factories import add_districts, make_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]

PHONE = {"width": 360, "height": 740}
LONG_URL = (
    "https://www.example.org/familie_und_jugend/kinder_und_familienzentren/"
    "integrative-kindertageseinrichtung-familienzentrum-wasserstrasse-generiert"
)


@pytest.fixture
def offers(session, data_dir) -> dict:
    """Generated offers (marked so) with what widens pages: long German words, long
    URLs, contacts; one at an approximate point."""
    add_districts(session, data_dir)
    long = make_offer(
        session,
        name="Integrative Kindertageseinrichtung / Familienzentrum Wasserstraße (generiert)",
        category="kita",
        extra_categories=["familienzentrum"],
        street="Wasserstraße 435",
        postcode="44795",
        lat=51.4600,
        lon=7.1950,
        website=LONG_URL,
        contact_phone="0234 / 77 31 65 51",
        contact_email="kindertageseinrichtung.wasserstrasse@example.org",
        provider_name="Evangelischer Kirchenkreis Bochum, Diakonisches Werk (generiert)",
        source_urls=[LONG_URL, LONG_URL + "/quelle"],
    )
    approximate = make_offer(
        session,
        name="Jugendtreff an der Straße (generiert)",
        category="jugendfreizeithaus",
        street="Wodanstraße 18",
        lat=51.5060,
        lon=7.2590,
    )
    approximate.location.precision = "approximate"
    approximate.location.placed_by = "ein Punkt irgendwo an der Wodanstraße (generiert)"
    session.add(approximate.location)
    session.commit()
    found = {"long": long, "approximate": approximate}
    for i in range(24):  # more than one page of results
        found[f"kita{i}"] = make_offer(
            session,
            name=f"Kita Nummer {i:02d} (generiert)",
            category="kita",
            lat=51.44 + i * 0.003,
            lon=7.15 + i * 0.004,
        )
    return found


def public_pages(offers: dict) -> list[str]:
    return [
        "/",
        "/angebote",
        "/angebote?q=Kita",
        "/angebote?nahe=Weitmar",
        "/angebote?nahe=Ehrenfeld",
        "/angebote?nahe=Bochum",
        "/angebote?nahe=44137",
        "/angebote?alter=abc",
        f"/angebote/{offers['long'].id}",
        f"/angebote/{offers['approximate'].id}",
        "/karte",
        "/karte?kategorie=kita",
        "/bezirke",
        "/bezirke/mitte",
        "/bezirke/suedwest",
        "/ueber",
        "/impressum",
        "/datenschutz",
        "/barrierefreiheit",
        "/gibt-es-nicht",
        "/?lang=en",
        "/bezirke?lang=en",
        f"/angebote/{offers['long'].id}?lang=en",
    ]


def test_no_public_page_scrolls_sideways_on_a_360_px_phone(
    live_server, offers, browser, console_errors
):
    too_wide = {}
    with open_page(browser, console_errors, viewport=PHONE) as page:
        for path in public_pages(offers):
            page.goto(f"{live_server}{path}")
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[path] = width
    assert too_wide == {}, f"pages wider than {PHONE['width']} px: {too_wide}"


TAP_TARGETS = (
    ".nav-list a, #filter-panel > summary, .filters input[type=search], "
    ".filters input[type=text], .filters select, .filters button, .checkboxes label, "
    ".checkbox-field label, #results .offer-name a, .active-filters a, .pagination a, "
    ".downloads a, .results-map > summary"
)


def test_things_to_tap_on_the_search_page_are_at_least_44_px(
    live_server, offers, browser, console_errors
):
    with open_page(browser, console_errors, viewport=PHONE) as page:
        page.goto(f"{live_server}/angebote?kategorie=kita&q=Kita")
        page.locator("#filter-panel > summary").click()  # unfold the filters
        sizes = page.evaluate(f"""() => [...document.querySelectorAll('{TAP_TARGETS}')]
            .filter(e => e.getClientRects().length)
            .map(e => {{ const r = e.getBoundingClientRect();
                return [e.tagName + ' ' + (e.textContent || e.name || '').trim().slice(0, 30),
                        Math.round(r.width), Math.round(r.height)]; }})""")
    assert len(sizes) > 30
    small = [s for s in sizes if s[1] < 44 or s[2] < 44]
    assert small == [], f"tap targets under 44 px: {small}"


def test_on_a_phone_the_results_come_before_the_folded_filters(
    live_server, offers, browser, console_errors
):
    with open_page(browser, console_errors, viewport=PHONE) as page:
        page.goto(f"{live_server}/angebote?kategorie=kita&bezirk=suedwest")
        wait_for_htmx(page)
        summary = page.locator("#filter-panel > summary")
        expect(summary).to_contain_text("Filter")
        expect(summary).to_contain_text("2 aktiv")
        expect(page.locator("#q")).not_to_be_visible()
        first = page.locator("#results .offer-card").first.bounding_box()
        assert first and first["y"] < PHONE["height"], (
            f"the first result starts {first and first['y']} px down"
        )

        summary.click()
        expect(page.locator("#q")).to_be_visible()
        page.get_by_label("Kitas").uncheck()  # HTMX updates results and the count
        expect(page.locator("#filter-count")).to_have_text("1 aktiv")
        expect(page).to_have_url(re.compile(r"/angebote\?bezirk=suedwest$"))


def test_on_a_wide_screen_the_filters_stand_beside_the_results(
    live_server, offers, page, page_without_js
):
    for each in (page, page_without_js):
        each.goto(f"{live_server}/angebote?kategorie=kita")
        expect(each.locator("#q")).to_be_visible()
        expect(each.locator("#filter-panel > summary")).not_to_be_visible()
        form = each.locator("#search-form").bounding_box()
        results = each.locator("#results").bounding_box()
        assert form and results and results["x"] >= form["x"] + form["width"] - 1
    assert page.viewport_size == DESKTOP


def test_htmx_pushes_urls_with_only_the_parameters_that_are_set(live_server, offers, page):
    page.goto(f"{live_server}/angebote")
    wait_for_htmx(page)
    page.fill("#q", "Nummer")
    expect(page).to_have_url(f"{live_server}/angebote?q=Nummer")
    page.get_by_label("Kitas").check()
    expect(page).to_have_url(f"{live_server}/angebote?q=Nummer&kategorie=kita")


def test_map_markers_are_large_enough_to_tap_on_a_phone_and_approximate_points_differ(
    live_server, offers, browser, console_errors
):
    with open_page(browser, console_errors, viewport=PHONE) as page:
        page.goto(f"{live_server}/karte?bezirk=nord")
        marker = page.locator("svg.map-svg a.map-marker-link").first
        box = marker.bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44, box
        approximate = page.locator("svg.map-svg .map-approx")
        expect(approximate).to_have_count(1)
        expect(page.locator(".map-legend")).to_contain_text("ungefähre Lage")
        expect(page.locator(".map-legend")).to_contain_text("Jugendfreizeithäuser")
        assert_meets_wcag(page)


def test_the_map_of_many_offers_counts_them_in_squares_and_pages_its_list(
    live_server, offers, page, monkeypatch
):
    monkeypatch.setattr("app.maps.svg.MAX_MARKERS", 10)
    page.goto(f"{live_server}/karte")
    cells = page.locator("svg.map-svg a.map-cell-link")
    assert cells.count() >= 2
    expect(page.locator("svg.map-svg a.map-marker-link")).to_have_count(0)
    counts = [int(t) for t in page.locator(".map-cell-count").all_text_contents()]
    assert sum(counts) == 26
    expect(page.locator(".map-list .offer-card")).to_have_count(20)
    expect(page.locator(".pagination")).to_contain_text("Seite 1 von 2")
    map_box = page.locator("svg.map-svg").bounding_box()
    list_box = page.locator(".map-list").bounding_box()
    assert map_box and list_box and map_box["y"] <= list_box["y"]

    cells.first.click()  # the map of that square
    expect(page).to_have_url(re.compile(r"/karte\?lat=.*&lon=.*&umkreis=\d+"))
    assert page.locator("svg.map-svg a.map-marker-link").count() >= 1


def test_offer_page_lets_a_parent_call_write_and_plan_a_route(live_server, offers, page):
    page.goto(f"{live_server}/angebote/{offers['long'].id}")
    expect(page.get_by_role("link", name="0234 / 77 31 65 51")).to_have_attribute(
        "href", "tel:023477316551"
    )
    expect(
        page.get_by_role("link", name="kindertageseinrichtung.wasserstrasse@example.org")
    ).to_have_attribute("href", "mailto:kindertageseinrichtung.wasserstrasse@example.org")
    route = page.get_by_role("link", name=re.compile("Route planen"))
    expect(route).to_have_attribute(
        "href",
        re.compile(r"^https://www\.openstreetmap\.org/directions\?route=%3B51\.46000%2C7\.19500$"),
    )
    expect(page.locator("main")).not_to_contain_text("ungefähre Lage")

    page.goto(f"{live_server}/angebote/{offers['approximate'].id}")
    expect(page.locator("main .facts").first).to_contain_text("ungefähre Lage")
    assert_meets_wcag(page)


AXE_PAGES = {
    "near a Stadtteil": "/angebote?nahe=Weitmar",
    "a name without a point": "/angebote?nahe=Ehrenfeld",
    "all of Bochum": "/angebote?nahe=Bochum",
    "a postcode outside Bochum": "/angebote?nahe=44137",
    "no accessibility facts": "/angebote?kategorie=kita&barrierefrei=1",
    "imprint": "/impressum",
    "privacy": "/datenschutz",
    "accessibility statement": "/barrierefreiheit",
    "districts": "/bezirke",
    "about": "/ueber",
}


@pytest.mark.parametrize("name", AXE_PAGES)
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_new_pages_meet_wcag_21_aa_on_phone_and_desktop(
    live_server, offers, browser, console_errors, name, viewport
):
    size = PHONE if viewport == "phone" else DESKTOP
    with open_page(browser, console_errors, viewport=size) as page:
        page.goto(f"{live_server}{AXE_PAGES[name]}")
        assert_meets_wcag(page)
    assert csp_errors(console_errors) == []


def test_footer_links_the_legal_pages_which_say_what_is_not_configured(live_server, offers, page):
    page.goto(f"{live_server}/")
    footer = page.locator(".site-footer")
    for name, title in (
        ("Impressum", "Impressum"),
        ("Datenschutz", "Datenschutzerklärung"),
        ("Barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ):
        footer.get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.locator("main")).to_contain_text("nicht konfiguriert")
        page.go_back()


@pytest.fixture
def live_real(live_app, real_engine) -> Iterator[str]:
    """The live server on the real Bochum import (read-only)."""
    server, current = live_app
    current["engine"] = real_engine
    yield server.url
    current.clear()


def real_pages(engine) -> list[str]:
    """The pages of the real data most likely to be too wide: every curated offer, the
    offers with the longest names, websites or source URLs, every district."""
    with Session(engine) as session:
        offers = session.exec(select(Offer).where(Offer.archived_at.is_(None))).all()
        districts = session.exec(select(District.slug)).all()
    longest = {
        o.id
        for key in (
            lambda o: len(o.name),
            lambda o: len(o.website or ""),
            lambda o: max(map(len, o.source_urls), default=0),
        )
        for o in sorted(offers, key=key, reverse=True)[:8]
    }
    curated = {o.id for o in offers if o.source == "kuratiert"}
    return (
        [f"/angebote/{i}" for i in sorted(longest | curated)]
        + [f"/bezirke/{slug}" for slug in districts]
        + [
            "/angebote?nahe=Weitmar",
            "/angebote?nahe=Langendreer",
            "/angebote?nahe=Bochum",
            "/angebote?nahe=44137",
            "/angebote?q=Familienbildung",
            "/karte",
            "/karte?kategorie=kita",
            "/bezirke",
            "/ueber",
        ]
    )


def test_no_page_of_the_real_data_scrolls_sideways_on_a_phone(
    live_real, real_engine, browser, console_errors
):
    paths = real_pages(real_engine)
    too_wide = {}
    with open_page(browser, console_errors, viewport=PHONE) as page:
        for path in paths:
            page.goto(f"{live_real}{path}")
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[path] = width
    assert len(paths) > 60
    assert too_wide == {}, f"pages wider than {PHONE['width']} px: {too_wide}"

"""The map, the district pages and the near-me search in a real browser: markers that a
keyboard reaches and opens, the list beside the map, the map without JavaScript, no
console errors or failed requests, and WCAG 2.1 AA (axe-core).

Runs Debian chromium on SQLite only, like tests/web/test_browser_search.py; the fixtures
(browser, live_server, page, page_without_js, console_errors, failed_requests) come
from tests/browser.py.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser import assert_meets_wcag, wait_for_htmx
from tests.factories import add_districts, make_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]

FILTERED = "/karte?kategorie=kita&bezirk=wattenscheid"


@pytest.fixture
def catalogue(session, data_dir) -> dict:
    """The real six districts, and offers at points inside them (WGS84), each placed in its
    real postcode area as the importer does (Hollandstraße and the Spielplatz lie in 44866,
    Kleine Füße just outside it)."""
    add_districts(session, data_dir)
    offers = {
        # the two Kitas in Wattenscheid that have a point: the markers of FILTERED
        "hollandstr": make_offer(
            session,
            name="Kita Hollandstraße",
            category="kita",
            district="wattenscheid",
            street="Hollandstraße 25",
            postcode="44866",
            lat=51.4862,
            lon=7.1184,
        ),
        "fuesse": make_offer(
            session,
            name="Kita Kleine Füße",
            category="kita",
            district="wattenscheid",
            street="Voedestraße 10",
            postcode="44867",
            lat=51.4735,
            lon=7.1295,
        ),
        # in the list of FILTERED, but without a point: no marker
        "ohne_lage": make_offer(
            session,
            name="Kita ohne Lage",
            category="kita",
            district="wattenscheid",
            street="Frankenweg 47",
        ),
        # outside the filter: another kind in Wattenscheid, a Kita in Mitte
        "spielplatz": make_offer(
            session,
            name="Spielplatz Stadtgarten",
            category="spielplatz",
            district="wattenscheid",
            lat=51.4810,
            lon=7.1390,
        ),
        "regenbogen": make_offer(
            session,
            name="Kita Regenbogen",
            category="kita",
            district="mitte",
            street="Willy-Brandt-Platz 2",
            postcode="44787",
            lat=51.4818,
            lon=7.2162,
        ),
        "familienzentrum": make_offer(
            session,
            name="Familienzentrum Lindenhof",
            category="familienzentrum",
            district="mitte",
            lat=51.4790,
            lon=7.2250,
        ),
    }
    return offers


def map_markers(page: Page) -> Locator:
    return page.locator("svg.map-svg a.map-marker-link")


def marker_targets(page: Page) -> dict[str, str]:
    """Accessible name -> link target of every marker on the page."""
    return page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('svg.map-svg a.map-marker-link')]
        .map(a => [a.getAttribute('aria-label'), a.getAttribute('href')]))""")


def focused(page: Page) -> dict:
    """What has the keyboard focus: tag, classes, accessible label, text and link target."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), cls: el.getAttribute('class') || '',
                label: el.getAttribute('aria-label'), href: el.getAttribute('href'),
                text: (el.textContent || '').trim().slice(0, 60),
                inSvg: el.closest('svg') !== null};
    }""")


def is_marker(element: dict) -> bool:
    return element["inSvg"] and "map-marker-link" in element["cls"]


def assert_favicon_loads(page: Page, origin: str) -> None:
    """The page names its own icon, so the browser does not ask for /favicon.ico (a 404
    that chromium reports as a console error, but only once per browser session)."""
    href = page.evaluate("() => document.querySelector('link[rel~=icon]')?.href")
    assert href and href.startswith(f"{origin}/static/"), f"no first-party icon: {href}"
    answer = page.request.get(href)
    assert answer.status == 200, f"{href}: HTTP {answer.status}"
    assert answer.headers["content-type"].startswith("image/svg+xml")


def test_map_shows_one_marker_per_filtered_result_and_the_same_offers_beside_it(
    live_server, catalogue, page, console_errors, failed_requests
):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server}{FILTERED}")

    expect(page.locator("svg.map-svg")).to_be_visible()
    expect(map_markers(page)).to_have_count(2)
    assert marker_targets(page) == {
        "Kita Hollandstraße": f"/angebote/{catalogue['hollandstr'].id}",
        "Kita Kleine Füße": f"/angebote/{catalogue['fuesse'].id}",
    }
    svg = page.locator("svg.map-svg")
    for name in ("Kita Hollandstraße", "Kita Kleine Füße"):
        marker = svg.get_by_role("link", name=name, exact=True)
        expect(marker).to_have_count(1)
        expect(marker).to_have_accessible_name(name)
    for outside in ("Kita Regenbogen", "Spielplatz Stadtgarten", "Familienzentrum Lindenhof"):
        expect(page.get_by_role("link", name=outside)).to_have_count(0)

    listed = page.locator(".map-list .offer-name a")
    assert sorted(listed.all_inner_texts()) == [
        "Kita Hollandstraße",
        "Kita Kleine Füße",
        "Kita ohne Lage",
    ]
    expect(page.locator(".map-list")).to_contain_text("Noch nicht auf der Karte")
    expect(page.locator("#karte-liste")).to_have_text("Dieselben Angebote als Liste")

    map_box = page.locator(".map-column").bounding_box()
    list_box = page.locator(".map-list-column").bounding_box()
    assert map_box and list_box
    assert list_box["x"] >= map_box["x"] + map_box["width"] - 1, (
        f"the list is not beside the map on a desktop screen: map {map_box}, list {list_box}"
    )
    assert list_box["y"] < map_box["y"] + map_box["height"], "the list starts below the map"

    page.wait_for_load_state("networkidle")
    outside = [url for url in requested if not url.startswith(f"{live_server}/")]
    assert outside == [], "without MAP_TILES_URL nothing may be fetched from elsewhere"
    assert console_errors == []
    assert failed_requests == []


def test_keyboard_reaches_every_marker_by_tab_and_enter_opens_the_offer(
    live_server, catalogue, page, console_errors, failed_requests
):
    page.goto(f"{live_server}{FILTERED}")
    expect(map_markers(page)).to_have_count(2)

    reached: list[dict] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        element = focused(page)
        if is_marker(element):
            reached.append(element)
        elif reached:  # the focus has left the map
            break
    assert [m["label"] for m in reached] == list(marker_targets(page)), (
        "Tab does not reach every marker once, in the order of the map"
    )
    assert all(m["tag"] == "a" and m["href"] for m in reached)

    # back into the map with Shift+Tab: the last marker has the focus again
    page.keyboard.press("Shift+Tab")
    last = focused(page)
    assert is_marker(last) and last["label"] == reached[-1]["label"]
    expect(page.locator("svg.map-svg a.map-marker-link:focus")).to_have_accessible_name(
        last["label"]
    )

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}{last['href']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(last["label"])

    assert console_errors == []
    assert failed_requests == []


def test_map_works_without_javascript(
    live_server, catalogue, page_without_js, console_errors, failed_requests
):
    page = page_without_js
    page.goto(f"{live_server}/karte")
    expect(map_markers(page)).to_have_count(5)  # every offer with a point

    filters = page.locator("details.map-filters")
    expect(filters).not_to_have_attribute("open", "")  # folded: the map comes first
    filters.locator("summary").click()
    page.get_by_label("Kitas").check()
    page.get_by_label("Stadtbezirk", exact=True).select_option("wattenscheid")
    page.get_by_role("button", name="Suchen").click()

    expect(page).to_have_url(re.compile(r"/karte\?.*kategorie=kita.*bezirk=wattenscheid"))
    expect(map_markers(page)).to_have_count(2)
    expect(page.locator(".map-list .offer-name a")).to_have_count(3)
    expect(page.locator("#result-summary")).to_contain_text("Wattenscheid")

    page.locator("svg.map-svg").get_by_role("link", name="Kita Kleine Füße").click()
    expect(page).to_have_url(f"{live_server}/angebote/{catalogue['fuesse'].id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kita Kleine Füße")

    assert console_errors == []
    assert failed_requests == []


def test_district_page_shows_its_offers_on_its_map_and_by_kind(
    live_server, catalogue, page, console_errors, failed_requests
):
    page.goto(f"{live_server}/bezirke")
    page.locator("svg.map-svg").get_by_role("link", name="Stadtbezirk Mitte").click()

    expect(page).to_have_url(f"{live_server}/bezirke/mitte")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stadtbezirk Mitte")
    assert marker_targets(page) == {
        "Kita Regenbogen": f"/angebote/{catalogue['regenbogen'].id}",
        "Familienzentrum Lindenhof": f"/angebote/{catalogue['familienzentrum'].id}",
    }
    expect(page.locator("#art-kita")).to_have_text("Kitas (1)")
    expect(page.locator(".district-offers .offer-name a")).to_have_text(
        ["Kita Regenbogen", "Familienzentrum Lindenhof"]
    )
    assert console_errors == []
    assert failed_requests == []


def test_near_me_by_postcode_without_javascript_lists_the_area_by_distance(
    live_server, catalogue, page_without_js, console_errors, failed_requests
):
    page = page_without_js
    page.goto(f"{live_server}/angebote")
    page.get_by_label("Postleitzahl, Straße oder Stadtteil").fill("44866")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/angebote\?.*nahe=44866"))
    cards = page.locator("#results .offer-card")
    expect(cards.locator("h3")).to_have_text(["Spielplatz Stadtgarten", "Kita Hollandstraße"])
    expect(cards.first).to_contain_text("zu Fuß")
    expect(page.locator("#results")).to_contain_text("Postleitzahlgebiet 44866")

    page.goto(f"{live_server}/karte?nahe=44866")
    assert sorted(marker_targets(page)) == ["Kita Hollandstraße", "Spielplatz Stadtgarten"]
    assert console_errors == []
    assert failed_requests == []


def test_parent_types_a_postcode_on_the_home_page_and_gets_the_nearest_offers(
    live_server, catalogue, page, console_errors, failed_requests
):
    page.goto(f"{live_server}/")
    page.get_by_label("Postleitzahl, Straße oder Stadtteil").fill("44866")
    page.get_by_role("button", name="In der Nähe suchen").click()

    expect(page).to_have_url(f"{live_server}/angebote?nahe=44866")
    expect(page.locator("#results .offer-card h3")).to_have_text(
        ["Spielplatz Stadtgarten", "Kita Hollandstraße"]
    )
    assert console_errors == []
    assert failed_requests == []


def test_near_me_link_with_javascript_shows_the_area_on_the_results_map(
    live_server, catalogue, page, console_errors, failed_requests
):
    page.goto(f"{live_server}/angebote?nahe=44866")
    wait_for_htmx(page)
    expect(page.locator("#results .offer-card h3")).to_have_text(
        ["Spielplatz Stadtgarten", "Kita Hollandstraße"]
    )
    assert sorted(marker_targets(page)) == ["Kita Hollandstraße", "Spielplatz Stadtgarten"]
    assert console_errors == []
    assert failed_requests == []


AXE_PAGES = {
    "map": "/karte",
    "map with filters": FILTERED,
    "map near a postcode": "/karte?nahe=44866",
    "districts": "/bezirke",
    "district": "/bezirke/mitte",
    "near a postcode": "/angebote?nahe=44866",
}


@pytest.mark.parametrize("name", AXE_PAGES)
def test_map_and_district_pages_meet_wcag_21_aa_without_errors(
    live_server, catalogue, page, console_errors, failed_requests, name
):
    page.goto(f"{live_server}{AXE_PAGES[name]}")
    page.wait_for_load_state("load")
    assert_meets_wcag(page)
    assert_favicon_loads(page, live_server)
    assert console_errors == []
    assert failed_requests == []

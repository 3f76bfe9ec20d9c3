"""The offer page's map without a tile server, in Chromium: the district's whole
outline, the offer as the large point, the nearby offers of the same kind as linked
points (and as a list), a sentence that says where it is; no district name over it."""

import pytest
from playwright.sync_api import expect

from tests.browser import assert_meets_wcag, csp_errors
from tests.factories import add_districts, make_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]

WEITMAR = (7.1960, 51.4590)  # Bochum-Südwest


@pytest.fixture
def offers(session, data_dir) -> dict:
    add_districts(session, data_dir)
    main = make_offer(
        session, name="Kita Am Hang (generiert)", category="kita", lon=WEITMAR[0], lat=WEITMAR[1]
    )
    near = [
        make_offer(session, name=f"Kita Nachbar {i} (generiert)", category="kita", lon=lon, lat=lat)
        for i, (lon, lat) in enumerate([(7.2010, 51.4610), (7.1900, 51.4560)])
    ]
    far = make_offer(
        session, name="Kita Weit Weg (generiert)", category="kita", lon=7.26, lat=51.53
    )
    other = make_offer(
        session, name="Bolzplatz Nebenan (generiert)", category="spielplatz", lon=7.197, lat=51.4595
    )
    return {"main": main, "near": near, "far": far, "other": other}


def test_the_offer_map_shows_the_district_the_point_and_its_neighbours(
    live_server, offers, page, console_errors, tmp_path
):
    page.goto(f"{live_server}/angebote/{offers['main'].id}")
    expect(page.locator(".location-sentence")).to_contain_text(
        "Kita Am Hang (generiert) liegt im Stadtbezirk Südwest."
    )
    expect(page.locator(".location-sentence")).to_contain_text("Der nächste Ortsmittelpunkt ist")
    figure = page.locator("#lage")
    expect(figure.locator(".map-self")).to_have_count(1)
    links = figure.locator("a.map-marker-link")
    expect(links).to_have_count(2)
    names = sorted(links.evaluate_all("els => els.map(a => a.getAttribute('aria-label'))"))
    assert names == ["Kita Nachbar 0 (generiert)", "Kita Nachbar 1 (generiert)"]
    assert figure.locator(".map-label").count() == 0  # no district name over the point
    expect(page.locator(".nearby-offers li")).to_have_count(2)
    expect(page.locator(".nearby-offers")).to_contain_text("Luftlinie")

    # the whole district is in view, the point inside it
    box = figure.locator("svg.map-svg").bounding_box()
    district = figure.locator(".map-district-current").bounding_box()
    point = figure.locator(".map-self-ring").bounding_box()
    assert district["width"] > 0.6 * box["width"] or district["height"] > 0.6 * box["height"]
    assert (
        box["x"] <= district["x"]
        and district["x"] + district["width"] <= box["x"] + box["width"] + 1
    )
    centre = (point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    assert district["x"] < centre[0] < district["x"] + district["width"]
    assert district["y"] < centre[1] < district["y"] + district["height"]

    page.screenshot(path=str(tmp_path / "offer-map.png"), full_page=True)
    figure.screenshot(path="/tmp/exports-offer-map.png")
    assert_meets_wcag(page)
    assert csp_errors(console_errors) == []


def test_a_neighbour_on_the_map_opens_its_page(live_server, offers, page_without_js):
    page = page_without_js
    page.goto(f"{live_server}/angebote/{offers['main'].id}")
    page.locator(".nearby-offers a", has_text="Kita Nachbar 0").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kita Nachbar 0 (generiert)")

"""/planung/szenario and /planung/staende in Chromium: axe and a 360 px screen;
adding a site without JavaScript keeps the earlier ones in the link."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.catalogue.writers import Actor
from app.planning import history, scenarios
from app.planning.coverage import coverage
from tests.browser import assert_meets_wcag, csp_errors, open_page
from tests.factories import make_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]
NARROW = {"width": 360, "height": 740}


@pytest.fixture
def city(planned):
    make_offer(planned, category="kita", lon=7.2162, lat=51.4818)
    coverage(planned)
    history.record(planned, "test")
    planned.commit()
    return planned


@pytest.mark.parametrize(
    "path",
    [
        "/planung/szenario?ort=kita;51.48300;7.12900;60&ort=ogs;51.44500;7.26000;",
        "/planung/staende",
    ],
)
def test_the_pages_meet_wcag_and_fit_a_narrow_screen(
    live_server, city, browser, path, console_errors
):
    with open_page(browser, console_errors) as page:
        page.goto(f"{live_server}{path}")
        assert_meets_wcag(page)
    with open_page(browser, console_errors, viewport=NARROW) as page:
        page.goto(f"{live_server}{path}")
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= NARROW["width"], f"{path} is {width}px wide on a 360px screen"
    assert csp_errors(console_errors) == []


def test_sites_add_up_in_the_link_without_javascript(live_server, city, page_without_js):
    page = page_without_js
    page.goto(f"{live_server}/planung/szenario")
    page.select_option("#neu_art", "kita")
    page.fill("#neu_lat", "51,4830")
    page.fill("#neu_lon", "7,1290")
    page.fill("#neu_plaetze", "60")
    page.get_by_role("button", name="Standort hinzufügen").click()
    expect(page.locator("#szenario-kita")).to_be_visible()
    page.select_option("#neu_art", "ogs")
    page.fill("#neu_lat", "51.445")
    page.fill("#neu_lon", "7.26")
    page.get_by_role("button", name="Standort hinzufügen").click()
    expect(page.locator("#szenario-ogs")).to_be_visible()
    share = page.get_by_role("link", name="Szenario teilen").get_attribute("href")
    assert re.search(r"ort=kita%3B51\.48300%3B7\.12900%3B60&ort=ogs", share)


def test_a_tap_on_the_map_places_a_site_there(live_server, city, page_without_js):
    """A real click on the image button, as a parent's or planner's tap: the browser sends
    the pixel, the server places the site there and says it came from the map."""
    page = page_without_js
    page.set_viewport_size(NARROW)
    page.goto(f"{live_server}/planung/szenario?neu_art=kita")
    button = page.locator("#karte")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert re.search(r"karte\.x=\d+&karte\.y=\d+", page.url)
    share = page.get_by_role("link", name="Szenario teilen").get_attribute("href")
    assert re.search(r"ort=kita%3B51\.\d+%3B7\.\d+%3B%3Bkarte", share)
    expect(page.get_by_text("Punkt auf der Karte")).to_be_visible()


SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/goals-shots"))


@pytest.mark.parametrize(
    "path",
    [
        "/planung/szenario?neu_art=kita&neu_adresse=Nirgendwoweg+5",
        "/planung/szenario?karte.x=0&karte.y=0",
        "/planung/szenario?ort=kita;51.48300;7.12900;60;strasse;Hüller+Str.",
    ],
    ids=["address-not-found", "keyboard-on-map", "site-from-street"],
)
def test_the_new_states_meet_wcag_at_360px(live_server, city, browser, path, console_errors):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with open_page(browser, console_errors, viewport=NARROW) as page:
        page.goto(f"{live_server}{path}")
        assert_meets_wcag(page)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= NARROW["width"], f"{path} is {width}px wide on a 360px screen"
        name = re.sub(r"[^a-z0-9]+", "-", path.lower())[:60]
        page.screenshot(path=str(SHOTS / f"scenario-360-{name}.png"), full_page=True)
    assert csp_errors(console_errors) == []


@pytest.mark.parametrize("viewport", [NARROW, {"width": 1280, "height": 900}], ids=["360", "1280"])
def test_the_map_button_is_drawn_at_its_exact_width(
    live_server, city, browser, viewport, console_errors
):
    """The image button must be drawn at exactly its width (a click's pixel is turned
    into a point by that width, tests/planning/test_siting.py): the small one at 360 px,
    the large one on a wide screen, never scaled; labelled, and the page passes axe."""
    from app.maps.scenario_map import MAP_WIDTHS

    name = "karte" if viewport is NARROW else "karte_gross"
    other = "karte_gross" if name == "karte" else "karte"
    with open_page(browser, console_errors, viewport=viewport) as page:
        page.goto(f"{live_server}/planung/szenario?ort=kita;51.48300;7.12900;60")
        button = page.locator(f"#{name}")
        expect(button).to_be_visible()
        expect(page.locator(f"#{other}")).to_be_hidden()
        box = button.bounding_box()
        assert round(box["width"]) == MAP_WIDTHS[name] + 2  # 1px border each side
        assert button.get_attribute("alt")
        assert_meets_wcag(page)
        page.screenshot(path=str(SHOTS / f"scenario-map-{viewport['width']}.png"), full_page=True)
    assert csp_errors(console_errors) == []


def test_a_saved_scenario_opens_for_anyone_at_360px(live_server, city, browser, console_errors):
    """Saving itself (sign-in, form, change log) is tested over HTTP on both databases
    (test_saved_scenarios.py); here the public page of a saved scenario and the list."""
    row = scenarios.create(
        city,
        "Kita an der Hüller Straße",
        "Entwurf",
        ["kita;51.51000;7.19500;60;adresse;Hüller Str. 12", "ogs;51.44500;7.26000;;plz;44795"],
        Actor("user:1 planung@example.org", "page"),
    )
    city.commit()
    with open_page(browser, console_errors, viewport=NARROW) as page:
        page.goto(f"{live_server}/planung/szenario/{row.id}")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Szenario: Kita an der Hüller Straße"
        )
        expect(page.locator("#szenario-kita")).to_be_visible()
        expect(page.locator(".site-how").first).to_contain_text("Adresse eines Angebots")
        assert_meets_wcag(page)
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= NARROW["width"]
        page.screenshot(path=str(SHOTS / "scenario-saved-360.png"), full_page=True)
        page.goto(f"{live_server}/planung/szenario")
        expect(page.get_by_role("link", name="Kita an der Hüller Straße")).to_be_visible()
        assert_meets_wcag(page)
    assert csp_errors(console_errors) == []

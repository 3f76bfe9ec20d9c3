"""/planung/szenario and /planung/staende in Chromium: axe and a 360 px screen;
adding a site without JavaScript keeps the earlier ones in the link."""

import re

import pytest
from playwright.sync_api import expect

from app.planning import history
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

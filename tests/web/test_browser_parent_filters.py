"""Issue 19 in a real browser at 360 px: a parent picks "jetzt geöffnet" and "Nur
kostenlose Angebote", without JavaScript (GET form) and with HTMX (results swapped in
place, the URL shareable); every state passes axe (WCAG 2.1 AA).

An offer open around the clock is open whenever the test runs, so no clock is fixed.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser import MOBILE, assert_meets_wcag, csp_errors, open_page, wait_for_htmx
from tests.factories import make_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]


def every_day(opens: str, closes: str) -> list[dict]:
    return [{"weekday": d, "opens": opens, "closes": closes} for d in range(7)]


@pytest.fixture
def offers(session) -> dict:
    return {
        "free_open": make_offer(
            session,
            name="Elterncafé rund um die Uhr (generiert)",
            category="beratung",
            opening_hours=every_day("00:00", "23:59"),
            costs_kind="frei",
        ),
        "paid_open": make_offer(
            session,
            name="Kurs rund um die Uhr (generiert)",
            category="beratung",
            opening_hours=every_day("00:00", "23:59"),
            costs_kind="kosten",
        ),
        "free_unknown_hours": make_offer(
            session, name="Spielgruppe ohne Zeiten (generiert)", costs_kind="frei"
        ),
    }


def known_names(page: Page) -> list[str]:
    return page.locator("#results .offer-card h3").all_inner_texts()


def check_results(page: Page) -> None:
    text = page.locator("#results").inner_text()
    assert "Elterncafé rund um die Uhr" in text
    assert "Kurs rund um die Uhr" not in text  # costs money: filtered out
    # Offers whose hours are unknown are not hidden silently: listed apart, labelled.
    assert "Spielgruppe ohne Zeiten" in text
    assert "Öffnungszeiten unbekannt" in text
    assert "jetzt geöffnet" in text or "rund um die Uhr" in text


def test_a_parent_without_javascript_finds_what_is_open_now_and_free(
    live_server, offers, browser, console_errors
):
    with open_page(browser, console_errors, viewport=MOBILE, java_script_enabled=False) as page:
        page.goto(f"{live_server}/angebote")
        page.locator("#filter-panel > summary").click()  # filters are folded on phones
        page.get_by_label("Geöffnet", exact=True).select_option("jetzt")
        page.get_by_label("Nur kostenlose Angebote").check()
        page.get_by_role("button", name="Suchen").click()
        assert "geoeffnet=jetzt" in page.url and "kosten=frei" in page.url
        check_results(page)
        expect(page.get_by_label("Nur kostenlose Angebote")).to_be_checked()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= MOBILE["width"], f"the page scrolls sideways: {width} px"
    with open_page(browser, console_errors, viewport=MOBILE) as page:  # axe needs script
        page.goto(f"{live_server}/angebote?geoeffnet=jetzt&kosten=frei")
        check_results(page)
        assert_meets_wcag(page)


def test_with_htmx_the_filters_swap_the_results_and_keep_a_shareable_url(
    live_server, offers, browser, console_errors
):
    with open_page(browser, console_errors, viewport=MOBILE) as page:
        page.goto(f"{live_server}/angebote")
        wait_for_htmx(page)
        page.locator("#filter-panel > summary").click()
        page.get_by_label("Geöffnet", exact=True).select_option("jetzt")
        page.get_by_label("Nur kostenlose Angebote").check()
        page.get_by_role("button", name="Suchen").click()
        page.wait_for_url("**geoeffnet=jetzt**kosten=frei**")
        check_results(page)
        assert page.locator("header").count() == 1  # swapped in place, no page nested
        assert_meets_wcag(page)
        shared = page.url
    with open_page(browser, console_errors, viewport=MOBILE) as page:
        page.goto(shared)  # the shared URL gives the same results as a whole page
        check_results(page)
    assert not csp_errors(console_errors), console_errors

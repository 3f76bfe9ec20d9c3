"""The pages HTMX updates in Chromium: after a swap, Back, reload and the same URL in a
new tab always show the whole page (header, form, stylesheet), never the bare fragment
HTMX asked for under the same URL (issue 16, point 1)."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser import csp_errors, open_page, wait_for_htmx
from tests.factories import add_districts, add_planning_inputs, make_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]


@pytest.fixture
def city(session, data_dir):
    add_districts(session, data_dir)
    add_planning_inputs(session, data_dir)
    for i, (lon, lat) in enumerate([(7.2162, 51.4818), (7.1290, 51.4830)]):
        make_offer(session, name=f"Kita Sonnen {i} (generiert)", category="kita", lon=lon, lat=lat)
    make_offer(session, name="OGS Sonnen (generiert)", category="ogs", lon=7.21, lat=51.47)
    make_offer(
        session,
        name="Jugendhaus Sonnen (generiert)",
        category="jugendfreizeithaus",
        lon=7.2,
        lat=51.5,
    )
    return session


def assert_whole_page(page: Page, form: str, heading: str) -> None:
    """What a person sees only on the page, never in the fragment."""
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(form)).to_be_visible()
    expect(page.locator('head link[rel="stylesheet"][href$="css/site.css"]')).to_have_count(1)
    # The stylesheet applies: the header is laid out by site.css, not as bare text.
    assert page.evaluate("() => getComputedStyle(document.body).margin") == "0px"


def swap(page: Page, change, url: re.Pattern, results: str) -> str:
    """Change a filter; HTMX swaps the results in place and pushes the URL. Returns the
    URL HTMX fetched (every field of the form: what the form sends without JavaScript)."""
    page.evaluate("() => { window.__noReload = 1 }")
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true") as request:
        change()
    expect(page).to_have_url(url)
    expect(page.locator(results)).to_be_visible()
    assert page.evaluate("() => window.__noReload") == 1, "HTMX did not swap in place"
    return request.value.url


def check_back_reload_and_new_tab(
    page: Page,
    context: BrowserContext,
    start: str,
    change,
    undo,
    url: re.Pattern,
    form: str,
    heading: str,
    results: str,
) -> None:
    """Every way back to a swapped URL, each checked on its own; the failures are
    reported together."""
    failures: list[str] = []

    def whole(step: str, shown: Page) -> None:
        try:
            assert_whole_page(shown, form, heading)
        except AssertionError as exc:
            failures.append(f"{step}: {str(exc).splitlines()[0]} ({shown.url})")

    def swapped_page() -> str:
        page.goto(start)
        wait_for_htmx(page)
        fetched["url"] = swap(page, change, url, results)
        return page.url

    fetched: dict[str, str] = {}

    # Back to the page before the swap (HTMX's history restore), and forward again.
    swapped = swapped_page()
    page.go_back()
    expect(page).to_have_url(start)
    whole("Back to the page before the swap", page)
    page.go_forward()
    expect(page).to_have_url(swapped)
    whole("Forward to the swapped URL", page)

    # Back to the swapped URL after following a link to another page.
    swapped_page()
    page.get_by_role("link", name="Über diese Seite").click()
    expect(page).to_have_url(re.compile(r"/ueber$"))
    page.go_back()
    expect(page).to_have_url(swapped)
    whole("Back from another page to the swapped URL", page)

    # Reload the swapped URL.
    swapped_page()
    page.reload()
    whole("Reload of the swapped URL", page)

    # The same URL in a new tab of the same browser (same HTTP cache), within a minute,
    # opened from the page as a middle click on a link would.
    swapped = swapped_page()
    with context.expect_page() as opened:
        page.evaluate("(url) => { window.open(url, '_blank') }", swapped)
    tab = opened.value
    tab.set_default_timeout(5000)
    tab.wait_for_load_state()
    whole("The swapped URL in a new tab", tab)
    tab.close()

    # The form sent as a page (as without JavaScript, or before HTMX has loaded): the
    # very URL HTMX fetched ...
    swapped_page()
    with page.expect_navigation():
        page.evaluate("(form) => document.querySelector(form).submit()", form)
    expect(page).to_have_url(fetched["url"])
    whole("The form sent without HTMX, to the URL HTMX fetched", page)
    # ... and then the same filter through HTMX: the results hold no second page.
    try:
        wait_for_htmx(page)
        undo()
        expect(page).not_to_have_url(fetched["url"])
        swap(page, change, url, results)
        nested = page.locator(f"{results} header.site-header, {results} {form}")
        expect(nested).to_have_count(0)
    except (AssertionError, PlaywrightError) as exc:
        failures.append(f"HTMX after the page of the same URL: {str(exc).splitlines()[0]}")
    whole("HTMX after the page of the same URL", page)

    assert not failures, "the fragment instead of the page:\n" + "\n".join(failures)


def test_planning_after_a_swap_back_reload_and_a_new_tab_show_the_whole_page(
    live_server, city, browser, console_errors
):
    with open_page(browser, console_errors) as page:
        check_back_reload_and_new_tab(
            page,
            page.context,
            f"{live_server}/planung",
            lambda: page.select_option("#art", "ogs"),
            lambda: page.select_option("#art", "kita"),
            re.compile(r"/planung\?.*art=ogs"),
            "#planning-form",
            "Planung: Versorgung je Bezirk",
            "#luecken",
        )
    assert csp_errors(console_errors) == []


def test_search_after_filtering_back_reload_and_a_new_tab_show_the_whole_page(
    live_server, city, browser, console_errors
):
    with open_page(browser, console_errors) as page:
        check_back_reload_and_new_tab(
            page,
            page.context,
            f"{live_server}/angebote?q=Sonnen",
            lambda: page.get_by_label("Kitas").check(),
            lambda: page.get_by_label("Kitas").uncheck(),
            re.compile(r"/angebote\?.*kategorie=kita"),
            "#search-form",
            "Angebote suchen",
            "#results",
        )
    assert csp_errors(console_errors) == []

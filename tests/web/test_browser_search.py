"""The public pages in a real browser: HTMX search, the same without JavaScript,
error handling, WCAG 2.1 AA (axe-core), small screens and the strict CSP.

Runs Debian chromium on SQLite only: the browser tests check the pages, not the
database backends, which the HTTP tests cover.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import (
    MOBILE,
    assert_meets_wcag,
    csp_errors,
    open_page,
    wait_for_htmx,
)
from tests.factories import add_districts, make_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]

# The fixtures browser, live_server, page, page_without_js and console_errors come
# from tests/browser.py (a plugin, see tests/conftest.py).


@pytest.fixture
def offers(session, data_dir) -> dict:
    add_districts(session, data_dir)
    return {
        "sonnenschein": make_offer(
            session,
            name="Kita Sonnenschein",
            category="kita",
            district="wattenscheid",
            street="Hochstraße 1",
            postcode="44866",
            lat=51.48,
            lon=7.135,
            age_min=0,
            age_max=6,
            barrier_free=True,
            provider_name="Evangelischer Kirchenkreis Bochum",
            website="https://www.example.org/kita-sonnenschein",
        ),
        "sonnenhof": make_offer(
            session,
            name="Jugendhaus Sonnenhof",
            category="jugendfreizeithaus",
            district="mitte",
            street="Sonnenweg 4",
            postcode="44787",
        ),
        "regenbogen": make_offer(
            session,
            name="Kita Regenbogen",
            category="kita",
            district="mitte",
            lat=51.4818,
            lon=7.2162,
        ),
        "senioren": make_offer(
            session,
            name="Seniorenbüro Wattenscheid",
            category="seniorenbuero",
            district="wattenscheid",
        ),
    }


def result_names(page: Page):
    return page.locator("#results .offer-card h3")


def test_search_with_javascript_updates_results_in_place_and_the_url(
    live_server, offers, page, console_errors
):
    page.goto(f"{live_server}/angebote")
    wait_for_htmx(page)
    expect(result_names(page)).to_have_count(4)
    page.evaluate(
        "() => { window.__noReload = 1; document.getElementById('live-status').__original = 1 }"
    )

    page.fill("#q", "Sonnen")
    expect(result_names(page)).to_have_text(["Jugendhaus Sonnenhof", "Kita Sonnenschein"])
    page.get_by_label("Kitas").check()

    expect(result_names(page)).to_have_text(["Kita Sonnenschein"])
    expect(page).to_have_url(re.compile(r"q=Sonnen.*kategorie=kita"))
    expect(page.locator("#live-status")).to_have_text("1 Kita mit „Sonnen“")
    expect(page).to_have_title("1 Kita mit „Sonnen“ – Familienwegweiser Bochum")
    assert page.evaluate("() => window.__noReload") == 1, "the page was reloaded"
    assert page.evaluate("() => document.getElementById('live-status').__original") == 1, (
        "the live region was replaced: screen readers announce changes only to a region "
        "that was already on the page"
    )
    assert_meets_wcag(page)
    assert csp_errors(console_errors) == []


def test_search_without_javascript_works_by_submitting_the_form(
    live_server, offers, page_without_js
):
    page = page_without_js
    page.goto(f"{live_server}/angebote")
    page.fill("#q", "Sonnen")
    page.get_by_label("Kitas").check()
    page.get_by_role("button", name="Suchen").click()

    expect(page).to_have_url(re.compile(r"/angebote\?q=Sonnen.*kategorie=kita"))
    expect(result_names(page)).to_have_text(["Kita Sonnenschein"])
    expect(page.locator("#q")).to_have_value("Sonnen")
    expect(page.get_by_label("Kitas")).to_be_checked()


def test_result_opens_the_detail_page_and_back_restores_the_results(live_server, offers, page):
    page.goto(f"{live_server}/angebote")
    wait_for_htmx(page)
    page.fill("#q", "Sonnenschein")
    expect(result_names(page)).to_have_text(["Kita Sonnenschein"])
    expect(page).to_have_url(re.compile(r"q=Sonnenschein"))

    page.get_by_role("link", name="Kita Sonnenschein").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kita Sonnenschein")
    expect(page.locator(".facts").first).to_contain_text("Hochstraße 1")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/angebote\?q=Sonnenschein"))
    expect(result_names(page)).to_have_text(["Kita Sonnenschein"])


def test_back_button_after_htmx_searches_restores_the_whole_earlier_page(live_server, offers, page):
    page.goto(f"{live_server}/angebote")
    wait_for_htmx(page)
    page.fill("#q", "Sonnen")
    expect(page).to_have_url(re.compile(r"q=Sonnen"))
    page.get_by_label("Kitas").check()
    expect(page).to_have_url(re.compile(r"kategorie=kita"))

    page.go_back()
    expect(page).to_have_url(re.compile(r"q=Sonnen(?!.*kategorie)"))
    expect(result_names(page)).to_have_text(["Jugendhaus Sonnenhof", "Kita Sonnenschein"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Angebote suchen")
    expect(page.locator("#q")).to_have_value("Sonnen")
    expect(page.get_by_label("Kitas")).not_to_be_checked()


def test_bad_age_shows_an_error_summary_whose_link_focuses_the_field(live_server, offers, page):
    page.goto(f"{live_server}/angebote?alter=abc")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Das Alter muss eine ganze Zahl")
    expect(page.locator("#alter")).to_have_value("abc")
    expect(page.locator("#alter")).to_have_attribute("aria-invalid", "true")

    summary.get_by_role("link").click()
    expect(page.locator("#alter")).to_be_focused()


def test_every_error_summary_link_leads_somewhere(live_server, offers, page):
    page.goto(
        f"{live_server}/angebote?q=x&alter=abc&kategorie=zoo&bezirk=nirgendwo&seite=0&lat=abc&lon=7"
    )
    expect(page.locator(".error-summary a")).to_have_count(5)
    dangling = page.evaluate("""() => [...document.querySelectorAll('.error-summary a')]
        .map(a => a.getAttribute('href'))
        .filter(h => h.startsWith('#') && !document.getElementById(h.slice(1)))""")
    assert dangling == []
    page.get_by_role("link", name="Die Kategorie „zoo“ gibt es nicht.").click()
    expect(page.get_by_label("Begrüßungsteams")).to_be_focused()
    page.get_by_role("link", name="Zur ersten Seite").click()
    expect(page).to_have_url(re.compile(r"/angebote\?q=x$"))


def test_error_summary_is_on_the_first_screen_of_a_phone(
    live_server, offers, browser, console_errors
):
    with open_page(browser, console_errors, viewport=MOBILE) as page:
        page.goto(f"{live_server}/angebote?alter=abc")
        box = page.locator(".error-summary").bounding_box()
        assert box and box["y"] + box["height"] <= MOBILE["height"], (
            f"the error summary starts {box and box['y']}px down, below the first screen"
        )


def test_bad_age_typed_with_javascript_shows_the_error_summary_until_corrected(
    live_server, offers, page
):
    page.goto(f"{live_server}/angebote")
    wait_for_htmx(page)
    page.fill("#alter", "drei")
    page.get_by_role("button", name="Suchen").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Das Alter muss eine ganze Zahl")
    expect(page.locator("#live-status")).to_have_text("Bitte korrigieren Sie die Eingaben.")
    age = page.locator("#alter")
    expect(age).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#alter-error")).to_contain_text("Das Alter muss eine ganze Zahl")
    assert "alter-error" in age.get_attribute("aria-describedby").split()
    summary.get_by_role("link").click()
    expect(page.locator("#alter")).to_be_focused()
    assert_meets_wcag(page)

    page.fill("#alter", "3")
    page.get_by_role("button", name="Suchen").click()
    expect(page).to_have_url(re.compile(r"alter=3"))
    expect(summary).to_have_count(0)
    expect(age).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#alter-error")).to_have_count(0)
    assert age.get_attribute("aria-describedby") == "alter-hint"
    # The one offer whose age is known and fits first, then those without an age.
    expect(result_names(page)).to_have_text(
        [
            "Kita Sonnenschein",
            "Jugendhaus Sonnenhof",
            "Kita Regenbogen",
            "Seniorenbüro Wattenscheid",
        ]
    )
    expect(page.locator("#apart-heading")).to_have_text("Alter nicht angegeben (3)")


def test_typing_an_age_and_pressing_enter_sends_one_search(
    live_server, offers, page, console_errors
):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/angebote?" in r.url else None)
    page.goto(f"{live_server}/angebote")
    wait_for_htmx(page)
    requests.clear()
    page.fill("#alter", "70")
    page.press("#alter", "Enter")

    expect(page).to_have_url(re.compile(r"alter=70"))
    expect(result_names(page)).to_contain_text(["Seniorenbüro Wattenscheid"])
    assert len(requests) == 1, requests
    assert console_errors == []


def test_keyboard_user_can_skip_to_the_content(live_server, offers, page):
    page.goto(f"{live_server}/angebote")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


AXE_PAGES = {
    "home": "/",
    "search with results": "/angebote?q=Sonnen",
    "search with an error": "/angebote?alter=abc",
    "detail": "/angebote/{id}",
    "about": "/ueber",
    "404": "/gibt-es-nicht",
    "home in English": "/?lang=en",
    "search in English": "/angebote?q=Sonnen&lang=en",
}


@pytest.mark.parametrize("name", AXE_PAGES)
def test_page_meets_wcag_21_aa_and_the_csp(live_server, offers, page, console_errors, name):
    path = AXE_PAGES[name].format(id=offers["sonnenschein"].id)
    page.goto(f"{live_server}{path}")
    wait_for_htmx(page)
    assert_meets_wcag(page)
    assert csp_errors(console_errors) == []


@pytest.mark.parametrize("path", ["/angebote?q=Sonnen", "/angebote?alter=abc", "/angebote/{id}"])
def test_small_screen_needs_no_horizontal_scrolling(
    live_server, offers, browser, console_errors, path
):
    with open_page(browser, console_errors, viewport=MOBILE) as page:
        page.goto(f"{live_server}{path.format(id=offers['sonnenschein'].id)}")
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= MOBILE["width"], f"{path} is {width}px wide on a 375px screen"

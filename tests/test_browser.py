"""The public pages in a real browser: HTMX search, the same without JavaScript,
error handling, WCAG 2.1 AA (axe-core), small screens and the strict CSP.

Runs Debian chromium on SQLite only: the browser tests check the pages, not the
database backends, which the HTTP tests cover.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright
from sqlmodel import Session

from app.config import get_settings
from app.db import get_session
from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    MOBILE,
    WCAG_TAGS,
    LiveServer,
    chromium_problem,
    describe_violations,
    htmx_problem,
    require,
    wcag_violations,
)
from tests.factories import add_districts, make_offer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    require(chromium_problem())
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def live_app() -> Iterator[tuple[LiveServer, dict]]:
    """One server for the module; each test points it at its own database."""
    require(htmx_problem())
    from app.main import create_app

    current: dict = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASSETS", "local")
        get_settings.cache_clear()
        app = create_app()

        def _session() -> Iterator[Session]:
            with Session(current["engine"]) as s:
                yield s

        app.dependency_overrides[get_session] = _session
        server = LiveServer(app)
        server.start()
        yield server, current
        server.stop()
    get_settings.cache_clear()


@pytest.fixture
def live_server(live_app, engine) -> Iterator[str]:
    server, current = live_app
    current["engine"] = engine
    yield server.url
    current.clear()


@pytest.fixture
def console_errors() -> list[str]:
    return []


@contextmanager
def open_page(browser: Browser, errors: list[str], **context_args) -> Iterator[Page]:
    """A page in a fresh context that records console errors and uncaught exceptions."""
    context = browser.new_context(**{"locale": "de-DE", "viewport": DESKTOP, **context_args})
    page = context.new_page()
    page.set_default_timeout(5000)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, console_errors) -> Iterator[Page]:
    with open_page(browser, console_errors) as p:
        yield p


@pytest.fixture
def page_without_js(browser, console_errors) -> Iterator[Page]:
    with open_page(browser, console_errors, java_script_enabled=False) as p:
        yield p


@pytest.fixture
def offers(session, data_dir) -> dict:
    add_districts(session, data_dir)
    return {
        "sonnenschein": make_offer(session, name="Kita Sonnenschein", category="kita",
                                   district="wattenscheid", street="Hochstraße 1",
                                   postcode="44866", lat=51.48, lon=7.135, age_min=0,
                                   age_max=6, barrier_free=True,
                                   provider_name="Evangelischer Kirchenkreis Bochum",
                                   website="https://www.example.org/kita-sonnenschein"),
        "sonnenhof": make_offer(session, name="Jugendhaus Sonnenhof",
                                category="jugendfreizeithaus", district="mitte",
                                street="Sonnenweg 4", postcode="44787"),
        "regenbogen": make_offer(session, name="Kita Regenbogen", category="kita",
                                 district="mitte", lat=51.4818, lon=7.2162),
        "senioren": make_offer(session, name="Seniorenbüro Wattenscheid",
                               category="seniorenbuero", district="wattenscheid"),
    }


def result_names(page: Page):
    return page.locator("#results .offer-card h3")


def assert_meets_wcag(page: Page) -> None:
    options = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
               "resultTypes": ["violations"]}
    violations = wcag_violations(Axe().run(page, options=options).response["violations"])
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def wait_for_htmx(page: Page) -> None:
    page.wait_for_function("() => window.htmx !== undefined")


def csp_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if "Content Security Policy" in e or e.startswith("uncaught")]


def test_search_with_javascript_updates_results_in_place_and_the_url(live_server, offers,
                                                                     page, console_errors):
    page.goto(f"{live_server}/angebote")
    wait_for_htmx(page)
    expect(result_names(page)).to_have_count(4)
    page.evaluate("() => { window.__noReload = 1;"
                  " document.getElementById('live-status').__original = 1 }")

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
        "that was already on the page")
    assert_meets_wcag(page)
    assert csp_errors(console_errors) == []


def test_search_without_javascript_works_by_submitting_the_form(live_server, offers,
                                                                page_without_js):
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


def test_back_button_after_htmx_searches_restores_the_whole_earlier_page(live_server, offers,
                                                                        page):
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


def test_bad_age_shows_an_error_summary_whose_link_focuses_the_field(live_server, offers,
                                                                      page):
    page.goto(f"{live_server}/angebote?alter=abc")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Das Alter muss eine ganze Zahl")
    expect(page.locator("#alter")).to_have_value("abc")
    expect(page.locator("#alter")).to_have_attribute("aria-invalid", "true")

    summary.get_by_role("link").click()
    expect(page.locator("#alter")).to_be_focused()


def test_every_error_summary_link_leads_somewhere(live_server, offers, page):
    page.goto(f"{live_server}/angebote?q=x&alter=abc&kategorie=zoo&bezirk=nirgendwo&seite=0"
              "&lat=abc&lon=7")
    expect(page.locator(".error-summary a")).to_have_count(5)
    dangling = page.evaluate("""() => [...document.querySelectorAll('.error-summary a')]
        .map(a => a.getAttribute('href'))
        .filter(h => h.startsWith('#') && !document.getElementById(h.slice(1)))""")
    assert dangling == []
    page.get_by_role("link", name="Die Kategorie „zoo“ gibt es nicht.").click()
    expect(page.get_by_label("Begrüßungsteams")).to_be_focused()
    page.get_by_role("link", name="Zur ersten Seite").click()
    expect(page).to_have_url(re.compile(r"/angebote\?q=x$"))


def test_error_summary_is_on_the_first_screen_of_a_phone(live_server, offers, browser,
                                                          console_errors):
    with open_page(browser, console_errors, viewport=MOBILE) as page:
        page.goto(f"{live_server}/angebote?alter=abc")
        box = page.locator(".error-summary").bounding_box()
        assert box and box["y"] + box["height"] <= MOBILE["height"], (
            f"the error summary starts {box and box['y']}px down, below the first screen")


def test_bad_age_typed_with_javascript_shows_the_error_summary_until_corrected(
        live_server, offers, page):
    page.goto(f"{live_server}/angebote")
    wait_for_htmx(page)
    page.fill("#alter", "drei")
    page.get_by_role("button", name="Suchen").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Das Alter muss eine ganze Zahl")
    expect(page.locator("#live-status")).to_have_text("Bitte korrigieren Sie die Eingaben.")
    summary.get_by_role("link").click()
    expect(page.locator("#alter")).to_be_focused()
    assert_meets_wcag(page)

    page.fill("#alter", "3")
    page.get_by_role("button", name="Suchen").click()
    expect(page).to_have_url(re.compile(r"alter=3"))
    expect(summary).to_have_count(0)
    expect(result_names(page)).to_have_text(["Jugendhaus Sonnenhof", "Kita Regenbogen",
                                             "Kita Sonnenschein", "Seniorenbüro Wattenscheid"])


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
def test_small_screen_needs_no_horizontal_scrolling(live_server, offers, browser,
                                                    console_errors, path):
    with open_page(browser, console_errors, viewport=MOBILE) as page:
        page.goto(f"{live_server}{path.format(id=offers['sonnenschein'].id)}")
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= MOBILE["width"], f"{path} is {width}px wide on a 375px screen"

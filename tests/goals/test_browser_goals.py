"""/ziele, its report and the staff page in Chromium: axe (WCAG 2.1 AA), a 360 px
screen, the report printed on A4, the status form with HTMX and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from app.catalogue.writers import Actor
from app.goals.defaults import ensure_default_fields
from app.goals.write import add_note, save
from app.models.goals import GoalField
from app.planning.coverage import coverage
from tests.browser import assert_meets_wcag, csp_errors, open_page, wait_for_htmx
from tests.staff.helpers import PASSWORD, make_user
from tests.web.test_browser_words import SPLIT_WORDS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]

NARROW = {"width": 360, "height": 740}
ANNA = Actor("user:1 anna@example.org", "page")


@pytest.fixture
def agreed(planned):
    from sqlmodel import select

    ensure_default_fields(planned)
    field = planned.exec(select(GoalField).where(GoalField.number == 2)).one()
    goal = save(
        planned,
        "goal",
        {
            "field_id": field.id,
            "number": 1,
            "text": "Mehr Plätze in Wattenscheid, auch für Kinder unter drei Jahren",
        },
        ANNA,
    )
    measure = save(
        planned,
        "measure",
        {
            "goal_id": goal.id,
            "number": 1,
            "text": "Neue Kita an der Hochstraße (Kindertageseinrichtungsbedarfsplanung)",
            "responsible": "Jugendamt, Abteilung Tagesbetreuung",
            "districts": ["wattenscheid"],
            "budget_eur": 1200000,
            "decision_ref": "Drucksache 20251234",
            "decision_date": "2025-06-26",
        },
        ANNA,
    )
    save(
        planned,
        "indicator",
        {
            "goal_id": goal.id,
            "label": "Kitas je 1.000 Kinder unter 6",
            "kind_slug": "kita",
            "measure_key": "je_1000",
            "area_slug": "wattenscheid",
            "baseline_value": 0.2,
            "baseline_date": "2025-01-01",
            "target_value": 0.5,
            "target_date": "2027-12-31",
        },
        ANNA,
    )
    add_note(
        planned,
        measure.id,
        {"noted_on": "2026-03-01", "text": "Grundstück gefunden"},
        ANNA,
        status="begonnen",
    )
    planned.commit()
    coverage(planned)  # warm: the live server shares the cache
    return measure


@pytest.mark.parametrize(
    "path", ["/ziele", "/ziele?bezirk=wattenscheid", "/ziele/bericht?jahr=2026"]
)
def test_the_goals_pages_meet_wcag_and_fit_a_narrow_screen(
    live_server, agreed, browser, path, console_errors
):
    with open_page(browser, console_errors) as page:
        page.goto(f"{live_server}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_meets_wcag(page)
    with open_page(browser, console_errors, viewport=NARROW) as page:
        page.goto(f"{live_server}{path}")
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        assert width <= NARROW["width"], f"{path} is {width}px wide on a 360px screen"
        assert_meets_wcag(page)
    assert csp_errors(console_errors) == []


@pytest.mark.parametrize("path", ["/ziele", "/ziele?lang=en"])
def test_the_indicator_table_keeps_its_words_whole_on_a_phone(
    live_server, agreed, browser, path, console_errors
):
    """The table scrolls in its box; its cells never break "Wattenscheid" into
    "W|a|tt|e|n|s|c|h|ei|d" (overflow-wrap: anywhere had shrunk them to one letter)."""
    with open_page(browser, console_errors, viewport=NARROW) as page:
        page.goto(f"{live_server}{path}")
        expect(page.locator(".indicator-table")).to_be_visible()
        split = page.evaluate(SPLIT_WORDS)
        # (a measure's text may hold a word longer than the line; that one must break)
        assert [w for w in split if w.startswith(("th:", "td:", "caption:", "span:"))] == []


def test_the_yearly_report_prints_on_a4(live_server, agreed, page, tmp_path):
    page.goto(f"{live_server}/ziele/bericht?jahr=2026")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jahresbericht 2026")
    expect(page.locator("#statuswechsel + *")).to_contain_text("begonnen")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    pdf = page.pdf(path=str(tmp_path / "jahresbericht.pdf"), format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_the_twins_download_from_the_page(live_server, agreed, page):
    page.goto(f"{live_server}/ziele")
    for name, kind in (("CSV", "text/csv"), ("JSON", "application/json")):
        href = page.get_by_role("link", name=name, exact=True).get_attribute("href")
        response = page.request.get(f"{live_server}{href}")
        assert response.ok and response.headers["content-type"].startswith(kind)
    href = page.get_by_role("link", name="Excel (XLSX)").get_attribute("href")
    assert page.request.get(f"{live_server}{href}").body()[:2] == b"PK"


def _sign_in(page, live_server) -> None:
    page.goto(f"{live_server}/verwaltung/anmelden")
    page.fill("#email", "planung@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def test_a_planner_changes_a_status_with_htmx_and_without_javascript(
    live_server, agreed, planned, browser, console_errors
):
    make_user(planned, email="planung@example.org", role="planner")
    with open_page(browser, console_errors) as page:
        _sign_in(page, live_server)
        expect(page).to_have_url(re.compile(r"/verwaltung/ziele"))
        wait_for_htmx(page)
        assert_meets_wcag(page)
        item = page.locator(f"#massnahme-{agreed.id}")
        item.locator("select[name=status]").select_option("umgesetzt")
        item.locator("textarea[name=text]").fill("Eröffnet")
        page.evaluate("() => { window.__noReload = 1 }")
        item.get_by_role("button", name=re.compile("Stand speichern")).click()
        expect(page.locator(f"#massnahme-{agreed.id} .status")).to_have_text("umgesetzt")
        assert page.evaluate("() => window.__noReload") == 1
    with open_page(browser, console_errors, java_script_enabled=False) as page:
        _sign_in(page, live_server)
        item = page.locator(f"#massnahme-{agreed.id}")
        item.locator("select[name=status]").select_option("verschoben")
        item.get_by_role("button", name=re.compile("Stand speichern")).click()
        expect(page.locator(f"#massnahme-{agreed.id} .status")).to_have_text("verschoben")
    assert csp_errors(console_errors) == []

"""/verwaltung/pruefen in Chromium without JavaScript: filter with the form, get a URL
to share, mark an entry checked and come back to the same list; axe on each state."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import assert_meets_wcag
from tests.factories import add_districts, make_offer
from tests.staff.helpers import make_user
from tests.staff.test_browser_admin import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]


@pytest.fixture
def due(session, data_dir) -> None:
    add_districts(session, data_dir)
    make_user(session)
    make_offer(session, name="Kita Mitte Eins (generiert)", district="mitte")
    make_offer(session, name="Kita Mitte Zwei (generiert)", district="mitte")
    make_offer(session, name="Kita Wattenscheid (generiert)", district="wattenscheid")
    make_offer(
        session,
        name="OGS Mitte (generiert)",
        category="ogs",
        district="mitte",
        provider_name="Schulträger (generiert)",
        last_verified=date.today() - timedelta(days=400),
    )


def test_staff_filter_the_list_to_check_share_the_url_and_work_through_it(
    live_server, due, page_without_js, page, console_errors
):
    """Without JavaScript: the form, the URL, the button and the way back."""
    plain = page_without_js
    sign_in(plain, live_server)
    plain.goto(f"{live_server}/verwaltung/pruefen")
    expect(plain.locator("#results")).to_have_text("4 Einträge, davon 3 nie geprüft")

    plain.get_by_label("Art des Angebots").select_option(label="Kitas (3)")
    plain.get_by_label("Stadtbezirk").select_option("mitte")
    plain.get_by_role("button", name="Filtern").click()
    expect(plain).to_have_url(re.compile(r"/verwaltung/pruefen\?kategorie=kita&bezirk=mitte"))
    expect(plain.locator("#results")).to_have_text("2 Einträge, davon 2 nie geprüft")
    rows = plain.locator("table.admin-table tbody tr")
    expect(rows).to_have_count(2)
    shared = f"{live_server}/verwaltung/pruefen?kategorie=kita&bezirk=mitte"  # empty ones left out

    rows.first.get_by_role("button", name="Geprüft, unverändert").click()
    expect(plain).to_have_url(shared)
    expect(plain.locator("#results")).to_have_text("1 Eintrag, davon 1 nie geprüft")
    expect(plain.get_by_label("Stadtbezirk")).to_have_value("mitte")

    plain.goto(f"{live_server}/verwaltung/pruefen?bezirk=atlantis")
    summary = plain.locator(".error-summary")
    expect(summary).to_contain_text("Diesen Stadtbezirk gibt es nicht.")
    expect(plain.get_by_label("Stadtbezirk")).to_have_attribute("aria-invalid", "true")

    # The same states for axe-core (WCAG 2.1 AA), which runs as script.
    sign_in(page, live_server)
    for url in ("/verwaltung/pruefen", shared, "/verwaltung/pruefen?bezirk=atlantis"):
        page.goto(url if url.startswith("http") else f"{live_server}{url}")
        assert_meets_wcag(page)
    assert console_errors == []


def test_save_and_mark_checked_from_the_form(live_server, due, page_without_js, page):
    plain = page_without_js
    sign_in(plain, live_server)
    plain.goto(f"{live_server}/verwaltung/pruefen?kategorie=ogs")
    plain.get_by_role("link", name="OGS Mitte (generiert)").click()
    plain.get_by_label("Telefon").fill("0234 910-0")
    plain.get_by_role("button", name="Speichern und als geprüft markieren").click()
    expect(plain.get_by_role("status")).to_contain_text("als heute geprüft vermerkt")
    plain.goto(f"{live_server}/verwaltung/pruefen?kategorie=ogs")
    expect(plain.locator("#results")).to_have_text("0 Einträge")
    sign_in(page, live_server)
    page.goto(f"{live_server}/verwaltung/pruefen?kategorie=ogs")
    assert_meets_wcag(page)

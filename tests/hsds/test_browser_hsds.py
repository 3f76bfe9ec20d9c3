"""The HSDS import pages in Chromium, with axe-core (WCAG 2.1 AA): the upload form,
a preview with a match to confirm, and a preview of a bad feed with its errors."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser import assert_meets_wcag, open_page
from tests.factories import make_offer
from tests.hsds.test_import import _service
from tests.staff.helpers import make_user
from tests.staff.test_browser_admin import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]


def test_the_import_pages_meet_wcag_and_show_matches_and_errors(
    live_server, session, browser, console_errors
):
    make_user(session)
    make_offer(
        session,
        name="Familiencafé Sonnenschein (generiert)",
        street="Musterstraße 12",
        postcode="44787",
    )
    good = json.dumps(_service()).encode() + b"\n"
    bad = _service()
    bad["status"] = "offen"
    with open_page(browser, console_errors) as page:
        sign_in(page, live_server)
        page.goto(f"{live_server}/verwaltung/hsds")
        assert_meets_wcag(page)
        page.set_input_files(
            "#datei",
            files=[{"name": "feed.ndjson", "mimeType": "application/x-ndjson", "buffer": good}],
        )
        page.get_by_role("button", name="Vorschau anzeigen").click()
        box = page.get_by_label("gleicher Name und gleiche Adresse", exact=False)
        expect(box).to_be_checked()
        assert_meets_wcag(page)
        page.get_by_role("button", name="Übernehmen").click()
        expect(page.get_by_role("status")).to_contain_text("0 neu, 1 geändert")
        assert_meets_wcag(page)
        page.goto(f"{live_server}/verwaltung/hsds")
        page.set_input_files(
            "#datei",
            files=[
                {
                    "name": "kaputt.ndjson",
                    "mimeType": "application/x-ndjson",
                    "buffer": json.dumps(bad).encode() + b"\n",
                }
            ],
        )
        page.get_by_role("button", name="Vorschau anzeigen").click()
        expect(page.locator(".error-summary")).to_contain_text("$.status")
        assert_meets_wcag(page)

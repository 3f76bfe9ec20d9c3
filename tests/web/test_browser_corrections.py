"""Suggested corrections in Chromium: a parent reports a wrong phone, staff accept it, the
public page and the change log show it, the reporter's e-mail arrives and the address is
gone; the limit per address; axe-core on the form and the queue pages."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from app.models import Correction
from tests.browser import assert_meets_wcag, csp_errors, open_page
from tests.factories import make_offer
from tests.staff.helpers import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]


def _fill(page: Page, phone: str, email: str = "") -> None:
    page.get_by_label("Welche Angabe ist falsch?").select_option("contact_phone")
    page.get_by_label("Was ist richtig?").fill(phone)
    if email:
        page.get_by_label("Ihre E-Mail-Adresse (freiwillig)").fill(email)
        page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Hinweis senden").click()


def test_a_parent_reports_a_wrong_phone_and_staff_accept_it(
    live_server, session, browser, page, console_errors, smtp_server
):
    make_user(session, email="redaktion@example.org", role="editor")
    kita = make_offer(
        session,
        name="Kita Regenbogen (generiert)",
        contact_phone="0234 111111",
        provider_name="Träger Regenbogen (generiert)",
    )
    parent = page
    parent.goto(f"{live_server}/angebote/{kita.id}")
    parent.get_by_role("link", name="Fehler melden").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Fehler melden")
    assert_meets_wcag(parent)
    # an error first: the summary, the field marked, the typed text kept
    parent.get_by_label("Was ist richtig?").fill("0234 222222")
    parent.get_by_role("button", name="Hinweis senden").click()
    expect(parent.locator(".error-summary")).to_contain_text("Wählen Sie aus")
    expect(parent.get_by_label("Was ist richtig?")).to_have_value("0234 222222")
    assert_meets_wcag(parent)
    _fill(parent, "0234 222222", "eltern@example.org")
    expect(parent.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihren Hinweis")
    parent.goto(f"{live_server}/angebote/{kita.id}")
    expect(parent.locator(".facts").first).to_contain_text("0234 111111")  # nothing changed yet

    with open_page(browser, console_errors) as staff:
        staff.goto(f"{live_server}/verwaltung/anmelden")
        staff.get_by_label("E-Mail-Adresse").fill("redaktion@example.org")
        staff.get_by_label("Passwort").fill(PASSWORD)
        staff.get_by_role("button", name="Anmelden").click()
        staff.get_by_role("link", name="1 offener Korrekturhinweis").click()
        queue = staff.locator("table")
        expect(queue).to_contain_text("0234 111111")
        expect(queue).to_contain_text("0234 222222")
        expect(queue).to_contain_text("Träger Regenbogen (generiert)")
        assert_meets_wcag(staff)
        staff.get_by_role("link", name="Kita Regenbogen (generiert)").click()
        assert_meets_wcag(staff)
        expect(staff.get_by_label("Neuer Wert")).to_have_value("0234 222222")
        staff.get_by_role("button", name="Übernehmen").click()
        expect(staff.locator(".notice-success")).to_contain_text("E-Mail mit dem Ergebnis")
        staff.goto(f"{live_server}/verwaltung/angebote/{kita.id}/verlauf")
        expect(staff.locator("main")).to_contain_text("Korrekturhinweis")
        expect(staff.locator("main")).to_contain_text("0234 222222")

    parent.reload()  # the page may be kept by the browser (max-age): ask again
    expect(parent.locator(".facts").first).to_contain_text("0234 222222")
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "eltern@example.org"
    assert "0234 222222" in mail.get_content()
    session.expire_all()
    [case] = session.exec(select(Correction)).all()
    assert case.status == "accepted" and case.email is None
    assert "eltern@example.org" not in repr(session.exec(select(Correction)).all())
    assert not csp_errors(console_errors)


def test_twenty_suggestions_from_one_address_are_refused_after_the_limit(
    live_server, session, page_without_js
):
    page = page_without_js  # the form works without JavaScript
    kita = make_offer(session, contact_phone="0234 111111")
    refused = 0
    for n in range(20):
        page.goto(f"{live_server}/angebote/{kita.id}/fehler-melden")
        _fill(page, f"0234 {300000 + n}")
        if page.locator(".error-summary").count():
            expect(page.locator(".error-summary")).to_contain_text("schon viele Hinweise")
            expect(page.get_by_label("Was ist richtig?")).to_have_value(f"0234 {300000 + n}")
            refused += 1
    assert refused == 10
    session.expire_all()
    assert len(session.exec(select(Correction)).all()) == 10

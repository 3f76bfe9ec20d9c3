"""Done when (issue 18, provider accounts) in Chromium: a provider's contact invited by
e-mail (the link read from the local SMTP server) sets a password, sees only its
provider's offers, corrects a phone and confirms the rest; with PROVIDER_EDITS=review
the change waits in the staff's queue and is public only after it is accepted. axe
(WCAG 2.1 AA) on every new page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import assert_meets_wcag, csp_errors, open_page
from tests.factories import make_offer
from tests.staff.helpers import PASSWORD, make_provider_account, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]

A = "Familienzentren Bochum e.V. (generiert)"


@pytest.fixture
def offers(session) -> dict:
    make_user(session, email="redaktion@example.org", role="editor")
    common = {"street": "Hochstraße 1", "postcode": "44866", "city": "Bochum"}
    return {
        "a1": make_offer(
            session,
            name="Kita Regenbogen (generiert)",
            provider_name=A,
            contact_phone="0234 100",
            **common,
        ),
        "a2": make_offer(session, name="Kita Sternschnuppe (generiert)", provider_name=A, **common),
        "b1": make_offer(
            session,
            name="Kita Anderswo (generiert)",
            provider_name="Anderer Träger (generiert)",
            contact_phone="0234 900",
            **common,
        ),
    }


def sign_in_staff(page: Page, base: str) -> None:
    page.goto(f"{base}/verwaltung/anmelden")
    page.get_by_label("E-Mail-Adresse").fill("redaktion@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwaltung des Familienwegweisers")


def test_an_invited_provider_corrects_a_phone_that_is_public_only_once_staff_accept_it(
    live_server, offers, smtp_server, browser, page, console_errors
):
    a1, a2 = offers["a1"], offers["a2"]
    sign_in_staff(page, live_server)
    page.goto(f"{live_server}/verwaltung/traeger/{a1.provider_id}")
    assert_meets_wcag(page)
    page.get_by_label("E-Mail-Adresse der Kontaktperson").fill("leitung@fz.example.org")
    page.get_by_role("button", name="Einladen").click()
    expect(page.get_by_role("status")).to_contain_text("per E-Mail verschickt")

    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "leitung@fz.example.org"
    path = re.search(r"/verwaltung/einladung/\S+", mail.get_content()).group(0)

    errors: list[str] = []
    with open_page(browser, errors) as provider:
        provider.goto(f"{live_server}{path}")
        expect(provider.get_by_role("heading", level=1)).to_have_text("Einladung annehmen")
        assert_meets_wcag(provider)
        provider.get_by_label("Passwort", exact=True).fill(PASSWORD)
        provider.get_by_label("Passwort noch einmal").fill(PASSWORD)
        provider.get_by_role("button", name="Passwort festlegen und anmelden").click()
        expect(provider.get_by_role("status")).to_contain_text("Willkommen")
        main = provider.locator("main")
        expect(main).to_contain_text("Kita Regenbogen")
        expect(main).to_contain_text("Kita Sternschnuppe")
        expect(main).not_to_contain_text("Kita Anderswo")
        expect(main).not_to_contain_text("0234 900")
        assert_meets_wcag(provider)

        provider.get_by_role("link", name=re.compile("Korrigieren.*Kita Regenbogen")).click()
        assert_meets_wcag(provider)
        provider.get_by_label("Telefon", exact=True).fill("0234 123-45")
        provider.get_by_role("button", name="Korrektur senden").click()
        expect(provider.get_by_role("status")).to_contain_text("von der Redaktion geprüft")
        expect(provider.locator(f"#angebot-{a1.id}")).to_contain_text("wartet auf die Prüfung")
        provider.get_by_role("button", name="Stimmt so: Kita Sternschnuppe (generiert)").click()
        expect(provider.get_by_role("status")).to_contain_text("vom Träger bestätigt")
        refused = provider.goto(f"{live_server}/verwaltung/angebote")  # the staff's list
        assert refused.status == 403
        expect(provider.locator("main")).not_to_contain_text("Kita Anderswo")
        assert csp_errors(errors) == []

    with open_page(browser, []) as parent:  # a parent's browser, before staff accept
        parent.goto(f"{live_server}/angebote/{a1.id}")
        expect(parent.locator("main")).to_contain_text("0234 100")
        expect(parent.locator("main")).not_to_contain_text("0234 123-45")
        parent.goto(f"{live_server}/angebote/{a2.id}")
        expect(parent.locator("main")).to_contain_text("vom Träger bestätigt am")

    page.goto(f"{live_server}/verwaltung/traeger-aenderungen")
    queue = page.locator("main")
    expect(queue).to_contain_text("Kita Regenbogen")
    row = page.get_by_role("row", name=re.compile("^Telefon"))
    expect(row).to_contain_text("0234 100")
    expect(row).to_contain_text("0234 123-45")
    assert_meets_wcag(page)
    page.get_by_role("button", name="Annehmen").click()
    expect(page.get_by_role("status")).to_contain_text("ist angenommen und veröffentlicht")

    with open_page(browser, []) as parent:  # a fresh browser: no copy kept for 60 s
        parent.goto(f"{live_server}/angebote/{a1.id}")
        expect(parent.locator("main")).to_contain_text("0234 123-45")
    page.goto(f"{live_server}/verwaltung/angebote/{a1.id}/verlauf")
    expect(page.locator("main")).to_contain_text("leitung@fz.example.org")
    assert csp_errors(console_errors) == []


def test_the_verification_round_pages_meet_wcag(live_server, offers, session, smtp_server, page):
    make_provider_account(session, A, "leitung@fz.example.org")
    sign_in_staff(page, live_server)
    page.goto(f"{live_server}/verwaltung/pruefrunden")
    assert_meets_wcag(page)
    page.get_by_label("Art von Angebot").select_option("kita")
    page.get_by_role("button", name="Prüfrunde starten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfrunde vom")
    expect(page.locator("main")).to_contain_text("noch nicht: 2")
    assert_meets_wcag(page)
    assert len(smtp_server.wait_for(1)) == 1

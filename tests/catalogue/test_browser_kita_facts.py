"""A parent opens a Kita's page in Chromium: the facts from press and provider pages
are there with their source and date, an edited field's fact is marked as older, and
the page passes axe. SQLite only, like the other browser tests."""

import pytest
from playwright.sync_api import expect

from app.catalogue.write import create_offer, update_offer
from app.catalogue.writers import IMPORT, SourceInfo
from app.importer.kitafacts import load_kita_facts
from app.importer.records import SOURCE_POI
from app.models import OfferCreate
from tests.browser import assert_meets_wcag, csp_errors
from tests.factories import STAFF

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]


def test_a_kita_page_with_sourced_facts_reads_well_and_passes_axe(
    live_server, page, session, data_dir, console_errors
):
    data = OfferCreate(name="Integrative Kita Wasserstraße (generiert)", category="kita")
    offer = create_offer(session, data, IMPORT, source=SourceInfo(SOURCE_POI, "454615"))
    session.commit()
    load_kita_facts(session, data_dir)
    session.commit()
    update_offer(session, offer, {"contact_phone": "0234 999999"}, STAFF)
    session.commit()

    page.goto(f"{live_server}/angebote/{offer.id}")
    section = page.locator("section.sourced-facts")
    expect(
        section.get_by_role("heading", name="Angaben aus Presse und Trägerseiten")
    ).to_be_visible()
    phone = section.locator("li.fact-phone")
    expect(phone).to_contain_text("0234 432478")
    expect(phone).to_contain_text("laut")
    expect(phone).to_contain_text("älter als die Angabe des Trägers/Amts")
    expect(section.locator("li.fact-familienzentrum_since").first).to_contain_text("2009")
    expect(section.locator("li.fact-familienzentrum_since").first).not_to_contain_text("älter")
    assert_meets_wcag(page)
    assert not csp_errors(console_errors)


def test_staff_reach_the_closures_list_from_the_menu_and_it_passes_axe(
    live_server, page, session, data_dir, console_errors
):
    from tests.staff.helpers import make_user
    from tests.staff.test_browser_admin import sign_in

    data = OfferCreate(name="AWO Kita Am Trappen (generiert)", category="kita")
    create_offer(session, data, IMPORT, source=SourceInfo(SOURCE_POI, "302259"))
    session.commit()
    load_kita_facts(session, data_dir)
    session.commit()
    make_user(session)
    sign_in(page, live_server)
    page.get_by_role("link", name="Kita-Meldungen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kita-Meldungen aus Presse und Trägerseiten"
    )
    closures = page.get_by_role("table", name="Schließungen und angekündigte Schließungen")
    expect(closures.get_by_role("row").filter(has_text="AWO Kita Am Trappen")).to_contain_text(
        "geschlossen zum 31.07.2024"
    )
    missing = page.get_by_role("table", name="Kitas, die in der Datei der Stadt fehlen")
    expect(missing).to_contain_text("Vinzelino-Kita Imbuschplatz")
    assert_meets_wcag(page)
    assert not csp_errors(console_errors)

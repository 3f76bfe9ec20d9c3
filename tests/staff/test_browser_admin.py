"""The staff pages in Chromium: sign in, edit with an error and fix it, place an offer
on the map, and axe-core (WCAG 2.1 AA) on every staff page."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import MOBILE, assert_meets_wcag, csp_errors, open_page
from tests.factories import add_districts, make_offer
from tests.staff.helpers import PASSWORD, make_token, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True),
]


@pytest.fixture
def offers(session, data_dir) -> dict:
    add_districts(session, data_dir)
    make_user(session, email="redaktion@example.org", role="editor")
    make_user(session, email="admin@example.org", role="admin")
    make_token(session, name="Test-Zugang")
    return {
        "kita": make_offer(
            session,
            name="Kita Sonnenschein (generiert)",
            category="kita",
            street="Hochstraße 1",
            postcode="44866",
            lat=51.48,
            lon=7.135,
        ),
        "twin": make_offer(
            session,
            name="Kita Sonnenschein Zwei (generiert)",
            category="kita",
            street="Hochstr. 1",
            postcode="44866",
            lat=51.48,
            lon=7.135,
        ),
        "unplaced": make_offer(
            session,
            name="Jugendhaus Ohne Punkt (generiert)",
            category="jugendfreizeithaus",
            street="Unbekannter Weg 3",
            postcode="44787",
            district="mitte",
        ),
    }


def sign_in(page: Page, base: str, email: str = "redaktion@example.org") -> None:
    page.goto(f"{base}/verwaltung/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwaltung des Familienwegweisers")


def test_an_editor_fixes_an_invalid_postcode_and_the_public_page_shows_the_change(
    live_server, offers, page, console_errors
):
    kita = offers["kita"]
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Anmelden").click()  # the footer link
    expect(page).to_have_url(re.compile("/verwaltung/anmelden"))
    sign_in(page, live_server)
    page.goto(f"{live_server}/verwaltung/angebote?q=Sonnenschein")
    page.get_by_role("link", name="Kita Sonnenschein (generiert)").click()
    page.get_by_label("Telefon").fill("0234 5678910")
    page.get_by_label("Montag").fill("07:30–16:00")
    page.get_by_label("Plätze insgesamt").fill("55")
    page.get_by_label("Postleitzahl").fill("4486")
    page.get_by_role("button", name="Änderungen speichern").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(re.compile("Postleitzahl hat fünf Ziffern"))
    expect(page.get_by_label("Postleitzahl")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Telefon")).to_have_value("0234 5678910")  # typed input kept
    assert_meets_wcag(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Postleitzahl")).to_be_focused()
    page.get_by_label("Postleitzahl").fill("44866")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")

    page.goto(f"{live_server}/angebote/{kita.id}")
    expect(page.locator("main")).to_contain_text("0234 5678910")
    expect(page.locator("main")).to_contain_text("07:30–16:00")
    expect(page.locator("main")).to_contain_text("55")
    assert csp_errors(console_errors) == []


def test_an_offer_without_a_point_is_placed_and_appears_on_the_map(live_server, offers, page):
    unplaced = offers["unplaced"]
    sign_in(page, live_server)
    page.get_by_role("link", name=re.compile("noch nicht auf der Karte")).click()
    page.get_by_role("link", name=re.compile("Platzieren.*Jugendhaus Ohne Punkt")).click()
    page.get_by_label("Adresse, Postleitzahl oder Koordinaten").fill("51.4818, 7.2162")
    page.get_by_role("button", name="Punkt suchen").click()
    expect(page.locator("#how")).to_contain_text("Vom Amt gesetzt")
    expect(page.locator("#vorschau .map-marker")).to_have_count(1)
    page.get_by_role("button", name="Diesen Punkt speichern").click()
    expect(page.get_by_role("status")).to_contain_text("auf der Karte")
    page.goto(f"{live_server}/karte?kategorie=jugendfreizeithaus")
    expect(page.locator(f'a.map-marker-link[href="/angebote/{unplaced.id}"]')).to_have_count(1)


def test_the_staff_pages_work_without_javascript(live_server, offers, page_without_js):
    page = page_without_js
    sign_in(page, live_server)
    page.goto(f"{live_server}/verwaltung/angebote/{offers['kita'].id}")
    page.get_by_label("E-Mail").fill("keine-adresse")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.locator(".error-summary")).to_contain_text("E-Mail-Adresse wie")
    page.get_by_label("E-Mail").fill("kita@example.org")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_role("status")).to_contain_text("gespeichert")
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("status")).to_contain_text("abgemeldet")


def _staff_pages(offers: dict) -> list[str]:
    kita, unplaced = offers["kita"].id, offers["unplaced"].id
    return [
        "/verwaltung",
        "/verwaltung/angebote",
        "/verwaltung/angebote?status=archiviert",
        "/verwaltung/angebote/neu",
        f"/verwaltung/angebote/{kita}",
        f"/verwaltung/angebote/{kita}/verlauf",
        "/verwaltung/ohne-karte",
        f"/verwaltung/angebote/{unplaced}/platzieren",
        f"/verwaltung/angebote/{unplaced}/platzieren?ort=44787",
        f"/verwaltung/angebote/{unplaced}/platzieren?ort=Atlantis",
        f"/verwaltung/angebote/{unplaced}/platzieren?ort=51.5136%2C+7.4653",  # outside Bochum
        "/verwaltung/pruefen",
        "/verwaltung/dubletten",
        "/verwaltung/hochladen",
        "/verwaltung/traeger",
        "/verwaltung/traeger/neu",
        "/verwaltung/konto/passwort",
        "/verwaltung/konten",
        "/verwaltung/zugaenge",
        "/verwaltung/planungsdaten",
    ]


def test_every_staff_page_meets_wcag_21_aa_on_desktop_and_phone(
    live_server, offers, browser, console_errors
):
    checked = []
    with open_page(browser, console_errors) as page:
        page.goto(f"{live_server}/verwaltung/anmelden")
        assert_meets_wcag(page)
        checked.append("/verwaltung/anmelden")
        sign_in(page, live_server, "admin@example.org")
        for path in _staff_pages(offers):
            page.goto(f"{live_server}{path}")
            assert_meets_wcag(page)
            checked.append(path)
        # pages that only come from a form: the merge page, a new token, an upload preview
        page.goto(f"{live_server}/verwaltung/zugaenge")
        page.get_by_label("Name").fill("Neuer Zugang")
        page.get_by_role("button", name="Zugang anlegen").click()
        expect(page.locator(".secret")).to_be_visible()
        assert_meets_wcag(page)
        page.goto(f"{live_server}/verwaltung/hochladen")
        bad_file = b"name;kategorie;plz\nKita X (generiert);kita;123\n"
        page.set_input_files(
            "#datei", files=[{"name": "liste.csv", "mimeType": "text/csv", "buffer": bad_file}]
        )
        page.get_by_role("button", name="Vorschau anzeigen").click()
        expect(page.locator(".error-summary")).to_contain_text(
            "Zeile 2, Postleitzahl: fünf Ziffern, z. B. 44787"
        )
        assert_meets_wcag(page)
        page.goto(f"{live_server}/verwaltung/planungsdaten")
        page.set_input_files(
            "#einwohner-datei",
            files=[
                {
                    "name": "einwohner.csv",
                    "mimeType": "text/csv",
                    "buffer": b"bezirk;alter_von;alter_bis_unter;jahr;einwohner;quelle\n"
                    b"Atlantis;0;6;2030;100;generiert\n",
                }
            ],
        )
        page.get_by_role("button", name="Einwohnerzahlen laden").click()
        expect(page.locator(".error-summary")).to_contain_text(
            "Zeile 2, Bezirk: unbekannter Bezirk „Atlantis“"
        )
        assert_meets_wcag(page)
        # a point outside Bochum saved without ticking the box: refused, worded, linked
        unplaced = offers["unplaced"].id
        page.goto(f"{live_server}/verwaltung/angebote/{unplaced}/platzieren?ort=51.5136%2C+7.4653")
        page.get_by_role("button", name="Diesen Punkt speichern").click()
        expect(page.locator(".error-summary a[href='#ausserhalb']")).to_contain_text(
            "außerhalb des Stadtgebiets"
        )
        expect(page.get_by_label("Ja, das Angebot liegt außerhalb")).to_have_attribute(
            "aria-invalid", "true"
        )
        assert_meets_wcag(page)
        checked += ["token created", "upload preview", "planning upload errors", "place outside"]
    with open_page(browser, console_errors, viewport=MOBILE) as phone:
        sign_in(phone, live_server)
        for path in (
            "/verwaltung",
            f"/verwaltung/angebote/{offers['kita'].id}",
            "/verwaltung/angebote",
        ):
            phone.goto(f"{live_server}{path}")
            assert_meets_wcag(phone)
            width = phone.evaluate("() => document.documentElement.scrollWidth")
            assert width <= MOBILE["width"], f"{path} is {width}px wide on a phone"
    print(f"\naxe: {len(checked)} staff pages checked: {', '.join(checked)}")
    assert csp_errors(console_errors) == []


def test_the_merge_page_meets_wcag(live_server, offers, browser, console_errors, session):
    kita = offers["kita"]
    with open_page(browser, console_errors) as anna, open_page(browser, console_errors) as ben:
        sign_in(anna, live_server)
        sign_in(ben, live_server, "admin@example.org")
        ben.goto(f"{live_server}/verwaltung/angebote/{kita.id}")
        anna.goto(f"{live_server}/verwaltung/angebote/{kita.id}")
        anna.get_by_label("Telefon").fill("0234 111111")
        anna.get_by_role("button", name="Änderungen speichern").click()
        ben.get_by_label("Telefon").fill("0234 222222")
        ben.get_by_label("Kosten").fill("kostenlos")
        ben.get_by_role("button", name="Änderungen speichern").click()
        expect(ben.get_by_role("heading", level=1)).to_have_text(
            "Jemand hat das Angebot inzwischen geändert"
        )
        assert_meets_wcag(ben)
        ben.get_by_role("button", name="Zusammengeführt speichern").click()
        expect(ben.get_by_role("status")).to_contain_text("gespeichert")
        ben.goto(f"{live_server}/verwaltung/angebote/{kita.id}/verlauf")
        expect(ben.locator("main")).to_contain_text("redaktion@example.org")
        expect(ben.locator("main")).to_contain_text("admin@example.org")
        assert_meets_wcag(ben)

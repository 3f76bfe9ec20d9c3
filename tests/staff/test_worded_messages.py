"""What staff read about their input is in the page's language and in words: the line
and the field by name ("Zeile 3, Postleitzahl: fünf Ziffern, z. B. 44787"), every error
of a line at once, never a validator's raw text; times in Bochum's time."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import select

from app.catalogue.write import update_offer
from app.catalogue.writers import Actor
from app.models import OfferChange
from tests.factories import add_planning_inputs, make_offer
from tests.staff.helpers import make_user, sign_in, token_of

HEADER = "name;kategorie;plz;telefon;email;website;plaetze;aufzug\n"
# Line 3 has five bad cells; line 2 is good.
BAD_FILE = HEADER + (
    "Kita Gut (generiert);kita;44787;0234 123456;kita@example.org;www.example.org;40;ja\n"
    "Kita Schlecht (generiert);kita;4478;12;keine-adresse;javascript:alert(1);viele;vielleicht\n"
)
RAW = ("String should", "Value error", "pattern", "should be", "Input should")


def _preview(client, content: str, lang: str | None = None):  # noqa: ANN001, ANN202
    answer = client.post(
        "/verwaltung/hochladen",
        data={"csrf_token": token_of(client, "/verwaltung/hochladen")},
        files={"datei": ("liste.csv", content, "text/csv")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]
    url = answer.headers["location"] + (f"?lang={lang}" if lang else "")
    return client.get(url)


def test_an_upload_reports_every_bad_field_of_a_line_in_german_words(client, session):
    make_user(session)
    sign_in(client)
    page = _preview(client, BAD_FILE)
    assert page.status_code == 422
    text = page.text
    for expected in (
        "Zeile 3, Postleitzahl: fünf Ziffern, z. B. 44787",
        "Zeile 3, Telefon: keine gültige Telefonnummer (mindestens fünf Ziffern)",
        "Zeile 3, E-Mail: keine gültige E-Mail-Adresse",
        "Zeile 3, Internetseite: keine gültige Web-Adresse (zum Beispiel www.beispiel.de)",
        "Zeile 3, Plätze: „viele“ ist keine ganze Zahl von 0 bis 100000",
        "Zeile 3, Aufzug: „vielleicht“ ist nicht ja, nein oder leer",
    ):
        assert expected in text, expected
    assert "6 Fehler: die Datei wird nicht übernommen" in text
    assert "Zeile 2" not in text
    assert not any(raw in text for raw in RAW)


def test_an_upload_reports_in_english_with_lang_en(client, session):
    make_user(session)
    sign_in(client)
    text = _preview(client, BAD_FILE, lang="en").text
    assert "Line 3, Postcode: five digits, e.g. 44787" in text
    assert "Line 3, Phone: not a valid phone number (at least five digits)" in text
    assert "Line 3, Places: “viele” is not a whole number from 0 to 100000" in text
    assert "Line 3, Lift: “vielleicht” is not yes, no or empty" in text
    assert not any(raw in text for raw in RAW)
    assert "Zeile 3" not in text


def test_a_planning_loader_names_an_unknown_district_in_german_and_english(
    client, session, data_dir
):
    add_planning_inputs(session, data_dir)
    session.commit()
    make_user(session)
    sign_in(client)
    table = "bezirk;alter_von;alter_bis_unter;jahr;einwohner;quelle\nAtlantis;0;6;2030;viele;\n"

    def upload(lang: str = "") -> str:
        page = "/verwaltung/planungsdaten"
        return client.post(
            f"{page}/einwohner{lang}",
            data={"csrf_token": token_of(client, page)},
            files={"einwohner-datei": ("e.csv", table, "text/csv")},
        ).text

    german = upload()
    assert "Zeile 2, Bezirk: unbekannter Bezirk „Atlantis“" in german
    assert "Zeile 2, Einwohner: „viele“ ist keine ganze Zahl" in german
    assert "Zeile 2, Quelle: leer: jede Zahl braucht ihre Quelle" in german
    assert "unknown district" not in german
    english = upload("?lang=en")
    assert "Line 2, District: unknown district “Atlantis”" in english
    assert "Line 2, Residents: “viele” is not a whole number" in english


def test_the_conflict_page_names_the_channel_in_words(client, session):
    make_user(session, email="anna@example.org")
    make_user(session, email="ben@example.org")
    offer = make_offer(session, name="Kita Kanal (generiert)", street="Wasserstr. 1")
    anna, ben = client, TestClient(client.app)
    sign_in(anna, "anna@example.org")
    sign_in(ben, "ben@example.org")
    path = f"/verwaltung/angebote/{offer.id}"
    form = {"name": offer.name, "category": "kita", "city": "Bochum", "street": "Wasserstr. 1"}
    ben_token = token_of(ben, path)
    saved = anna.post(
        path,
        data={
            **form,
            "version": "1",
            "contact_phone": "0234 111111",
            "csrf_token": token_of(anna, path),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    conflict = ben.post(
        path, data={**form, "version": "1", "costs": "frei", "csrf_token": ben_token}
    )
    assert conflict.status_code == 409
    assert "(page)" not in conflict.text
    assert "(Verwaltungsseite)" in conflict.text
    english = ben.post(
        f"{path}?lang=en",
        data={**form, "version": "1", "costs": "frei", "csrf_token": token_of(ben, path)},
    )
    assert "(page)" not in english.text and "(Staff page)" in english.text


def test_the_history_shows_times_in_bochum(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Sommerzeit (generiert)")
    change = session.exec(select(OfferChange).where(OfferChange.offer_id == offer.id)).one()
    change.changed_at = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)  # 12:00 in Bochum (CEST)
    session.add(change)
    session.commit()
    sign_in(client)
    page = client.get(f"/verwaltung/angebote/{offer.id}/verlauf").text
    assert "01.07.2026, 12:00 Uhr" in page
    assert "10:00" not in page and "UTC" not in page
    change.changed_at = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already 2027 in Bochum
    session.add(change)
    session.commit()
    page = client.get(f"/verwaltung/angebote/{offer.id}/verlauf").text
    assert "01.01.2027, 00:30 Uhr" in page
    english = client.get(f"/verwaltung/angebote/{offer.id}/verlauf?lang=en").text
    assert "2027-01-01 00:30" in english


def test_the_history_names_the_provider_and_hsds_channels_in_words(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Kanäle (generiert)")
    update_offer(
        session, offer, {"costs": "kostenlos"}, Actor("user:9 traeger@example.org", "provider")
    )
    update_offer(session, offer, {"costs": "frei"}, Actor("feed", "hsds"))
    session.commit()
    sign_in(client)
    page = client.get(f"/verwaltung/angebote/{offer.id}/verlauf").text
    assert "über Träger-Konto" in page and "über HSDS-Feed" in page
    assert "über provider" not in page and "über hsds" not in page
    english = client.get(f"/verwaltung/angebote/{offer.id}/verlauf?lang=en").text
    assert "via Provider account" in english and "via HSDS feed" in english


def test_an_empty_cell_of_a_required_field_says_it_is_missing(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Leer (generiert)")
    sign_in(client)
    page = _preview(client, f"id;version;name\n{offer.id};1;\n")
    assert "Zeile 2, Name: fehlt" in page.text
    assert "hat nicht die erwartete Form" not in page.text


def test_a_line_with_a_bad_cell_still_gets_the_rules_between_its_fields(client, session):
    # pydantic checks "age from ≤ age to" only when every field is valid; a line with a
    # bad category and postcode must still be told about its ages, all at once.
    make_user(session)
    sign_in(client)
    content = (
        "name;kategorie;plz;alter_von;alter_bis\nKita Schlecht (generiert);gibtsnicht;4478;7;3\n"
    )
    text = _preview(client, content).text
    assert "Zeile 2, Kategorie:" in text and "Zeile 2, Postleitzahl:" in text
    assert "das Alter „von“ ist größer als das Alter „bis“" in text
    assert "3 Fehler: die Datei wird nicht übernommen" in text

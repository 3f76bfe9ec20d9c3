"""A public data note that a later edit made wrong disappears (or the part of it that
still holds is kept, marked with what changed since)."""

import re

from app.catalogue.notes import split_note
from app.catalogue.write import update_offer
from tests.factories import STAFF, make_offer
from tests.staff.helpers import make_user, sign_in


def _note(client, offer) -> str | None:  # noqa: ANN001
    """The text of the page's "Hinweis zu den Daten", or None when it shows none."""
    html = client.get(f"/angebote/{offer.id}").text
    found = re.search(r"<h2>Hinweis zu den Daten</h2>\s*<p>(.*?)</p>", html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else None


def _edit(session, offer, **changes):  # noqa: ANN001, ANN202
    update_offer(session, offer, changes, STAFF)
    session.commit()


def test_the_phone_note_disappears_once_staff_entered_a_phone(client, session):
    offer = make_offer(
        session, name="Kita Notiz (generiert)", notes="Telefon nicht genannt. Bitte prüfen."
    )
    assert _note(client, offer) == "Telefon nicht genannt. Bitte prüfen."
    _edit(session, offer, description="Eine Kita mit Garten.")  # another field: still true
    assert _note(client, offer) == "Telefon nicht genannt. Bitte prüfen."
    _edit(session, offer, contact_phone="0234 910-0")
    assert _note(client, offer) is None
    assert "Hinweis zu den Daten" not in client.get(f"/angebote/{offer.id}").text


def test_the_part_still_true_stays_and_a_half_true_part_says_what_changed(client, session):
    offer = make_offer(
        session,
        name="Jugendhaus Notiz (generiert)",
        category="jugendfreizeithaus",
        notes="Stand 2020, bitte prüfen. Träger nicht genannt. PLZ und Telefon nicht genannt.",
    )
    _edit(session, offer, contact_phone="0234 910-0", provider_name="Träger Neu (generiert)")
    assert _note(client, offer) == (
        "Stand 2020, bitte prüfen. PLZ und Telefon nicht genannt. "
        "(seit dem Hinweis geändert: Telefon)"
    )


def test_a_note_written_with_the_edit_or_after_it_is_shown_whole(client, session):
    offer = make_offer(session, name="Beratung Notiz (generiert)", category="beratung")
    _edit(session, offer, contact_phone="0234 910-0", notes="Telefon nur vormittags besetzt.")
    assert _note(client, offer) == "Telefon nur vormittags besetzt."
    _edit(session, offer, notes="Telefon nicht genannt.")  # a note newer than the phone
    assert _note(client, offer) == "Telefon nicht genannt."


def test_staff_see_on_the_form_which_parts_the_public_page_leaves_out(client, session):
    make_user(session)
    offer = make_offer(
        session,
        name="Kita Formular (generiert)",
        notes="Adresse aus einer Notiz; Telefon nicht genannt. Bitte prüfen.",
    )
    _edit(session, offer, contact_phone="0234 910-0")
    assert _note(client, offer) == "Adresse aus einer Notiz."
    sign_in(client)
    html = client.get(f"/verwaltung/angebote/{offer.id}").text
    hint = re.search(r'<div class="hint" id="notes-outdated">(.*?)</div>', html, re.S)
    assert hint and "„Telefon nicht genannt. Bitte prüfen.“" in hint.group(1)
    # The stored note is unchanged: staff decide what to do with it.
    assert "Adresse aus einer Notiz; Telefon nicht genannt. Bitte prüfen.</textarea>" in html


def test_the_notes_of_the_curated_data_split_into_parts_about_their_fields():
    parts = split_note(
        "Hausnummer, PLZ und Telefon nicht genannt; Öffnungszeiten bitte prüfen. "
        "Stand ca. 2010/11, geschlossen? Bitte prüfen. Telefon laut Artikel, evtl. veraltet."
    )
    assert [(text, sorted(fields)) for text, fields in parts] == [
        ("Hausnummer, PLZ und Telefon nicht genannt;", ["contact_phone", "postcode", "street"]),
        ("Öffnungszeiten bitte prüfen.", ["opening_hours"]),
        ("Stand ca. 2010/11, geschlossen? Bitte prüfen.", []),
        ("Telefon laut Artikel, evtl. veraltet.", ["contact_phone"]),
    ]

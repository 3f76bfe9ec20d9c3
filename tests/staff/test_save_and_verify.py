""" "Speichern und als geprüft markieren" on the offer form: the edit and the check are
written together through the one write path, or not at all."""

import re
from datetime import date

from sqlmodel import select

from app.models import Offer, OfferChange
from tests.factories import make_offer
from tests.staff.helpers import form_token, make_user, sign_in
from tests.staff.test_offer_pages import _form

BUTTON = '<button type="submit" name="pruefen" value="1"'


def _actions(session, offer) -> list[str]:  # noqa: ANN001
    return [
        c.action
        for c in session.exec(
            select(OfferChange)
            .where(OfferChange.offer_id == offer.id)
            .order_by(OfferChange.version)
        )
    ]


def _post(client, offer, **fields):  # noqa: ANN001, ANN202
    data = _form(offer, **fields)
    data["csrf_token"] = form_token(client.get(f"/verwaltung/angebote/{offer.id}").text)
    return client.post(f"/verwaltung/angebote/{offer.id}", data=data, follow_redirects=False)


def test_the_form_saves_and_marks_the_entry_checked_in_one_go(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Prüfen (generiert)")
    sign_in(client)
    form = client.get(f"/verwaltung/angebote/{offer.id}").text
    assert BUTTON in form and "Speichern und als geprüft markieren</button>" in form
    assert "Kita Prüfen (generiert)" in client.get("/verwaltung/pruefen").text

    response = _post(client, offer, contact_phone="0234 910-0", pruefen="1")
    assert response.status_code == 303
    assert response.headers["location"].endswith("status=gespeichert-geprueft")
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert stored.contact_phone == "0234 910-0" and stored.last_verified == date.today()
    assert _actions(session, offer) == ["create", "update", "verify"]
    shown = client.get(response.headers["location"]).text
    assert "der Eintrag ist als heute geprüft vermerkt" in shown
    assert "Kita Prüfen (generiert)" not in client.get("/verwaltung/pruefen").text


def test_the_plain_save_does_not_mark_it_checked(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Nur Speichern (generiert)")
    sign_in(client)
    assert _post(client, offer, contact_phone="0234 910-0").status_code == 303
    session.expire_all()
    assert session.get(Offer, offer.id).last_verified is None
    assert _actions(session, offer) == ["create", "update"]


def test_invalid_input_writes_neither_the_edit_nor_the_check(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Falsch (generiert)")
    sign_in(client)
    response = _post(client, offer, postcode="4478", pruefen="1")
    assert response.status_code == 422
    session.expire_all()
    assert session.get(Offer, offer.id).last_verified is None
    assert _actions(session, offer) == ["create"]


def test_an_old_version_goes_through_the_merge_page_and_is_checked_after_the_merge(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Konflikt (generiert)")
    sign_in(client)
    stale = _form(offer, contact_phone="0234 910-0", pruefen="1")
    assert _post(client, offer, costs="kostenlos").status_code == 303  # someone else first
    stale["csrf_token"] = form_token(client.get(f"/verwaltung/angebote/{offer.id}").text)
    conflict = client.post(f"/verwaltung/angebote/{offer.id}", data=stale)
    assert conflict.status_code == 409
    session.expire_all()
    assert session.get(Offer, offer.id).last_verified is None
    page = conflict.text
    assert "Zusammengeführt speichern und als geprüft markieren</button>" in page
    merged = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    response = client.post(f"/verwaltung/angebote/{offer.id}", data=merged, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert (stored.costs, stored.contact_phone) == ("kostenlos", "0234 910-0")
    assert stored.last_verified == date.today()

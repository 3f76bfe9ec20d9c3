"""Issue 19, the staff's side: the facts the parents' filters read (costs, form of
offer, closing on holidays) are set through the offer form; the "how to get a place"
text is written under /verwaltung/platzvergabe, sourced, and shown only once saved;
the overview names the school years the holidays library does not know yet."""

from datetime import datetime
from zoneinfo import ZoneInfo

from app.config import get_settings
from app.models import Offer
from tests.factories import make_offer
from tests.staff.helpers import form_token, make_user, sign_in
from tests.staff.test_offer_pages import _save

BERLIN = ZoneInfo("Europe/Berlin")


def test_staff_set_costs_delivery_and_holiday_closing_through_the_offer_form(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Ferien (generiert)")
    sign_in(client)
    saved = _save(
        client,
        offer,
        costs_kind="frei",
        delivery=["aufsuchend", "telefon"],
        closed_on_holidays="ja",
        closed_school_holidays="sommerferien:3, herbstferien",
    )
    assert saved.status_code == 303, saved.text[:500]
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert stored.costs_kind == "frei"
    assert sorted(stored.delivery) == ["aufsuchend", "telefon"]
    assert stored.closed_on_holidays is True
    assert stored.closed_school_holidays.replace(" ", "") == "sommerferien:3,herbstferien"
    page = client.get(f"/angebote/{offer.id}").text
    assert "<dd>kostenlos</dd>" in page
    assert "An Feiertagen in NRW geschlossen." in page
    assert (
        "In den Schulferien geschlossen: Sommerferien (die ersten 3 Wochen), Herbstferien." in page
    )
    # A holiday NRW does not have is refused in words, naming the field; nothing is kept.
    bad = _save(client, stored, closed_school_holidays="winterferien")
    assert bad.status_code == 422
    assert (
        'href="#closed_school_holidays"' in bad.text
        or 'id="closed_school_holidays-error"' in bad.text
    )
    session.expire_all()
    assert session.get(Offer, offer.id).closed_school_holidays.replace(" ", "") == (
        "sommerferien:3,herbstferien"
    )


def test_the_how_to_get_a_place_text_is_sourced_and_shown_only_once_saved(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Platz (generiert)")
    sign_in(client)
    title = "So bekommen Sie einen Kita-Platz (generiert)"
    data = {
        "csrf_token": form_token(client.get("/verwaltung/platzvergabe").text),
        "category": "kita",
        "title": title,
        "body": "Prüftext, kein Text der Stadt.",
        "source_url": "https://www.example.org/kita-portal",
        "source_label": "Beispielquelle",
    }
    assert title not in client.get(f"/angebote/{offer.id}").text  # nothing prefilled
    for missing in ("source_url", "source_label"):
        refused = client.post(
            "/verwaltung/platzvergabe", data={**data, missing: ""}, follow_redirects=False
        )
        assert refused.status_code == 422, missing
    assert title not in client.get(f"/angebote/{offer.id}").text
    saved = client.post("/verwaltung/platzvergabe", data=data, follow_redirects=False)
    assert saved.status_code == 303
    for path in (f"/angebote/{offer.id}", "/angebote?kategorie=kita"):
        page = client.get(path).text
        assert title in page, path
        assert "https://www.example.org/kita-portal" in page, path
    assert title not in client.get("/angebote?kategorie=spielplatz").text


def test_the_overview_names_the_school_years_the_library_does_not_know(
    client, session, monkeypatch
):
    make_user(session)
    make_offer(session, name="Kita Sommer (generiert)", closed_school_holidays="sommerferien")
    make_offer(session, name="Kita Herbst (generiert)", closed_school_holidays="herbstferien")
    make_offer(session, name="Kita ohne Ferien (generiert)")
    sign_in(client)
    monkeypatch.setattr(get_settings(), "clock", datetime(2026, 6, 2, 10, 0, tzinfo=BERLIN))
    assert 'id="unknown-school-years"' not in client.get("/verwaltung").text
    # From September 2028, the next twelve months reach into 2029/30.
    monkeypatch.setattr(get_settings(), "clock", datetime(2028, 9, 1, 10, 0, tzinfo=BERLIN))
    page = client.get("/verwaltung").text
    assert (
        '<li id="unknown-school-years">Die Schulferien 2029/30 sind in der Bibliothek '
        "holidays noch nicht enthalten: Bei 2 Angeboten mit „in den Schulferien "
        "geschlossen“ steht an diesen Tagen „bitte beim Angebot erfragen“"
    ) in page

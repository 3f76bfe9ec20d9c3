"""Editing offers on the staff pages: the form, no lost edits, the history, archive,
verify, placing, the list to check and likely duplicates."""

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import select

from app.catalogue.audit import snapshot
from app.catalogue.read import get_offer
from app.models import Offer, OfferChange
from tests.factories import add_districts, make_offer
from tests.staff.helpers import make_user, sign_in, token_of

FORM = {"category": "kita", "city": "Bochum"}


def _form(offer, **fields):  # noqa: ANN001, ANN202
    """The form as the page shows it for ``offer``, with ``fields`` typed over it."""
    values = snapshot(offer)
    data = {
        **FORM,
        "name": values["name"],
        "street": values["street"] or "",
        "postcode": values["postcode"] or "",
        "version": str(offer.version),
    }
    data.update(fields)
    return data


def _save(client, offer, **fields):  # noqa: ANN001, ANN202
    data = _form(offer, **fields)
    data["csrf_token"] = token_of(client, f"/verwaltung/angebote/{offer.id}")
    return client.post(f"/verwaltung/angebote/{offer.id}", data=data, follow_redirects=False)


def test_an_edit_is_saved_logged_as_a_page_change_and_shown_publicly(client, session):
    make_user(session)
    offer = make_offer(
        session, name="Kita Regenbogen (generiert)", street="Hofstraße 1", postcode="44787"
    )
    sign_in(client)
    response = _save(
        client,
        offer,
        contact_phone="0234 123456",
        contact_email="kita@example.org",
        hours_0="07:30–12:00, 14:00–16:30",
        hours_4="07:30-14:00 (Brückentag nach Absprache)",
        capacity="45",
        capacity_u3="12",
        age_min="4",
        age_min_unit="monate",
        age_max="6",
        languages="Deutsch, Türkisch",
        step_free_entrance="ja",
        lift="nein",
        exc_0_starts="24.12.2026",
        exc_0_ends="01.01.2027",
        exc_0_note="Weihnachtsferien",
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].endswith("?status=gespeichert")
    session.expire_all()
    stored = get_offer(session, offer.id)
    assert stored.contact_phone == "0234 123456" and stored.capacity == 45
    assert stored.age_min_months == 4 and stored.age_min == 0 and stored.age_max == 6
    assert [
        (h.weekday, h.opens.strftime("%H:%M"), h.closes.strftime("%H:%M"))
        for h in stored.opening_hours
    ] == [(0, "07:30", "12:00"), (0, "14:00", "16:30"), (4, "07:30", "14:00")]
    assert stored.opening_exceptions[0].ends == date(2027, 1, 1)
    assert stored.step_free_entrance is True and stored.lift is False
    assert stored.edited_at is not None  # a later import keeps these fields
    change = session.exec(
        select(OfferChange)
        .where(OfferChange.offer_id == offer.id)
        .order_by(OfferChange.version.desc())
    ).first()
    assert change.channel == "page" and change.actor.endswith("redaktion@example.org")
    assert change.after["contact_phone"] == "0234 123456" and change.before["contact_phone"] is None
    public = client.get(f"/angebote/{offer.id}").text
    assert "0234 123456" in public and "kita@example.org" in public
    assert "07:30–12:00" in public and "45" in public
    assert "ab 4 Monaten" in public and "Weihnachtsferien" in public


def test_an_invalid_postcode_is_named_in_the_summary_and_the_typed_values_are_kept(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Postleitzahl (generiert)")
    sign_in(client)
    response = _save(
        client, offer, postcode="4478", contact_phone="0234 55555", hours_2="8 Uhr bis mittags"
    )
    assert response.status_code == 422
    text = response.text
    assert 'class="error-summary"' in text and "autofocus" in text
    assert '<a href="#postcode">Die Postleitzahl hat fünf Ziffern' in text
    assert '<a href="#hours_2">Mittwoch:' in text
    assert 'id="postcode" name="postcode" value="4478"' in text
    assert 'aria-invalid="true"' in text
    assert 'aria-describedby="postcode-hint postcode-error"' in text
    assert 'value="0234 55555"' in text and 'value="8 Uhr bis mittags"' in text
    session.expire_all()
    assert session.get(Offer, offer.id).version == offer.version  # nothing stored


def test_two_editors_the_second_gets_409_and_after_the_merge_both_changes_are_stored(
    client, session
):
    make_user(session, email="anna@example.org")
    make_user(session, email="ben@example.org")
    offer = make_offer(
        session, name="Kita Zwei Editoren (generiert)", street="Wasserstr. 1", postcode="44803"
    )
    anna, ben = client, TestClient(client.app)
    sign_in(anna, "anna@example.org")
    sign_in(ben, "ben@example.org")
    ben_token = token_of(ben, f"/verwaltung/angebote/{offer.id}")  # Ben opens the form
    assert _save(anna, offer, contact_phone="0234 111111").status_code == 303  # Anna saves
    typed = {
        **_form(offer, contact_email="kita@example.org", costs="kostenlos"),
        "csrf_token": ben_token,
    }  # Ben saves what he typed on version 1
    conflict = ben.post(f"/verwaltung/angebote/{offer.id}", data=typed)
    assert conflict.status_code == 409
    page = conflict.text
    assert "Jemand hat das Angebot inzwischen geändert" in page
    assert "0234 111111" in page and "kita@example.org" in page  # stored and typed side by side
    assert 'name="base_version" value="1"' in page and 'name="version" value="2"' in page
    session.expire_all()
    assert session.get(Offer, offer.id).contact_email is None  # nothing of Ben's stored yet

    merged = dict(
        typed,
        version="2",
        base_version="1",
        csrf_token=token_of(ben, f"/verwaltung/angebote/{offer.id}"),
    )
    done = ben.post(f"/verwaltung/angebote/{offer.id}", data=merged, follow_redirects=False)
    assert done.status_code == 303
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert stored.contact_phone == "0234 111111"  # Anna's change kept
    assert stored.contact_email == "kita@example.org" and stored.costs == "kostenlos"  # Ben's
    trail = anna.get(f"/verwaltung/angebote/{offer.id}/verlauf").text
    assert "anna@example.org" in trail and "ben@example.org" in trail
    assert "0234 111111" in trail and "kita@example.org" in trail


def test_a_field_both_changed_keeps_what_was_typed_unless_the_stored_value_is_chosen(
    client, session
):
    make_user(session, email="anna@example.org")
    make_user(session, email="ben@example.org")
    offer = make_offer(session, name="Kita Gleiches Feld (generiert)")
    anna, ben = client, TestClient(client.app)
    sign_in(anna, "anna@example.org")
    sign_in(ben, "ben@example.org")
    old = _form(offer)
    _save(anna, offer, contact_phone="0234 111111", costs="kostenlos")
    typed = {**old, "contact_phone": "0234 222222", "costs": "5 Euro"}
    for choice, phone in (("stored", "0234 111111"), ("typed", "0234 222222")):
        session.expire_all()
        current = session.get(Offer, offer.id).version
        data = {
            **typed,
            "version": str(current),
            "base_version": "1",
            "take_contact_phone": choice,
            "take_costs": "typed",
            "csrf_token": token_of(ben, f"/verwaltung/angebote/{offer.id}"),
        }
        assert (
            ben.post(
                f"/verwaltung/angebote/{offer.id}", data=data, follow_redirects=False
            ).status_code
            == 303
        )
        session.expire_all()
        assert session.get(Offer, offer.id).contact_phone == phone
        assert session.get(Offer, offer.id).costs == "5 Euro"


def test_an_earlier_state_comes_back_from_the_history_as_a_new_version(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Verlauf (generiert)")
    sign_in(client)
    _save(client, offer, contact_phone="0234 111111")
    session.expire_all()
    _save(client, session.get(Offer, offer.id), contact_phone="0234 999999", costs="teuer")
    history = client.get(f"/verwaltung/angebote/{offer.id}/verlauf").text
    assert "Stand von Version 2 wiederherstellen" in history
    response = client.post(
        f"/verwaltung/angebote/{offer.id}/verlauf/2/wiederherstellen",
        data={"csrf_token": token_of(client, "/verwaltung"), "version": "3"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert (stored.contact_phone, stored.costs, stored.version) == ("0234 111111", None, 4)


def test_archive_restore_and_verify_are_one_click_and_logged(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Archiv (generiert)")
    sign_in(client)

    def click(action: str) -> None:
        session.expire_all()
        version = session.get(Offer, offer.id).version
        response = client.post(
            f"/verwaltung/angebote/{offer.id}/{action}",
            data={"csrf_token": token_of(client, "/verwaltung"), "version": str(version)},
            follow_redirects=False,
        )
        assert response.status_code == 303

    click("archivieren")
    assert client.get(f"/angebote/{offer.id}").status_code == 404  # gone from public pages
    assert "Kita Archiv" in client.get("/verwaltung/angebote?status=archiviert").text
    click("wiederherstellen")
    assert client.get(f"/angebote/{offer.id}").status_code == 200
    click("pruefen")
    session.expire_all()
    assert session.get(Offer, offer.id).last_verified == date.today()
    actions = [
        c.action
        for c in session.exec(
            select(OfferChange)
            .where(OfferChange.offer_id == offer.id)
            .order_by(OfferChange.version)
        )
    ]
    assert actions == ["create", "archive", "restore", "verify"]
    assert "am " in client.get(f"/angebote/{offer.id}").text


def test_an_old_version_on_a_one_click_action_changes_nothing(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Alt (generiert)")
    sign_in(client)
    _save(client, offer, costs="kostenlos")
    response = client.post(
        f"/verwaltung/angebote/{offer.id}/archivieren",
        data={"csrf_token": token_of(client, "/verwaltung"), "version": "1"},
        follow_redirects=False,
    )
    assert response.headers["location"].endswith("status=veraltet")
    session.expire_all()
    assert session.get(Offer, offer.id).archived_at is None


def test_a_new_offer_is_created_from_the_form(client, session):
    make_user(session)
    sign_in(client)
    data = {
        **FORM,
        "name": "Neue Elterninitiative (generiert)",
        "street": "Teststraße 3",
        "postcode": "44789",
        "csrf_token": token_of(client, "/verwaltung/angebote/neu"),
    }
    response = client.post("/verwaltung/angebote/neu", data=data, follow_redirects=False)
    assert response.status_code == 303
    offer = session.exec(select(Offer).where(Offer.name == data["name"])).one()
    assert offer.source == "redaktion" and offer.source_id == f"r{offer.id}"
    missing = client.post(
        "/verwaltung/angebote/neu",
        data={"csrf_token": data["csrf_token"], "name": "", "category": ""},
    )
    assert missing.status_code == 422 and 'href="#name"' in missing.text
    assert 'href="#category"' in missing.text


def test_an_offer_without_a_point_is_placed_by_postcode_and_shown_on_the_map(
    client, session, data_dir
):
    add_districts(session, data_dir)
    make_user(session)
    offer = make_offer(
        session,
        name="Jugendhaus Ohne Punkt (generiert)",
        category="jugendfreizeithaus",
        street="Unbekannte Straße 5",
        postcode="44866",
    )
    sign_in(client)
    assert "Jugendhaus Ohne Punkt" in client.get("/verwaltung/ohne-karte").text
    preview = client.get(f"/verwaltung/angebote/{offer.id}/platzieren", params={"ort": "44866"})
    assert preview.status_code == 200
    assert "Ungefähre Lage: Mitte des Postleitzahlgebiets „44866“" in preview.text
    assert 'class="map-marker map-kind-jugendfreizeithaus' in preview.text  # shown before saving
    session.expire_all()
    assert not session.get(Offer, offer.id).location.has_point  # not yet stored
    saved = client.post(
        f"/verwaltung/angebote/{offer.id}/platzieren",
        data={
            "csrf_token": token_of(client, "/verwaltung"),
            "ort": "44866",
            "version": str(offer.version),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    session.expire_all()
    loc = session.get(Offer, offer.id).location
    assert loc.has_point and loc.precision == "approximate" and loc.plz_area == "44866"
    assert "Jugendhaus Ohne Punkt" not in client.get("/verwaltung/ohne-karte").text
    assert f'href="/angebote/{offer.id}"' in client.get("/karte").text
    assert "ungefähre Lage" in client.get(f"/angebote/{offer.id}").text


def test_coordinates_place_an_offer_as_set_by_the_office(client, session, data_dir):
    add_districts(session, data_dir)
    make_user(session)
    offer = make_offer(session, name="Beratung Koordinaten (generiert)", category="beratung")
    sign_in(client)
    preview = client.get(
        f"/verwaltung/angebote/{offer.id}/platzieren", params={"ort": "51.4818, 7.2162"}
    )
    assert "Vom Amt gesetzt (Koordinaten)" in preview.text
    client.post(
        f"/verwaltung/angebote/{offer.id}/platzieren",
        data={"csrf_token": token_of(client, "/verwaltung"), "ort": "51.4818, 7.2162"},
    )
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert stored.location.precision == "staff" and stored.district_slug == "mitte"
    assert "vom Amt gesetzt" in client.get(f"/angebote/{offer.id}").text
    bad = client.get(f"/verwaltung/angebote/{offer.id}/platzieren", params={"ort": "Atlantis"})
    assert bad.status_code == 422 and 'href="#ort"' in bad.text


def test_a_point_outside_the_city_is_placed_only_when_staff_confirm_it(client, session, data_dir):
    add_districts(session, data_dir)
    make_user(session)
    offer = make_offer(session, name="Beratung Dortmund (generiert)", category="beratung")
    sign_in(client)
    path = f"/verwaltung/angebote/{offer.id}/platzieren"
    dortmund = "51.5136, 7.4653"  # in NRW, outside Bochum
    preview = client.get(path, params={"ort": dortmund})
    assert preview.status_code == 200
    assert "außerhalb des Stadtgebiets von Bochum" in preview.text
    assert 'type="checkbox" id="ausserhalb" name="ausserhalb"' in preview.text
    inside = client.get(path, params={"ort": "51.4818, 7.2162"})
    assert 'id="ausserhalb"' not in inside.text  # a point in Bochum needs no confirmation
    form = {"csrf_token": token_of(client, "/verwaltung"), "ort": dortmund, "version": "1"}

    refused = client.post(path, data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert 'href="#ausserhalb"' in refused.text  # the error summary links to the box
    assert 'aria-invalid="true"' in refused.text and 'id="ausserhalb-error"' in refused.text
    assert "bestätigen Sie ausdrücklich, dass das Angebot dort liegt" in refused.text
    english = client.post(f"{path}?lang=en", data=form, follow_redirects=False)
    assert english.status_code == 422
    assert "confirm explicitly that the offer is there" in english.text
    assert "the offer really is there" in english.text
    session.expire_all()
    unsaved = session.get(Offer, offer.id)
    assert unsaved.version == 1 and unsaved.location is None  # nothing stored

    saved = client.post(path, data={**form, "ausserhalb": "1"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("status=platziert")
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert stored.location.has_point and stored.district_slug is None
    assert stored.location.precision == "staff" and stored.version == 2


def test_entries_to_check_list_never_checked_first_then_the_oldest(client, session):
    make_user(session)
    today = date.today()
    make_offer(
        session,
        name="B Geprüft vor zwei Jahren (generiert)",
        last_verified=today - timedelta(days=730),
    )
    make_offer(
        session,
        name="C Geprüft vor einem Monat (generiert)",
        last_verified=today - timedelta(days=30),
    )
    make_offer(session, name="A Nie geprüft (generiert)")
    make_offer(
        session,
        name="D Geprüft vor 13 Monaten (generiert)",
        last_verified=today - timedelta(days=400),
    )
    sign_in(client)
    text = client.get("/verwaltung/pruefen").text
    order = [
        text.index(n)
        for n in ("A Nie geprüft", "B Geprüft vor zwei Jahren", "D Geprüft vor 13 Monaten")
    ]
    assert order == sorted(order)
    assert "C Geprüft vor einem Monat" not in text


def test_likely_duplicates_are_listed_and_merged_or_marked_distinct(client, session):
    make_user(session)
    a = make_offer(
        session,
        name="Kita Wasserstraße (generiert)",
        street="Wasserstr. 435",
        postcode="44795",
        contact_phone="0234 121212",
    )
    b = make_offer(
        session,
        name="Kita an der Wasserstraße (generiert)",
        street="Wasserstraße 435",
        postcode="44795",
        contact_email="wasser@example.org",
    )
    c = make_offer(
        session,
        name="Spielplatz Wasserstraße (generiert)",
        category="spielplatz",
        street="Wasserstraße 435",
        postcode="44795",
    )
    d = make_offer(session, name="Kita Hof A (generiert)", street="Hofweg 2", postcode="44787")
    e = make_offer(session, name="Kita Hof B (generiert)", street="Hofweg 2", postcode="44787")
    sign_in(client)
    page = client.get("/verwaltung/dubletten").text
    assert "Wasserstr. 435" in page and "Hofweg 2" in page and "Spielplatz" not in page
    token = token_of(client, "/verwaltung/dubletten")
    client.post(
        "/verwaltung/dubletten/verschieden",
        data={"csrf_token": token, "ids": [str(d.id), str(e.id)]},
    )
    assert "Hofweg 2" not in client.get("/verwaltung/dubletten").text
    merged = client.post(
        "/verwaltung/dubletten/zusammenfuehren",
        data={"csrf_token": token, "ids": [str(a.id), str(b.id)], "keep": str(a.id)},
        follow_redirects=False,
    )
    assert merged.status_code == 303
    session.expire_all()
    kept, other = session.get(Offer, a.id), session.get(Offer, b.id)
    assert kept.contact_email == "wasser@example.org" and kept.contact_phone == "0234 121212"
    assert other.archived_at is not None and session.get(Offer, c.id).archived_at is None
    last = session.exec(
        select(OfferChange).where(OfferChange.offer_id == b.id).order_by(OfferChange.version.desc())
    ).first()
    assert last.after == {"archived": True, "merged_into": a.id}
    assert "Wasserstr" not in client.get("/verwaltung/dubletten").text


def test_the_staff_list_searches_like_the_public_one_and_exports_the_upload_columns(
    client, session
):
    make_user(session)
    make_offer(session, name="Kita Sonnenschein (generiert)")
    make_offer(session, name="Jugendhaus Mond (generiert)", category="jugendfreizeithaus")
    sign_in(client)
    page = client.get("/verwaltung/angebote", params={"q": "Sonnen"}).text
    assert "Kita Sonnenschein" in page and "Jugendhaus Mond" not in page
    csv = client.get("/verwaltung/angebote.csv", params={"kategorie": "jugendfreizeithaus"})
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("id;version;name;kategorie")
    assert len(lines) == 2 and "Jugendhaus Mond" in lines[1]

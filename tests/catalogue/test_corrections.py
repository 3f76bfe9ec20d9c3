"""Suggested corrections ("Fehler melden"): the public form, the limit per address, the
staff's queue (accept, edit then accept, reject), the one e-mail and the deleted address."""

import re

import pytest
from sqlmodel import select

from app.catalogue.read import get_offer
from app.models import Correction, OfferChange
from tests.factories import make_offer
from tests.staff.helpers import form_token, make_user, sign_in, token_of


def _report(client, offer_id, **fields):  # noqa: ANN001, ANN202
    page = client.get(f"/angebote/{offer_id}/fehler-melden")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    data = {"csrf_token": form_token(page.text), "feld": "contact_phone", **fields}
    return client.post(f"/angebote/{offer_id}/fehler-melden", data=data, follow_redirects=False)


def _open(session) -> list[Correction]:  # noqa: ANN001
    session.expire_all()
    return list(session.exec(select(Correction).where(Correction.status == "open")))


def test_the_offer_page_links_to_the_form_and_a_report_changes_nothing(client, session):
    offer = make_offer(session, contact_phone="0234 111111")
    assert "fehler-melden" in client.get(f"/angebote/{offer.id}").text
    response = _report(
        client, offer.id, richtig="0234 222222", email="eltern@example.org", einverstanden="ja"
    )
    assert response.status_code == 303
    assert client.get(response.headers["location"]).status_code == 200
    [stored] = _open(session)
    assert (stored.field, stored.proposed, stored.shown) == (
        "contact_phone",
        "0234 222222",
        "0234 111111",
    )
    assert stored.email == "eltern@example.org"
    assert stored.address_hash and "testclient" not in stored.address_hash
    assert "0234 111111" in client.get(f"/angebote/{offer.id}").text
    assert "0234 222222" not in client.get(f"/angebote/{offer.id}").text


def test_every_error_is_shown_at_once_with_what_was_typed(client, session):
    offer = make_offer(session)
    response = _report(client, offer.id, feld="", richtig="", email="kein-at-zeichen")
    assert response.status_code == 422
    summary = response.text.split('class="error-summary"')[1].split("</div>")[0]
    assert summary.count("<li>") == 4
    assert 'href="#feld"' in summary and 'href="#richtig"' in summary
    assert 'href="#email"' in summary and 'href="#einverstanden"' in summary
    assert 'value="kein-at-zeichen"' in response.text
    assert 'aria-invalid="true"' in response.text
    # an address without the consent is refused too, and a bad phone is named
    response = _report(client, offer.id, richtig="keine Nummer", email="a@example.org")
    assert response.status_code == 422
    assert 'href="#einverstanden"' in response.text and 'href="#richtig"' in response.text
    assert _open(session) == []


def test_english_errors_with_lang_en(client, session):
    offer = make_offer(session)
    page = client.get(f"/angebote/{offer.id}/fehler-melden?lang=en")
    assert "Suggest a correction" in page.text
    response = client.post(
        f"/angebote/{offer.id}/fehler-melden?lang=en",
        data={"csrf_token": form_token(page.text), "feld": "", "richtig": ""},
    )
    assert response.status_code == 422
    assert "Choose which detail is wrong." in response.text


def test_a_post_without_the_form_token_is_refused(client, session):
    offer = make_offer(session)
    client.get(f"/angebote/{offer.id}/fehler-melden")  # the cookie, but no token
    response = client.post(
        f"/angebote/{offer.id}/fehler-melden",
        data={"feld": "contact_phone", "richtig": "0234 222222", "csrf_token": "x" * 64},
    )
    assert response.status_code == 403
    assert _open(session) == []


def test_the_honeypot_stores_nothing(client, session):
    offer = make_offer(session)
    response = _report(client, offer.id, richtig="0234 222222", homepage="http://spam.example")
    assert response.status_code == 303
    assert _open(session) == []


def test_twenty_suggestions_from_one_address_are_refused_after_the_limit(client, session):
    offer = make_offer(session)
    answers = [
        _report(client, offer.id, richtig=f"0234 {100000 + n}").status_code for n in range(20)
    ]
    assert answers == [303] * 10 + [429] * 10
    assert len(_open(session)) == 10
    refused = _report(client, offer.id, richtig="0234 999999")
    assert "schon viele" in refused.text
    assert 'value="' in refused.text and "0234 999999" in refused.text  # typed input kept


def test_staff_accept_writes_through_the_one_path_and_the_reporter_is_told(
    client, session, smtp_server
):
    make_user(session)
    offer = make_offer(
        session, contact_phone="0234 111111", provider_name="Träger Test (generiert)"
    )
    _report(client, offer.id, richtig="0234 222222", email="eltern@example.org", einverstanden="ja")
    [correction] = _open(session)
    sign_in(client)
    queue = client.get("/verwaltung/korrekturen").text
    assert "0234 111111" in queue and "0234 222222" in queue
    assert "Träger Test (generiert)" in queue
    case = client.get(f"/verwaltung/korrekturen/{correction.id}")
    response = client.post(
        f"/verwaltung/korrekturen/{correction.id}/annehmen",
        data={
            "csrf_token": form_token(case.text),
            "wert": "0234 222222",
            "version": re.search(r'name="version" value="(\d+)"', case.text).group(1),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:2000]
    assert "gesendet" in response.headers["location"]
    session.expire_all()
    assert get_offer(session, offer.id).contact_phone == "0234 222222"
    change = session.exec(
        select(OfferChange).where(OfferChange.offer_id == offer.id).order_by(OfferChange.id.desc())
    ).first()
    assert change.channel == "correction"
    assert change.actor.startswith(f"correction:{correction.id} user:")
    assert change.after == {"contact_phone": "0234 222222"}
    closed = session.get(Correction, correction.id)
    assert closed.status == "accepted" and closed.email is None and closed.notified
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "eltern@example.org"
    assert "übernommen" in mail.get_content() and "0234 222222" in mail.get_content()
    assert "0234 222222" in client.get(f"/angebote/{offer.id}").text


def test_staff_edit_then_accept_and_an_invalid_value_is_named(client, session):
    make_user(session)
    offer = make_offer(session, contact_phone="0234 111111")
    _report(client, offer.id, richtig="neu ist 0234 333333, Durchwahl 12")
    [correction] = _open(session)
    sign_in(client)
    path = f"/verwaltung/korrekturen/{correction.id}"
    bad = client.post(f"{path}/annehmen", data={"csrf_token": token_of(client, path), "wert": "x"})
    assert bad.status_code == 422 and 'href="#wert"' in bad.text
    assert 'value="x"' in bad.text
    ok = client.post(
        f"{path}/annehmen",
        data={"csrf_token": token_of(client, path), "wert": "0234 333333-12"},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"].endswith("angenommen-ohne")
    session.expire_all()
    assert get_offer(session, offer.id).contact_phone == "0234 333333-12"
    assert session.get(Correction, correction.id).applied == "0234 333333-12"


def test_reject_needs_a_reason_tells_the_reporter_and_deletes_the_address(
    client, session, smtp_server
):
    make_user(session)
    offer = make_offer(session, contact_phone="0234 111111")
    _report(client, offer.id, richtig="0234 444444", email="eltern@example.org", einverstanden="ja")
    [correction] = _open(session)
    sign_in(client)
    path = f"/verwaltung/korrekturen/{correction.id}"
    empty = client.post(
        f"{path}/ablehnen", data={"csrf_token": token_of(client, path), "grund": ""}
    )
    assert empty.status_code == 422 and 'href="#grund"' in empty.text
    done = client.post(
        f"{path}/ablehnen",
        data={
            "csrf_token": token_of(client, path),
            "grund": "Die Kita hat uns die alte Nummer bestätigt.",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    session.expire_all()
    closed = session.get(Correction, correction.id)
    assert closed.status == "rejected" and closed.email is None
    assert get_offer(session, offer.id).contact_phone == "0234 111111"
    [mail] = smtp_server.wait_for(1)
    assert "alte Nummer bestätigt" in mail.get_content()
    # a closed case cannot be decided twice
    again = client.post(f"{path}/annehmen", data={"csrf_token": token_of(client, path)})
    assert again.status_code == 422


def test_the_queue_is_for_staff_only(client, session):
    offer = make_offer(session)
    _report(client, offer.id, richtig="0234 555555")
    response = client.get("/verwaltung/korrekturen", follow_redirects=False)
    assert response.status_code == 303 and "/verwaltung/anmelden" in response.headers["location"]


def test_the_privacy_page_says_what_is_stored_and_for_how_long(client):
    text = client.get("/datenschutz").text
    assert 'id="korrekturen"' in text and "24 Stunden" in text and "gelöscht" in text


def _provider_setup(client, session):  # noqa: ANN001, ANN202
    from tests.staff.helpers import make_provider_account

    own = make_offer(session, contact_phone="0234 111111", provider_name="Träger A (generiert)")
    other = make_offer(session, contact_phone="0234 999999", provider_name="Träger B (generiert)")
    make_provider_account(session, "Träger A (generiert)", email="kita@traeger-a.example.org")
    _report(client, own.id, richtig="0234 222222")
    _report(client, other.id, richtig="0234 888888")
    mine, theirs = sorted(_open(session), key=lambda c: c.offer_id != own.id)
    sign_in(client, email="kita@traeger-a.example.org")
    return own, mine, theirs


def test_a_provider_sees_only_its_own_offers_suggestions_and_with_review_cannot_answer(
    client, session
):
    own, mine, theirs = _provider_setup(client, session)
    queue = client.get("/verwaltung/traeger-bereich/korrekturen")
    assert queue.status_code == 200
    assert "0234 222222" in queue.text and "0234 888888" not in queue.text
    assert client.get(f"/verwaltung/traeger-bereich/korrekturen/{theirs.id}").status_code == 404
    case = client.get(f"/verwaltung/traeger-bereich/korrekturen/{mine.id}")
    assert "Die Redaktion entscheidet" in case.text and "annehmen" not in case.text
    refused = client.post(
        f"/verwaltung/traeger-bereich/korrekturen/{mine.id}/annehmen",
        data={"csrf_token": form_token(case.text), "wert": "0234 222222"},
    )
    assert refused.status_code == 403
    assert client.get("/verwaltung/korrekturen", follow_redirects=False).status_code == 403
    session.expire_all()
    assert get_offer(session, own.id).contact_phone == "0234 111111"


@pytest.fixture
def publish(monkeypatch):  # noqa: ANN001, ANN201
    from app.config import get_settings

    monkeypatch.setenv("PROVIDER_EDITS", "publish")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_with_publish_a_provider_answers_a_suggestion_for_its_own_offer(client, session, publish):
    own, mine, theirs = _provider_setup(client, session)
    path = f"/verwaltung/traeger-bereich/korrekturen/{mine.id}"
    done = client.post(
        f"{path}/annehmen",
        data={"csrf_token": token_of(client, path), "wert": "0234 222222"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    other = f"/verwaltung/traeger-bereich/korrekturen/{theirs.id}"
    assert (
        client.post(
            f"{other}/ablehnen", data={"csrf_token": token_of(client, path), "grund": "x"}
        ).status_code
        == 404
    )
    session.expire_all()
    assert get_offer(session, own.id).contact_phone == "0234 222222"
    change = session.exec(
        select(OfferChange).where(OfferChange.offer_id == own.id).order_by(OfferChange.id.desc())
    ).first()
    assert change.channel == "correction" and "kita@traeger-a.example.org" in change.actor

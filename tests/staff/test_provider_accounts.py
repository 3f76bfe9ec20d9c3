"""Provider (Träger) accounts: invited by e-mail, they see and correct only their own
providers' offers; with PROVIDER_EDITS=review a change waits for staff, who see the
stored value beside the proposed one, and accepting it publishes it with the change
log naming the account (channel ``provider``)."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from app.catalogue.history import changes_of
from app.config import get_settings
from app.models import Offer, ProviderEdit, utcnow
from app.staff import invitations
from tests.factories import make_offer
from tests.staff.helpers import (
    PASSWORD,
    form_token,
    make_provider_account,
    make_user,
    sign_in,
    token_of,
)

AREA = "/verwaltung/traeger-bereich"


@pytest.fixture
def offers(session) -> dict[str, Offer]:
    common = {"street": "Hochstraße 1", "postcode": "44866", "city": "Bochum"}
    return {
        "own": make_offer(
            session,
            name="Kita Eigene (generiert)",
            provider_name="Träger der Kitas (generiert)",
            contact_phone="0234 111",
            **common,
        ),
        "own2": make_offer(
            session,
            name="Kita Zweite (generiert)",
            provider_name="Träger der Kitas (generiert)",
            **common,
        ),
        "other": make_offer(
            session,
            name="Kita Fremde (generiert)",
            provider_name="Anderer Träger (generiert)",
            contact_phone="0234 999",
            **common,
        ),
    }


def _form(client, offer: Offer, **changes: str) -> dict[str, str]:  # noqa: ANN001
    """What the provider's offer form posts for ``offer`` (its stored text fields)."""
    page = client.get(f"{AREA}/angebote/{offer.id}")
    assert page.status_code == 200
    data = {"csrf_token": form_token(page.text), "version": str(offer.version)}
    for name in ("name", "street", "postcode", "city", "contact_phone"):
        match = re.search(rf'id="{name}" name="{name}" value="([^"]*)"', page.text)
        data[name] = match.group(1) if match else ""
    data["category"] = offer.category
    data.update(changes)
    return data


def _sign_out(client) -> None:  # noqa: ANN001
    client.post(
        "/verwaltung/abmelden", data={"csrf_token": token_of(client, "/verwaltung/konto/passwort")}
    )


def test_an_invited_contact_sets_a_password_with_the_e_mailed_link_once(
    client, session, offers, smtp_server
):
    make_user(session, role="editor")
    sign_in(client)
    provider_id = offers["own"].provider_id
    page = f"/verwaltung/traeger/{provider_id}"
    response = client.post(
        f"{page}/einladen",
        data={"email": "Leitung@Traeger.example.org", "csrf_token": token_of(client, page)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and "status=eingeladen" in response.headers["location"]
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "leitung@traeger.example.org"
    link = re.search(r"http://\S+/verwaltung/einladung/\S+", mail.get_content()).group(0)
    path = link.split("8000", 1)[1]
    assert "leitung@traeger.example.org: eingeladen" in client.get(page).text
    _sign_out(client)

    form = client.get(path)
    assert form.status_code == 200 and "Träger der Kitas" in form.text
    short = client.post(
        path,
        data={"password": "kurz", "password_again": "kurz", "csrf_token": form_token(form.text)},
    )
    assert short.status_code == 422 and "mindestens 12 Zeichen" in short.text
    done = client.post(
        path,
        data={
            "password": PASSWORD,
            "password_again": PASSWORD,
            "csrf_token": form_token(form.text),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith(AREA)
    home = client.get(AREA)
    assert "Kita Eigene" in home.text and "Kita Zweite" in home.text
    assert "Kita Fremde" not in home.text and "0234 999" not in home.text
    _sign_out(client)
    assert client.get(path).status_code == 404  # single use
    sign_in(client, "leitung@traeger.example.org")  # the password works from now on


def test_without_smtp_the_provider_page_shows_the_link_once(client, session, offers):
    assert not get_settings().smtp_host
    make_user(session, role="editor")
    sign_in(client)
    page = f"/verwaltung/traeger/{offers['own'].provider_id}"
    shown = client.post(
        f"{page}/einladen",
        data={"email": "x@traeger.example.org", "csrf_token": token_of(client, page)},
    )
    assert shown.status_code == 200
    assert "/verwaltung/einladung/" in shown.text and "nur jetzt angezeigt" in shown.text
    assert "/verwaltung/einladung/" not in client.get(page).text
    refused = client.post(
        f"{page}/einladen",
        data={"email": "redaktion@example.org", "csrf_token": token_of(client, page)},
    )
    assert refused.status_code == 422 and "Konto der Verwaltung" in refused.text


def test_an_expired_invitation_link_does_not_open(client, session, offers):
    provider = offers["own"].provider
    new = invitations.invite(
        session,
        provider,
        "alt@traeger.example.org",
        "test",
        days=7,
        now=utcnow() - timedelta(days=8),
    )
    session.commit()
    response = client.get(f"/verwaltung/einladung/{new.token}")
    assert response.status_code == 404 and "gilt nicht mehr" in response.text


def test_a_provider_never_reaches_another_providers_offer(client, session, offers):
    make_provider_account(session)
    sign_in(client, "kita@traeger.example.org")
    other = offers["other"]
    token = token_of(client, AREA)
    assert client.get(f"{AREA}/angebote/{other.id}").status_code == 404
    for path in (
        f"/angebote/{other.id}",
        f"/angebote/{other.id}/stimmt",
        f"/angebote/{other.id}/geschlossen",
    ):
        assert client.post(f"{AREA}{path}", data={"csrf_token": token}).status_code == 404
    client.post(
        f"{AREA}/stimmt",
        data={"csrf_token": token, "offer_id": [str(other.id), str(offers["own"].id)]},
    )
    session.expire_all()
    assert session.get(Offer, other.id).last_verified is None
    assert session.get(Offer, offers["own"].id).verified_by == "provider"


def test_with_review_a_corrected_phone_waits_for_staff_and_the_log_names_the_account(
    client, session, offers
):
    own = offers["own"]
    make_provider_account(session)
    make_user(session, role="editor")
    sign_in(client, "kita@traeger.example.org")
    saved = client.post(
        f"{AREA}/angebote/{own.id}",
        data=_form(client, own, contact_phone="0234 222-0"),
        follow_redirects=False,
    )
    assert saved.status_code == 303 and "status=wartet" in saved.headers["location"]
    assert "wartet auf die Prüfung" in client.get(AREA).text
    assert "0234 111" in client.get(f"/angebote/{own.id}").text
    assert "0234 222-0" not in client.get(f"/angebote/{own.id}").text
    [held] = session.exec(select(ProviderEdit)).all()
    assert held.changes == {"contact_phone": "0234 222-0"}
    _sign_out(client)

    sign_in(client)
    assert "1 Änderung eines Trägers wartet auf Prüfung" in client.get("/verwaltung").text
    queue = client.get("/verwaltung/traeger-aenderungen")
    row = re.search(r"<th scope=\"row\">Telefon</th><td>([^<]*)</td><td>([^<]*)</td>", queue.text)
    assert row and row.groups() == ("0234 111", "0234 222-0")
    accept = client.post(
        f"/verwaltung/traeger-aenderungen/{held.id}/annehmen",
        data={"csrf_token": form_token(queue.text)},
        follow_redirects=False,
    )
    assert "status=angenommen" in accept.headers["location"]
    assert "0234 222-0" in client.get(f"/angebote/{own.id}").text
    last = changes_of(session, own.id)[0]
    assert last.channel == "provider" and "kita@traeger.example.org" in last.actor
    assert last.after == {"contact_phone": "0234 222-0"}
    assert "Keine offenen Änderungen" in client.get("/verwaltung/traeger-aenderungen").text


def test_accepting_an_old_proposal_keeps_what_staff_changed_since(client, session, offers):
    own = offers["own"]
    user = make_provider_account(session)
    editor = make_user(session, role="editor")
    from app.catalogue import provider_edits
    from app.catalogue.write import update_offer
    from tests.factories import STAFF

    held = provider_edits.change_offer(
        session, own, user, {"contact_phone": "0234 333"}, based_on=[own.version], mode="review"
    )
    update_offer(session, own, {"website": "https://kita.example.org"}, STAFF)
    session.commit()
    outcome = provider_edits.accept(session, held.edit, editor)
    assert outcome.outcome == "applied"
    session.refresh(own)
    assert (own.contact_phone, own.website) == ("0234 333", "https://kita.example.org")


@pytest.fixture
def publish(monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("PROVIDER_EDITS", "publish")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_with_publish_a_change_is_public_at_once_and_marked(client, session, offers, publish):
    own = offers["own"]
    make_provider_account(session)
    sign_in(client, "kita@traeger.example.org")
    client.post(f"{AREA}/angebote/{own.id}", data=_form(client, own, contact_phone="0234 444"))
    public = client.get(f"/angebote/{own.id}").text
    assert "0234 444" in public and "vom Träger aktualisiert am" in public
    assert changes_of(session, own.id)[0].channel == "provider"


def test_a_provider_proposes_a_new_offer_and_reports_one_closed(client, session, offers):
    make_provider_account(session)
    make_user(session, role="editor")
    sign_in(client, "kita@traeger.example.org")
    token = token_of(client, f"{AREA}/neu")
    proposed = client.post(
        f"{AREA}/neu",
        data={
            "csrf_token": token,
            "name": "Kita Neu (generiert)",
            "category": "kita",
            "city": "Bochum",
        },
        follow_redirects=False,
    )
    assert "status=neu-wartet" in proposed.headers["location"]
    closed = client.post(
        f"{AREA}/angebote/{offers['own2'].id}/geschlossen",
        data={"csrf_token": token, "note": "seit August geschlossen"},
        follow_redirects=False,
    )
    assert "status=geschlossen-gemeldet" in closed.headers["location"]
    assert session.exec(select(Offer).where(Offer.name == "Kita Neu (generiert)")).first() is None
    _sign_out(client)

    sign_in(client)
    queue = client.get("/verwaltung/traeger-aenderungen").text
    assert "Kita Neu (generiert)" in queue and "seit August geschlossen" in queue
    for edit in session.exec(select(ProviderEdit).order_by(ProviderEdit.id)).all():
        client.post(
            f"/verwaltung/traeger-aenderungen/{edit.id}/annehmen",
            data={"csrf_token": form_token(queue)},
        )
    session.expire_all()
    new = session.exec(select(Offer).where(Offer.name == "Kita Neu (generiert)")).one()
    assert new.provider.name == "Träger der Kitas (generiert)"
    assert session.get(Offer, offers["own2"].id).archived_at is not None


def test_a_rejected_change_is_not_published(client, session, offers):
    own = offers["own"]
    user = make_provider_account(session)
    editor = make_user(session, role="editor")
    from app.catalogue import provider_edits

    held = provider_edits.change_offer(
        session, own, user, {"contact_phone": "0234 555"}, based_on=[own.version], mode="review"
    )
    provider_edits.reject(session, held.edit, editor, "Nummer gehört zur Verwaltung")
    session.refresh(own)
    assert own.contact_phone == "0234 111"
    assert held.edit.status == "rejected" and held.edit.reason == "Nummer gehört zur Verwaltung"


def test_stimmt_so_shows_publicly_who_confirmed_it(client, session, offers):
    own = offers["own"]
    assert "noch nicht geprüft" in client.get(f"/angebote/{own.id}").text
    make_provider_account(session)
    sign_in(client, "kita@traeger.example.org")
    client.post(f"{AREA}/angebote/{own.id}/stimmt", data={"csrf_token": token_of(client, AREA)})
    assert "vom Träger bestätigt am" in client.get(f"/angebote/{own.id}").text
    assert changes_of(session, own.id)[0].channel == "provider"

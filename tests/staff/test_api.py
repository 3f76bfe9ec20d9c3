"""The admin API over HTTP: tokens, validation naming the field, ETag and If-Match,
archive and restore, providers, the change log."""

from sqlmodel import select

from app.models import Offer, OfferChange
from tests.factories import make_offer
from tests.staff.helpers import make_token


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_reading_needs_no_token_and_gives_an_etag(client, session):
    offer = make_offer(session, name="Kita Lesen (generiert)")
    response = client.get(f"/api/v1/offers/{offer.id}")
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    body = response.json()
    assert body["name"] == "Kita Lesen (generiert)" and body["version"] == 1
    assert body["opening_hours"] == [] and body["archived"] is False
    listing = client.get("/api/v1/offers", params={"q": "Lesen"}).json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == offer.id
    assert client.get("/api/v1/offers/999999").status_code == 404
    assert client.get("/api/v1/offers", params={"alter": "drei"}).status_code == 422


def test_a_bad_field_is_a_422_naming_it_and_nothing_is_stored(client, session):
    token = make_token(session)
    bad = client.post(
        "/api/v1/offers",
        headers=_auth(token),
        json={"name": "Kita Fehler (generiert)", "category": "kita", "postcode": "123"},
    )
    assert bad.status_code == 422
    assert ["body", "postcode"] in [e["loc"] for e in bad.json()["detail"]]
    offer = make_offer(session, name="Kita Patch (generiert)")
    patched = client.patch(
        f"/api/v1/offers/{offer.id}", headers=_auth(token), json={"contact_email": "keine-adresse"}
    )
    assert patched.status_code == 422
    assert ["body", "contact_email"] in [e["loc"] for e in patched.json()["detail"]]
    merged = client.patch(
        f"/api/v1/offers/{offer.id}", headers=_auth(token), json={"capacity": 10, "capacity_u3": 20}
    )
    assert merged.status_code == 422
    stored = session.exec(select(Offer).where(Offer.name == "Kita Fehler (generiert)")).first()
    assert stored is None
    session.expire_all()
    assert session.get(Offer, offer.id).version == 1


def test_an_old_if_match_or_version_gets_409_and_changes_nothing(client, session):
    token = make_token(session)
    offer = make_offer(session, name="Kita Version (generiert)")
    first = client.patch(
        f"/api/v1/offers/{offer.id}",
        headers={**_auth(token), "If-Match": '"1"'},
        json={"costs": "kostenlos"},
    )
    assert first.status_code == 200 and first.headers["etag"] == '"2"'
    stale = client.patch(
        f"/api/v1/offers/{offer.id}",
        headers={**_auth(token), "If-Match": '"1"'},
        json={"costs": "5 Euro"},
    )
    assert stale.status_code == 409 and stale.json()["version"] == 2
    in_body = client.patch(
        f"/api/v1/offers/{offer.id}", headers=_auth(token), json={"costs": "5 Euro", "version": 1}
    )
    assert in_body.status_code == 409
    archived = client.post(
        f"/api/v1/offers/{offer.id}/archive", headers={**_auth(token), "If-Match": '"1"'}
    )
    assert archived.status_code == 409
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert (stored.costs, stored.version, stored.archived_at) == ("kostenlos", 2, None)


def test_put_replaces_the_whole_offer(client, session):
    token = make_token(session)
    offer = make_offer(session, name="Kita Ganz (generiert)", contact_phone="0234 123456")
    response = client.put(
        f"/api/v1/offers/{offer.id}",
        headers={**_auth(token), "If-Match": '"1"'},
        json={
            "name": "Kita Ganz neu (generiert)",
            "category": "kita",
            "opening_hours": [{"weekday": 1, "opens": "08:00", "closes": "12:00"}],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["phone"] is None and body["name"] == "Kita Ganz neu (generiert)"
    assert body["opening_hours"] == [
        {"weekday": 1, "opens": "08:00:00", "closes": "12:00:00", "note": None}
    ]


def test_writes_are_logged_as_api_changes_with_the_token_name(client, session):
    token = make_token(session, name="Deploy-Skript")
    created = client.post(
        "/api/v1/offers",
        headers=_auth(token),
        json={
            "name": "Neu über API (generiert)",
            "category": "beratung",
            "lat": 51.4818,
            "lon": 7.2162,
        },
    )
    assert created.status_code == 201
    offer_id = created.json()["id"]
    assert created.headers["location"] == f"/api/v1/offers/{offer_id}"
    change = session.exec(select(OfferChange).where(OfferChange.offer_id == offer_id)).one()
    assert change.channel == "api" and change.actor.endswith("Deploy-Skript")
    assert client.get(f"/api/v1/offers/{offer_id}/changes").status_code == 401
    reader = make_token(session, role="reader", name="Lesen")
    log = client.get(f"/api/v1/offers/{offer_id}/changes", headers=_auth(reader))
    assert log.status_code == 200 and log.json()[0]["action"] == "create"


def test_archived_offers_are_hidden_from_the_public_but_not_from_a_token(client, session):
    token = make_token(session)
    offer = make_offer(session, name="Kita Archiviert (generiert)")
    assert (
        client.post(f"/api/v1/offers/{offer.id}/archive", headers=_auth(token)).json()["archived"]
        is True
    )
    assert client.get(f"/api/v1/offers/{offer.id}").status_code == 404
    assert client.get(f"/api/v1/offers/{offer.id}", headers=_auth(token)).json()["archived"]
    restored = client.post(f"/api/v1/offers/{offer.id}/restore", headers=_auth(token))
    assert restored.json()["archived"] is False
    assert client.get(f"/api/v1/offers/{offer.id}").status_code == 200


def test_unknown_ids_are_404_and_a_revoked_token_is_401(client, session):
    from app.models import ApiToken
    from app.staff.tokens import revoke_token

    token = make_token(session)
    assert client.patch("/api/v1/offers/424242", headers=_auth(token), json={}).status_code == 404
    assert client.post("/api/v1/providers/424242/archive", headers=_auth(token)).status_code == 404
    revoke_token(session, session.exec(select(ApiToken)).one())
    session.commit()
    assert client.post("/api/v1/offers", headers=_auth(token), json={}).status_code == 401


def test_providers_are_created_versioned_renamed_and_archived(client, session):
    token = make_token(session)
    created = client.post(
        "/api/v1/providers",
        headers=_auth(token),
        json={"name": "Träger Eins (generiert)", "kind": "verein"},
    )
    assert created.status_code == 201 and created.headers["etag"] == '"1"'
    pid = created.json()["id"]
    duplicate = client.post(
        "/api/v1/providers", headers=_auth(token), json={"name": "träger eins (generiert)"}
    )
    assert duplicate.status_code == 422 and duplicate.json()["detail"][0]["loc"] == ["body", "name"]
    bad_kind = client.patch(
        f"/api/v1/providers/{pid}", headers=_auth(token), json={"kind": "irgendwas"}
    )
    assert bad_kind.status_code == 422 and bad_kind.json()["detail"][0]["loc"][-1] == "kind"
    offer = make_offer(
        session, name="Kita des Trägers (generiert)", provider_name="Träger Eins (generiert)"
    )
    renamed = client.patch(
        f"/api/v1/providers/{pid}",
        headers={**_auth(token), "If-Match": '"1"'},
        json={"name": "Träger Zwei (generiert)"},
    )
    assert renamed.status_code == 200 and renamed.json()["offers"] == 1
    assert (
        client.patch(
            f"/api/v1/providers/{pid}",
            headers={**_auth(token), "If-Match": '"1"'},
            json={"website": "www.example.org"},
        ).status_code
        == 409
    )
    assert client.get("/api/v1/offers", params={"q": "Zwei"}).json()["items"][0]["id"] == offer.id
    archived = client.post(f"/api/v1/providers/{pid}/archive", headers=_auth(token))
    assert archived.json()["archived"] is True
    assert client.get("/api/v1/providers").json()["total"] == 0
    assert (
        client.post(f"/api/v1/providers/{pid}/restore", headers=_auth(token)).json()["archived"]
        is False
    )


def test_provider_names_are_searched_as_typed_even_with_nul_and_wildcards(client, session):
    make_offer(session, name="Kita A (generiert)", provider_name="Träger 100% (generiert)")
    make_offer(session, name="Kita B (generiert)", provider_name="Träger Zwei (generiert)")
    names = lambda q: [  # noqa: E731
        p["name"] for p in client.get("/api/v1/providers", params={"q": q}).json()["items"]
    ]
    assert names("100%") == ["Träger 100% (generiert)"]
    assert names("%") == ["Träger 100% (generiert)"]  # a percent sign, not "anything"
    assert names("zwei\x00") == ["Träger Zwei (generiert)"]  # PostgreSQL refuses NUL


def test_the_schema_says_reading_an_offer_needs_no_token_but_takes_one(client):
    schema = client.get("/api/openapi.json").json()
    security = schema["paths"]["/api/v1/offers/{offer_id}"]["get"]["security"]
    assert {} in security and {"bearer": []} in security
    writes = schema["paths"]["/api/v1/offers/{offer_id}"]["patch"]["security"]
    assert {} not in writes


def test_a_422_of_the_api_says_what_is_wrong_in_words_in_the_requests_language(client, session):
    token = make_token(session)
    offer = make_offer(session, name="Kita Worte (generiert)")
    body = {"postcode": "123", "capacity": 10, "capacity_u3": 20}
    german = client.patch(f"/api/v1/offers/{offer.id}", headers=_auth(token), json=body)
    assert german.status_code == 422
    messages = [e["msg"] for e in german.json()["detail"]]
    assert "fünf Ziffern, z. B. 44787" in messages
    english = client.patch(f"/api/v1/offers/{offer.id}?lang=en", headers=_auth(token), json=body)
    messages = [e["msg"] for e in english.json()["detail"]]
    assert "five digits, e.g. 44787" in messages
    said = " ".join(e["msg"] for e in german.json()["detail"] + english.json()["detail"])
    for raw in ("String should", "Value error", "pattern", "ist größer als"):
        assert raw not in said, raw

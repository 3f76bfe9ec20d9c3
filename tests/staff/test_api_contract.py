"""What the admin API declares is what it does: times of day without an offset and a
schema that says so, unknown keys in opening hours refused, the kinds listed in the
schema, and a point outside the city a 422 naming lat and lon unless staff confirm."""

import re

from sqlmodel import select

from app.models import Offer
from app.models.categories import SLUGS
from tests.factories import add_districts, make_offer
from tests.staff.helpers import make_token


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _schema(client, name: str) -> dict:  # noqa: ANN001
    return client.get("/api/openapi.json").json()["components"]["schemas"][name]


def test_opening_hours_are_sent_as_the_schema_declares_them(client, session):
    hours = _schema(client, "OpeningHoursIn")["properties"]
    assert "format" not in hours["opens"]  # RFC 3339 "time" needs an offset we never send
    pattern = re.compile(hours["opens"]["pattern"])
    token = make_token(session)
    created = client.post(
        "/api/v1/offers",
        headers=_auth(token),
        json={
            "name": "Kita Uhrzeit (generiert)",
            "category": "kita",
            "opening_hours": [{"weekday": 0, "opens": "00:12", "closes": "12:30"}],
        },
    )
    assert created.status_code == 201, created.text
    row = created.json()["opening_hours"][0]
    assert pattern.match(row["opens"]) and pattern.match(row["closes"]), row
    offset = client.post(
        "/api/v1/offers",
        headers=_auth(token),
        json={
            "name": "Kita Zeitzone (generiert)",
            "category": "kita",
            "opening_hours": [{"weekday": 0, "opens": "08:00+01:00", "closes": "12:00"}],
        },
    )
    assert offset.status_code == 422


def test_an_unknown_key_in_opening_hours_is_refused_and_named(client, session):
    token = make_token(session)
    offer = make_offer(session, name="Kita Schlüssel (generiert)")
    session.commit()
    answer = client.patch(
        f"/api/v1/offers/{offer.id}",
        headers=_auth(token),
        json={"opening_hours": [{"weekday": 0, "opens": "08:00", "closes": "12:00", "tag": 1}]},
    )
    assert answer.status_code == 422
    assert any("tag" in str(e["loc"]) for e in answer.json()["detail"]), answer.json()
    session.expire_all()
    assert session.get(Offer, offer.id).version == 1


def test_a_number_as_a_clock_time_is_refused_and_named_not_a_500(client, session):
    # pydantic reads 0.0 as midnight with a UTC offset; compared with "00:00" (local) it
    # raised a TypeError: a 500 (found by `make fuzz`, FUZZ_EXAMPLES=500, on SQLite)
    token = make_token(session)
    exception = {"starts": "2026-01-01", "ends": "2026-01-02", "opens": "00:00", "closes": 0.0}
    answer = client.post(
        "/api/v1/offers",
        headers=_auth(token),
        json={
            "name": "Kita Uhr (generiert)",
            "category": "kita",
            "opening_exceptions": [exception],
        },
    )
    assert answer.status_code == 422, answer.text
    assert any(e["loc"][-1] == "closes" for e in answer.json()["detail"]), answer.json()
    for opens in (480, 8.5, True):
        hours = [{"weekday": 0, "opens": opens, "closes": "12:00"}]
        answer = client.post(
            "/api/v1/offers",
            headers=_auth(token),
            json={"name": "Kita Uhr (generiert)", "category": "kita", "opening_hours": hours},
        )
        assert answer.status_code == 422, (opens, answer.text)
        assert any(e["loc"][-1] == "opens" for e in answer.json()["detail"]), answer.json()


def test_a_yes_no_fact_takes_true_or_false_only(client, session):
    # pydantic read 0.0, 1 and "yes" as a boolean though the schema says boolean (found
    # by `make fuzz`, FUZZ_EXAMPLES=500, both databases: "lift": 0.0 was a 201)
    token = make_token(session)
    for value in (0.0, 1, "yes", "ja"):
        answer = client.post(
            "/api/v1/offers",
            headers=_auth(token),
            json={"name": "Kita Aufzug (generiert)", "category": "kita", "lift": value},
        )
        assert answer.status_code == 422, (value, answer.text)
        (error,) = answer.json()["detail"]
        assert error["loc"][-1] == "lift" and "ja oder nein" in error["msg"], error
    offer = make_offer(session, name="Kita Stufen (generiert)")
    answer = client.patch(
        f"/api/v1/offers/{offer.id}",
        headers={**_auth(token), "If-Match": '"1"'},
        json={"step_free_entrance": 0},
    )
    assert answer.status_code == 422 and session.get(Offer, offer.id).version == 1
    answer = client.post(
        "/api/v1/offers",
        headers=_auth(token),
        json={"name": "Kita Aufzug (generiert)", "category": "kita", "lift": False},
    )
    assert answer.status_code == 201 and answer.json()["lift"] is False


def test_the_schema_lists_the_kinds_of_offer(client):
    category = _schema(client, "OfferCreate")["properties"]["category"]
    assert category["enum"] == list(SLUGS)


def test_a_point_outside_the_city_is_a_422_naming_lat_and_lon_unless_confirmed(
    client, session, data_dir
):
    add_districts(session, data_dir)
    token = make_token(session)
    body = {"name": "Kita Nullinsel (generiert)", "category": "kita", "lat": 0, "lon": 0}
    refused = client.post("/api/v1/offers", headers=_auth(token), json=body)
    assert refused.status_code == 422
    assert {tuple(e["loc"]) for e in refused.json()["detail"]} == {
        ("body", "lat"),
        ("body", "lon"),
    }
    assert session.exec(select(Offer)).all() == []

    inside = client.post(
        "/api/v1/offers", headers=_auth(token), json={**body, "lat": 51.4818, "lon": 7.2162}
    )
    assert inside.status_code == 201, inside.text
    moved = client.patch(
        inside.headers["location"], headers=_auth(token), json={"lat": 0.0, "lon": 0.0}
    )
    assert moved.status_code == 422
    assert client.get(inside.headers["location"]).json()["version"] == 1

    confirmed = client.post(
        "/api/v1/offers",
        headers={**_auth(token), "Confirm-Outside-City": "true"},
        json=body,
    )
    assert confirmed.status_code == 201, confirmed.text

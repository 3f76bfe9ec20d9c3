"""Reading an HSDS feed into the catalogue: the round trip of our own dump into an
empty database, the dry run, matching by the feed's id and by name and address, and
a bad record that names its line and path and changes nothing."""

import json

from sqlalchemy import func
from sqlmodel import Session, select

from app.catalogue.writers import Actor
from app.hsds.ids import service_id
from app.hsds.importer import apply_feed
from app.hsds.mapping import map_service
from app.hsds.taxonomy import DELIVERY_TAXONOMY_ID, DELIVERY_TERM_IDS
from app.models import HsdsService, Offer, OfferChange
from tests.factories import make_offer
from tests.hsds.conftest import app_client, rich_offer
from tests.staff.helpers import make_token, make_user, sign_in, token_of

FEED = Actor("test-feed", "hsds")
GOOD = "aaaaaaaa-1111-4111-8111-000000000001"
OTHER = "aaaaaaaa-1111-4111-8111-000000000002"


def _service(sid: str = GOOD, name: str = "Familiencafé Sonnenschein (generiert)", **extra):
    return {
        "id": sid,
        "name": name,
        "status": "active",
        "description": "Offener Treff für Eltern mit Babys (generiert).",
        "email": "cafe@example.org",
        "url": "https://example.org/cafe",
        "minimum_age": 0,
        "maximum_age": 3,
        "phones": [{"id": "aaaaaaaa-1111-4111-8111-0000000000f1", "number": "0234 123456"}],
        "schedules": [
            {
                "id": "aaaaaaaa-1111-4111-8111-0000000000e1",
                "freq": "WEEKLY",
                "byday": "TU,TH",
                "opens_at": "09:00",
                "closes_at": "11:30",
            }
        ],
        "service_at_locations": [
            {
                "id": "aaaaaaaa-1111-4111-8111-0000000000d1",
                "location": {
                    "id": "aaaaaaaa-1111-4111-8111-0000000000c1",
                    "location_type": "physical",
                    "addresses": [
                        {
                            "id": "aaaaaaaa-1111-4111-8111-0000000000b1",
                            "address_1": "Musterstraße 12",
                            "city": "Bochum",
                            "state_province": "Nordrhein-Westfalen",
                            "postal_code": "44787",
                            "country": "DE",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        **extra,
    }


def _ndjson(*services) -> str:
    return "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in services)


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Offer)).one()


def _dump(client) -> dict[str, dict]:
    r = client.get("/api/hsds/services", params={"format": "ndjson"})
    assert r.status_code == 200
    out = {}
    for line in r.text.splitlines():
        item = json.loads(line)
        item.pop("last_modified")
        out[item["id"]] = item
    return out


def test_round_trip_export_import_into_an_empty_database_export_is_equal(
    real_client, engine, second_engine
):
    # the real data (no hours, no languages there) and one generated offer with every
    # fact we publish, the holiday rules, costs kind and forms of offer included, and
    # without a source label (it gained a metadata row on the way before)
    with Session(second_engine) as session:
        rich = rich_offer(session)
        rich_sid = service_id(rich.source, rich.source_id)
        assert rich.source_label is None
    rich_client = next(app_client(second_engine))
    text = real_client.get("/api/hsds/services", params={"format": "ndjson"}).text
    text += rich_client.get("/api/hsds/services", params={"format": "ndjson"}).text
    first = _dump(real_client) | _dump(rich_client)
    said = first[rich_sid]
    assert [s["description"] for s in said["schedules"] if "freq" not in s][2:] == [
        "An gesetzlichen Feiertagen (NRW) geschlossen",
        "In den Schulferien (NRW) geschlossen: Sommerferien (die ersten 3 Wochen), "
        "Herbstferien (die erste Woche), Weihnachtsferien",
    ]
    assert said["cost_options"][0]["option"] == "einkommensabhängig"
    assert [a["taxonomy_term"]["code"] for a in said["attributes"]] == [
        "kita",
        "familienzentrum",
        "vor-ort",
        "online",
    ]
    assert [(m["field_name"], m["replacement_value"]) for m in said["metadata"]] == [
        ("source_label", "test")
    ]
    with Session(engine) as session:
        token = make_token(session)
    client = next(app_client(engine))
    r = client.post(
        "/api/v1/import/hsds",
        params={"dry_run": "false"},
        files={"datei": ("dump.ndjson", text.encode(), "application/x-ndjson")},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text[:1000]
    assert r.json()["created"] == len(first) and r.json()["errors"] == []
    second = _dump(client)
    assert second.keys() == first.keys()
    assert [k for k in first if first[k] != second[k]] == []
    with Session(engine) as session:
        channels = set(session.exec(select(OfferChange.channel)).all())
        back = session.exec(
            select(Offer).join(HsdsService).where(HsdsService.service_id == rich_sid)
        ).one()
        facts = ("costs_kind", "delivery", "closed_on_holidays", "closed_school_holidays")
        assert {f: getattr(back, f) for f in facts} == {f: getattr(rich, f) for f in facts}
    assert channels == {"hsds"}
    again = client.post(
        "/api/v1/import/hsds",
        files={"datei": ("dump.ndjson", text.encode(), "application/x-ndjson")},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert (again["created"], again["changed"], again["unchanged"]) == (0, 0, len(first))


def test_the_dry_run_lists_what_would_change_and_stores_nothing(session):
    kept = make_offer(session, name="Kita Bleibt (generiert)")
    before = _count(session)
    feed = _ndjson(_service(), _service(service_id(kept.source, kept.source_id), kept.name))
    report = apply_feed(session, feed, "feed.ndjson", FEED)
    assert report.ok, [str(e) for e in report.errors]
    assert [(r.line, r.action) for r in report.lines] == [(1, "neu"), (2, "geändert")]
    session.rollback()
    assert _count(session) == before
    assert session.exec(select(HsdsService)).all() == []


def test_a_bad_record_names_its_line_and_path_and_changes_nothing(engine):
    with Session(engine) as session:
        token = make_token(session)
        make_offer(session, name="Kita Vorher (generiert)")
        before = _count(session)
    bad = _service(OTHER, name="X")  # too short for our rules
    bad["phones"][0]["id"] = "keine-uuid"
    bad["url"] = "http://exa mple.org"
    feed = _ndjson(
        _service(), bad, _service("aaaaaaaa-1111-4111-8111-000000000003", "Gut (generiert)")
    )
    client = next(app_client(engine))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
    r = client.post("/api/v1/import/hsds?dry_run=false", content=feed.encode(), headers=headers)
    assert r.status_code == 422
    errors = {(e["line"], e["path"]): e["message"] for e in r.json()["errors"]}
    assert errors == {
        (2, "$.phones[0].id"): "„keine-uuid“ ist kein gültiger Wert im Format uuid",
        (2, "$.url"): "„http://exa mple.org“ ist kein gültiger Wert im Format uri",
    }
    with Session(engine) as session:
        assert _count(session) == before
    english = client.post(
        "/api/v1/import/hsds?dry_run=false&lang=en", content=feed.encode(), headers=headers
    ).json()["errors"]
    assert english[0]["message"] == "“keine-uuid” is not a valid value of the format uuid"
    # our own rules, once the schema is met: the name is too short, at its path
    bad = _service(OTHER, name="X")
    r = client.post(
        "/api/v1/import/hsds", content=_ndjson(_service(), bad).encode(), headers=headers
    )
    assert r.status_code == 422
    assert [(e["line"], e["path"]) for e in r.json()["errors"]] == [(2, "$.name")]
    broken = client.post(
        "/api/v1/import/hsds", content=b'{"id": 1}\n{"name": ', headers=headers
    ).json()
    assert broken["errors"][0]["line"] == 2 and "JSON" in broken["errors"][0]["message"]
    with Session(engine) as session:
        assert _count(session) == before


def test_a_feed_is_matched_by_its_service_id_then_by_name_and_address(session):
    same_place = make_offer(
        session,
        name="Familiencafé Sonnenschein (generiert)",
        category="familienzentrum",
        street="Musterstraße 12",
        postcode="44787",
    )
    report = apply_feed(session, _ndjson(_service()), "feed.ndjson", FEED)
    assert [(r.action, r.offer_id) for r in report.lines] == [("zuordnen", same_place.id)]
    session.rollback()

    report = apply_feed(session, _ndjson(_service()), "feed.ndjson", FEED, confirm=[])
    assert report.lines[0].action == "neu" and report.lines[0].offer_id != same_place.id
    session.rollback()

    report = apply_feed(session, _ndjson(_service()), "feed.ndjson", FEED, confirm=[GOOD])
    assert [(r.action, r.offer_id) for r in report.lines] == [("geändert", same_place.id)]
    session.commit()
    session.refresh(same_place)
    assert same_place.contact_phone == "0234 123456"
    assert [(h.weekday, h.opens.isoformat()) for h in same_place.opening_hours] == [
        (1, "09:00:00"),
        (3, "09:00:00"),
    ]
    link = session.exec(select(HsdsService)).one()
    assert (link.offer_id, link.service_id) == (same_place.id, GOOD)

    renamed = _service(name="Familiencafé Sonnenschein am Markt (generiert)")
    report = apply_feed(session, _ndjson(renamed), "feed.ndjson", FEED, confirm=[])
    assert [(r.action, r.offer_id, r.fields) for r in report.lines] == [
        ("geändert", same_place.id, ["name"])
    ]
    closed = _service(status="inactive", funding=[{"id": OTHER, "source": "Stadt"}])
    report = apply_feed(session, _ndjson(closed), "feed.ndjson", FEED, confirm=[])
    assert report.lines[0].ignored == ["$.funding", "$.status"]
    duplicate = _ndjson(_service(), _service())
    report = apply_feed(session, duplicate, "feed.ndjson", FEED)
    assert [str(e) for e in report.errors] == ["2: $.id: derselbe Service steht schon in Zeile 1"]


def test_staff_upload_a_feed_preview_it_and_confirm(engine):
    with Session(engine) as session:
        make_user(session)
    client = next(app_client(engine))
    sign_in(client)
    token = token_of(client, "/verwaltung/hsds")
    r = client.post(
        "/verwaltung/hsds",
        data={"csrf_token": token},
        files={"datei": ("feed.ndjson", _ndjson(_service()).encode(), "application/x-ndjson")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    preview = client.get(r.headers["location"])
    assert preview.status_code == 200 and "Familiencafé Sonnenschein" in preview.text
    assert "1 neu, 0 geändert" in preview.text
    with Session(engine) as session:
        assert _count(session) == 0
    confirmed = client.post(
        r.headers["location"] + "/bestaetigen",
        data={"csrf_token": token_of(client, r.headers["location"])},
    )
    assert confirmed.status_code == 200 and "Übernommen" in confirmed.text
    with Session(engine) as session:
        assert _count(session) == 1

    bad = _service(OTHER)
    bad["status"] = "offen"
    r = client.post(
        "/verwaltung/hsds",
        data={"csrf_token": token},
        files={"datei": ("kaputt.ndjson", _ndjson(bad).encode(), "application/x-ndjson")},
    )
    assert r.status_code == 422
    assert "kaputt.ndjson:1" in r.text and "$.status" in r.text
    assert "ist keiner der erlaubten Werte" in r.text


def test_the_feed_preview_reads_in_english_with_lang_en(engine):
    with Session(engine) as session:
        make_user(session)
    client = next(app_client(engine))
    sign_in(client)
    r = client.post(
        "/verwaltung/hsds",
        data={"csrf_token": token_of(client, "/verwaltung/hsds")},
        files={"datei": ("feed.ndjson", _ndjson(_service()).encode(), "application/x-ndjson")},
        follow_redirects=False,
    )
    english = client.get(r.headers["location"] + "?lang=en").text
    assert "1 new, 0 changed, 0 unchanged, 0 to confirm, 0 errors" in english
    assert "<td>new</td>" in english
    assert " neu" not in english and "zuzuordnen" not in english


def test_a_body_that_is_no_multipart_form_is_a_422_naming_the_body(engine):
    with Session(engine) as session:
        token = make_token(session)
    client = next(app_client(engine))
    r = client.post(
        "/api/v1/import/hsds",
        content=b"--a404\r\n6.87e+16--a404--\r\n",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "multipart/form-data; boundary=a404",
        },
    )
    assert r.status_code == 422  # was Starlette's undocumented 400 (found by schema fuzzing)
    assert r.json()["errors"][0]["path"] == "$"


def test_costs_holiday_rules_and_forms_of_offer_of_a_feed_are_read_where_they_are_ours():
    def cost(**option):
        return {"id": OTHER, **option}

    def kind(*options):
        return map_service(_service(cost_options=list(options))).values["costs_kind"]

    assert kind(cost(amount=0, currency="GBP")) == "frei"
    assert kind(cost(amount=12.5, currency="EUR")) == "kosten"
    assert kind(cost(option="Kostenlos", amount=3)) == "frei"  # the words first
    assert kind(cost(option="einkommensabhängig")) == "einkommensabhaengig"
    assert kind(cost(option="nach Absprache")) is None and kind() is None

    rows = [
        {"id": OTHER, "description": "Auch an gesetzlichen Feiertagen (NRW) geöffnet"},
        {
            "id": OTHER,
            "description": "In den Schulferien (NRW) geschlossen: Osterferien, "
            "Sommerferien (die ersten 2 Wochen)",
        },
        {"id": OTHER, "description": "Closed on bank holidays"},
        {"id": OTHER, "description": "In den Schulferien (NRW) geschlossen: Karneval"},
    ]
    m = map_service(_service(schedules=rows))
    assert (m.values["closed_on_holidays"], m.values["closed_school_holidays"]) == (
        False,
        "osterferien,sommerferien:2",
    )
    assert m.paths["closed_school_holidays"] == "$.schedules[1].description"
    assert m.ignored == ["$.schedules[2]", "$.schedules[3]"]

    def attribute(term_id, **term):
        return {"id": OTHER, "taxonomy_term_id": term_id, "taxonomy_term": term}

    elsewhere = "aaaaaaaa-1111-4111-8111-0000000000a9"
    attributes = [
        attribute(DELIVERY_TERM_IDS["telefon"]),
        attribute(elsewhere, code="online", taxonomy_id=DELIVERY_TAXONOMY_ID),
        attribute(elsewhere, code="aufsuchend", taxonomy_id=elsewhere),  # not our taxonomy
    ]
    assert map_service(_service(attributes=attributes)).values["delivery"] == [
        "telefon",
        "online",
    ]

"""The HSDS 3.0 read API on the real Bochum data (SQLite and PostgreSQL): every answer
of every endpoint validates against the standard's own schemas (resolved locally,
formats checked), and paging, modified_after, search and the id filters behave as
the spec says."""

import json

import pytest

from app.hsds.ids import service_id, uid
from app.hsds.schemas import SERVICE, SERVICE_LIST
from app.hsds.taxonomy import TAXONOMY_ID, TERM_IDS
from tests.factories import make_offer
from tests.hsds.conftest import app_client


def _ok(client, path, **params):
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r.json()


def _valid(hsds, schema, data, page=False):
    errors = [f"{e.json_path}: {e.message}" for e in hsds.errors(schema, data, page)]
    assert errors == []


def _root_schema(standard):
    api = json.loads((standard / "openapi.json").read_text())
    return api["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_every_endpoint_answers_valid_hsds_on_the_real_data(real_client, hsds, standard):
    from jsonschema import Draft202012Validator, FormatChecker

    about = _ok(real_client, "/api/hsds/")
    assert about["version"] == "3.0"
    Draft202012Validator(_root_schema(standard), format_checker=FormatChecker()).validate(about)

    services = _ok(real_client, "/api/hsds/services", per_page=1000)
    _valid(hsds, SERVICE_LIST, services, page=True)
    assert services["total_items"] >= 590 == len(services["contents"]) or services["size"] == 590
    full = _ok(real_client, "/api/hsds/services", per_page=1000, full="true")
    _valid(hsds, SERVICE, full, page=True)
    minimal = _ok(real_client, "/api/hsds/services", per_page=1000, minimal="true")
    _valid(hsds, SERVICE_LIST, minimal, page=True)
    assert set(minimal["contents"][0]) == {"id", "name", "status", "last_modified"}
    for item in services["contents"][:25]:
        _valid(hsds, SERVICE, _ok(real_client, f"/api/hsds/services/{item['id']}"))

    orgs = _ok(real_client, "/api/hsds/organizations", per_page=1000)
    _valid(hsds, "compiled/organization_list.json", orgs, page=True)
    assert orgs["total_items"] > 10
    _valid(
        hsds,
        "compiled/organization.json",
        _ok(real_client, "/api/hsds/organizations", full="true"),
        page=True,
    )
    for item in orgs["contents"][:5]:
        one = _ok(real_client, f"/api/hsds/organizations/{item['id']}", full_service="true")
        _valid(hsds, "compiled/organization.json", one)
        assert one["services"]

    sal = _ok(real_client, "/api/hsds/service_at_locations", per_page=1000)
    _valid(hsds, "compiled/service_at_location_list.json", sal, page=True)
    assert 500 < sal["total_items"] <= services["total_items"]
    for item in sal["contents"][:10]:
        one = _ok(real_client, f"/api/hsds/service_at_locations/{item['id']}")
        _valid(hsds, "compiled/service_at_location.json", one)
        assert one["location"]["addresses"] and one["service"]["id"] == item["service_id"]

    taxonomies = _ok(real_client, "/api/hsds/taxonomies")
    _valid(hsds, "taxonomy.json", taxonomies, page=True)
    _valid(hsds, "taxonomy.json", _ok(real_client, f"/api/hsds/taxonomies/{TAXONOMY_ID}"))
    terms = _ok(real_client, "/api/hsds/taxonomy_terms")
    _valid(hsds, "taxonomy_term.json", terms, page=True)
    assert {t["code"] for t in terms["contents"]} == set(TERM_IDS)
    _valid(
        hsds, "taxonomy_term.json", _ok(real_client, f"/api/hsds/taxonomy_terms/{TERM_IDS['kita']}")
    )


def test_the_ndjson_dump_is_every_service_fully_nested_and_valid(real_client, hsds):
    total = _ok(real_client, "/api/hsds/services", per_page=1)["total_items"]
    r = real_client.get("/api/hsds/services", params={"format": "ndjson"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    lines = r.text.splitlines()
    assert len(lines) == total
    for line in lines:
        _valid(hsds, SERVICE, json.loads(line))
    ids = [json.loads(line)["id"] for line in lines]
    assert len(set(ids)) == total
    sal = real_client.get("/api/hsds/service_at_locations", params={"format": "ndjson"})
    for line in sal.text.splitlines()[:50]:
        _valid(hsds, "compiled/service_at_location.json", json.loads(line))


def test_pages_follow_the_spec_envelope(real_client):
    first = _ok(real_client, "/api/hsds/services", per_page=7)
    second = _ok(real_client, "/api/hsds/services", per_page=7, page=2)
    total = first["total_items"]
    assert first["total_pages"] == -(-total // 7)
    assert (first["page_number"], first["size"], first["first_page"], first["last_page"]) == (
        1,
        7,
        True,
        False,
    )
    assert (second["page_number"], second["first_page"], second["empty"]) == (2, False, False)
    assert not {i["id"] for i in first["contents"]} & {i["id"] for i in second["contents"]}
    last = _ok(real_client, "/api/hsds/services", per_page=7, page=first["total_pages"])
    assert last["last_page"] and last["size"] == total - 7 * (first["total_pages"] - 1)
    assert real_client.get("/api/hsds/services", params={"per_page": 0}).status_code == 422
    assert real_client.get("/api/hsds/services", params={"page": "x"}).status_code == 422


def test_modified_after_far_future_is_empty_and_the_past_is_everything(real_client):
    future = _ok(real_client, "/api/hsds/services", modified_after="2999-01-01T00:00:00Z")
    assert future["empty"] is True and future["total_items"] == 0 and future["contents"] == []
    assert future["total_pages"] == 0 and future["last_page"] is True
    everything = _ok(real_client, "/api/hsds/services")["total_items"]
    past = _ok(real_client, "/api/hsds/services", modified_after="2000-01-01T00:00:00+01:00")
    assert past["total_items"] == everything
    for value in ("gestern", "0.0", "1700000000"):  # a Unix time is no date-time
        bad = real_client.get("/api/hsds/services", params={"modified_after": value})
        assert bad.status_code == 422, value
        assert "modified_after" in bad.json()["detail"][0]["loc"], value


def test_search_and_the_id_filters_combine_with_and(real_client):
    everything = _ok(real_client, "/api/hsds/services")["total_items"]
    kitas = _ok(real_client, "/api/hsds/services", search="Kita", per_page=1000)
    assert 0 < kitas["total_items"] < everything
    assert _ok(real_client, "/api/hsds/services", search="Xylophonwerkstatt")["empty"]

    term = TERM_IDS["kita"]
    by_term = _ok(
        real_client, "/api/hsds/services", taxonomy_term_id=term, full="true", per_page=1000
    )
    assert by_term["total_items"] > 100
    for item in by_term["contents"]:
        assert term in {a["taxonomy_term_id"] for a in item["attributes"]}
    spielplatz = _ok(real_client, "/api/hsds/services", taxonomy_term_id=TERM_IDS["spielplatz"])
    both = _ok(
        real_client,
        "/api/hsds/services",
        taxonomy_term_id=TERM_IDS["spielplatz"],
        search="Kita",
    )
    assert both["total_items"] < spielplatz["total_items"]
    unknown = "00000000-0000-4000-8000-000000000000"
    assert _ok(real_client, "/api/hsds/services", taxonomy_term_id=unknown)["empty"]
    assert _ok(real_client, "/api/hsds/services", taxonomy_id=unknown)["empty"]
    assert (
        _ok(real_client, "/api/hsds/services", taxonomy_id=TAXONOMY_ID)["total_items"] == everything
    )

    orgs = _ok(real_client, "/api/hsds/organizations", per_page=1000)["contents"]
    org = orgs[0]["id"]
    of_org = _ok(real_client, "/api/hsds/services", organization_id=org, per_page=1000)
    assert of_org["total_items"] > 0
    assert {i["organization_id"] for i in of_org["contents"]} == {org}
    assert _ok(real_client, "/api/hsds/services", organization_id=unknown)["empty"]


def test_postcode_and_proximity_on_service_at_locations(real_client):
    in_plz = _ok(real_client, "/api/hsds/service_at_locations", postcode="44787", per_page=1000)
    assert in_plz["total_items"] > 0
    near = _ok(
        real_client,
        "/api/hsds/service_at_locations",
        postcode="44787",
        proximity=500,
        per_page=1000,
    )
    wider = _ok(real_client, "/api/hsds/service_at_locations", postcode="44787", proximity=3000)
    assert 0 < near["total_items"] < wider["total_items"]
    assert _ok(real_client, "/api/hsds/service_at_locations", postcode="99999")["empty"]


def test_ids_are_stable_uuids_and_integer_ids_still_work(real_client, real_engine):
    from sqlmodel import Session, select

    from app.models import Offer

    with Session(real_engine) as session:
        offer = session.exec(select(Offer).order_by(Offer.id)).first()
    sid = service_id(offer.source, offer.source_id)
    by_uuid = _ok(real_client, f"/api/hsds/services/{sid}")
    assert by_uuid == _ok(real_client, f"/api/hsds/services/{offer.id}")
    assert by_uuid["id"] == sid and by_uuid["name"] == offer.name
    assert real_client.get(f"/angebote/{offer.id}").status_code == 200
    missing = real_client.get("/api/hsds/services/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and "nicht gefunden" in missing.json()["detail"]
    assert real_client.get("/api/hsds/taxonomy_terms/nope").status_code == 404


def test_hours_ages_and_facts_become_schedules_eligibility_and_accessibility(engine, hsds):
    from sqlmodel import Session

    with Session(engine) as session:
        offer = make_offer(
            session,
            name="Kita Sonnenblume (generiert)",
            street="Musterstraße 1",
            postcode="44787",
            lat=51.48,
            lon=7.21,
            age_min_months=4,
            age_max=5,
            step_free_entrance=True,
            lift=False,
            opening_hours=[
                *({"weekday": d, "opens": "07:00", "closes": "16:30"} for d in range(4)),
                {"weekday": 4, "opens": "07:00", "closes": "14:00", "note": "Freitag kürzer"},
            ],
            opening_exceptions=[
                {"starts": "2026-12-24", "ends": "2027-01-01", "note": "Weihnachtsferien"},
                {"starts": "2026-07-15", "opens": "10:00", "closes": "12:00"},
            ],
        )
        sid = service_id(offer.source, offer.source_id)
    client = next(app_client(engine))
    data = _ok(client, f"/api/hsds/services/{sid}")
    _valid(hsds, SERVICE, data)
    assert data["minimum_age"] == pytest.approx(4 / 12, abs=1e-3) and data["maximum_age"] == 5
    weekly = [s for s in data["schedules"] if s.get("freq") == "WEEKLY"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("MO,TU,WE,TH", "07:00", "16:30"),
        ("FR", "07:00", "14:00"),
    ]
    assert weekly[1]["notes"] == "Freitag kürzer"
    dated = [s for s in data["schedules"] if "valid_from" in s]
    assert [(s["valid_from"], s["valid_to"], s["description"]) for s in dated] == [
        ("2026-07-15", "2026-07-15", "abweichende Öffnungszeiten"),
        ("2026-12-24", "2027-01-01", "geschlossen"),
    ]
    facts = data["service_at_locations"][0]["location"]["accessibility"]
    assert {(f["description"], f["details"]) for f in facts} == {
        ("Stufenloser Eingang", "ja"),
        ("Aufzug", "nein"),
    }
    assert data["schedules"][0]["id"] == uid("schedule", sid, "weekly", 0)


def test_the_api_is_cached_documented_and_in_the_footer(real_client):
    first = real_client.get("/api/hsds/services", params={"per_page": 3})
    assert first.headers["cache-control"].startswith("public") and first.headers["etag"]
    again = real_client.get(
        "/api/hsds/services",
        params={"per_page": 3},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304
    docs = real_client.get("/api/docs").text
    assert "/api/hsds/services" in docs and "HSDS" in docs
    home = real_client.get("/").text
    assert 'href="/api/hsds/"' in home and "CC BY-SA 4.0" in home


def test_an_organization_search_with_nul_or_wildcards_is_answered_not_a_500(client, session):
    # PostgreSQL text cannot hold NUL: the search went to the database as typed (a 500,
    # found by `make fuzz` on PostgreSQL); % and _ are letters, not LIKE wildcards.
    make_offer(session, name="Kita Eins (generiert)", provider_name="Träger 100% (generiert)")
    make_offer(session, name="Kita Zwei (generiert)", provider_name="Anderer Träger (generiert)")
    session.commit()
    for search in ("Träger\x00", "\x00", "a\x00b"):
        answer = client.get("/api/hsds/organizations", params={"search": search})
        assert answer.status_code == 200, (search, answer.text[:300])
    names = [o["name"] for o in _ok(client, "/api/hsds/organizations", search="100%")["contents"]]
    assert names == ["Träger 100% (generiert)"]
    everything = _ok(client, "/api/hsds/organizations", search="%")["contents"]
    assert [o["name"] for o in everything] == ["Träger 100% (generiert)"]


def test_a_postcode_with_nul_is_answered_not_a_500(client, session):
    make_offer(session, name="Kita Drei (generiert)", street="Weg 1", postcode="44787")
    session.commit()
    for postcode in ("\x00", "44787\x00", "a\x00b"):
        answer = client.get("/api/hsds/service_at_locations", params={"postcode": postcode})
        assert answer.status_code == 200, (postcode, answer.text[:300])
    found = _ok(client, "/api/hsds/service_at_locations", postcode="44787\x00")["contents"]
    assert len(found) == 1

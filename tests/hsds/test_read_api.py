"""The HSDS 3.0 read API on the real Bochum data (SQLite and PostgreSQL): every answer
of every endpoint validates against the standard's own schemas (resolved locally,
formats checked), and paging, modified_after, search and the id filters behave as
the spec says."""

import json
import re

import pytest

from app.hsds.ids import service_id, uid
from app.hsds.schemas import SERVICE, SERVICE_LIST
from app.hsds.taxonomy import DELIVERY_TAXONOMY_ID, DELIVERY_TERM_IDS, TAXONOMY_ID, TERM_IDS
from tests.factories import make_offer
from tests.hsds.conftest import app_client, rich_offer


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
    assert [t["id"] for t in taxonomies["contents"]] == [TAXONOMY_ID, DELIVERY_TAXONOMY_ID]
    for tid in (TAXONOMY_ID, DELIVERY_TAXONOMY_ID):
        _valid(hsds, "taxonomy.json", _ok(real_client, f"/api/hsds/taxonomies/{tid}"))
    terms = _ok(real_client, "/api/hsds/taxonomy_terms")
    _valid(hsds, "taxonomy_term.json", terms, page=True)
    assert {t["code"] for t in terms["contents"]} == set(TERM_IDS) | set(DELIVERY_TERM_IDS)
    forms = _ok(real_client, "/api/hsds/taxonomy_terms", taxonomy_id=DELIVERY_TAXONOMY_ID)
    assert [t["code"] for t in forms["contents"]] == ["vor-ort", "online", "telefon", "aufsuchend"]
    for tid in (TERM_IDS["kita"], DELIVERY_TERM_IDS["online"]):
        _valid(hsds, "taxonomy_term.json", _ok(real_client, f"/api/hsds/taxonomy_terms/{tid}"))


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


def test_holiday_rules_costs_kind_and_form_of_offer_are_published(engine, hsds):
    """They were dropped without a word: the holiday rules are schedules with only a
    description (RRULEs cannot say "closed on public holidays"), the costs kind the
    cost option's option (free: amount 0 EUR), the forms of offer attributes of the
    taxonomy "Angebotsformen", which the taxonomy filters find."""
    from sqlmodel import Session

    with Session(engine) as session:
        rich = rich_offer(session)
        free = make_offer(
            session,
            name="Krabbelgruppe (generiert)",
            costs_kind="frei",
            delivery=["aufsuchend"],
            closed_on_holidays=False,
            closed_school_holidays="alle",
        )
        plain = make_offer(session, name="Spielgruppe (generiert)")
        sids = [service_id(o.source, o.source_id) for o in (rich, free, plain)]
    client = next(app_client(engine))
    rich_data, free_data, plain_data = (_ok(client, f"/api/hsds/services/{s}") for s in sids)
    for data in (rich_data, free_data, plain_data):
        _valid(hsds, SERVICE, data)

    def rules(data):
        return [
            (s["id"], s["description"])
            for s in data["schedules"]
            if set(s) == {"id", "service_id", "description"}
        ]

    assert rules(rich_data) == [
        (uid("schedule", sids[0], "holidays"), "An gesetzlichen Feiertagen (NRW) geschlossen"),
        (
            uid("schedule", sids[0], "school_holidays"),
            "In den Schulferien (NRW) geschlossen: Sommerferien (die ersten 3 Wochen), "
            "Herbstferien (die erste Woche), Weihnachtsferien",
        ),
    ]
    assert [d for _, d in rules(free_data)] == [
        "Auch an gesetzlichen Feiertagen (NRW) geöffnet",
        "In den Schulferien (NRW) geschlossen: alle Schulferien",
    ]
    assert rules(plain_data) == [] and plain_data["cost_options"] == []

    assert rich_data["cost_options"] == [
        {
            "id": uid("cost_option", sids[0]),
            "service_id": sids[0],
            "option": "einkommensabhängig",
            "amount_description": "Elternbeitrag nach Einkommen",
        }
    ]
    assert [
        {k: v for k, v in c.items() if k not in ("id", "service_id")}
        for c in free_data["cost_options"]
    ] == [{"option": "kostenlos", "currency": "EUR", "amount": 0}]

    def forms(data):
        return [
            (a["taxonomy_term_id"], a["taxonomy_term"]["code"], a["taxonomy_term"]["taxonomy_id"])
            for a in data["attributes"]
            if a["taxonomy_term_id"] not in TERM_IDS.values()
        ]

    assert forms(rich_data) == [
        (DELIVERY_TERM_IDS[m], m, DELIVERY_TAXONOMY_ID) for m in ("vor-ort", "online")
    ]
    assert forms(free_data) == [
        (DELIVERY_TERM_IDS["aufsuchend"], "aufsuchend", DELIVERY_TAXONOMY_ID)
    ]

    def found(**params):
        return {i["id"] for i in _ok(client, "/api/hsds/services", **params)["contents"]}

    assert found(taxonomy_term_id=DELIVERY_TERM_IDS["online"]) == {sids[0]}
    assert found(taxonomy_term_id=DELIVERY_TERM_IDS["telefon"]) == set()
    assert found(taxonomy_id=DELIVERY_TAXONOMY_ID) == {sids[0], sids[1]}
    assert found(taxonomy_id=TAXONOMY_ID) == set(sids)


def test_the_profile_points_to_the_hsds_section_of_the_api_docs(client):
    """``profile`` linked ``/api/docs#hsds``, an anchor the page does not have."""
    profile = _ok(client, "/api/hsds/")["profile"]
    page, _, fragment = profile.partition("#")
    assert page.endswith("/api/docs") and fragment
    html = client.get("/api/docs").text
    assert f'id="{fragment}"' in html
    section = html[html.index(f'id="{fragment}"') :]
    assert "<code>/api/hsds/</code>" in section[:2000]
    assert "Angebotsformen" in section[:20000]


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


def _offer_scans(engine, statements, backend):
    """The statements among ``statements`` that read more than one offer row: by the
    plan on SQLite (``SCAN offer``), by the rows read on PostgreSQL (``EXPLAIN
    ANALYZE`` after the tables' statistics are taken, sequential scans off so that a
    tiny table plans like a big one)."""
    scans = []
    with engine.connect() as conn:
        if backend == "postgres":
            conn.exec_driver_sql("ANALYZE offer, hsds_service")  # plans by the real sizes
            conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, params in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            if backend == "sqlite":
                plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                if any(re.match(r"SCAN (TABLE )?offer\b", row[-1]) for row in plan):
                    scans.append(statement)
                continue
            sql = "EXPLAIN (ANALYZE, FORMAT JSON) " + statement
            (plan,) = conn.exec_driver_sql(sql, params).one()
            nodes, read = [plan[0]["Plan"]], 0
            while nodes:
                node = nodes.pop()
                nodes += node.get("Plans", [])
                if node.get("Relation Name") == "offer":
                    read += node["Actual Rows"] * node["Actual Loops"]
                    read += node.get("Rows Removed by Filter", 0)
                    read += node.get("Rows Removed by Index Recheck", 0)
            if read > 1:
                scans.append(statement)
    return scans


def test_a_lookup_by_uuid_reads_the_offer_through_an_index(engine, db_backend):
    """``/services/{uuid}`` and ``/service_at_locations/{uuid}`` derived the id of every
    offer on every request (1.5-3.4 s at 100,000 offers): the derived ids are stored,
    indexed, by every write path, and the lookup plans use the index."""
    from sqlalchemy import event
    from sqlmodel import Session, select

    from app.catalogue.write import create_offer
    from app.hsds import query, read
    from app.hsds.importer import apply_feed
    from app.models import HsdsService, Offer, OfferCreate
    from tests.factories import STAFF
    from tests.hsds.test_import import FEED, GOOD, _ndjson, _service

    with Session(engine) as session:
        imported = make_offer(session, name="Kita Importiert (generiert)", street="Weg 1")
        staff = create_offer(  # a staff entry: its source id becomes "r<id>" after the insert
            session,
            OfferCreate(
                name="Treff der Redaktion (generiert)", category="beratung", street="Weg 2"
            ),
            STAFF,
        )
        assert staff.source_id == f"r{staff.id}"
        session.commit()
        apply_feed(session, _ndjson(_service()), "feed.ndjson", FEED)
        session.commit()
        for n in range(20):  # others, that a scan would read too
            make_offer(session, name=f"Kita Nummer {n} (generiert)", street=f"Weg {n + 3}")
        fed = session.exec(select(HsdsService)).one()
        offers = session.exec(select(Offer).order_by(Offer.id)).all()
        for offer in offers:
            derived = service_id(offer.source, offer.source_id)
            assert offer.hsds_service_id == derived, offer.name
            assert offer.hsds_sal_id == uid("service_at_location", derived), offer.name
        assert fed.sal_id == uid("service_at_location", GOOD)
        wanted = {
            imported.id: service_id(imported.source, imported.source_id),
            staff.id: service_id(staff.source, staff.source_id),
            fed.offer_id: GOOD,
        }

    statements = []

    def seen(conn, cursor, statement, params, context, executemany):
        statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with engine.connect() as conn:
            for offer_id, sid in wanted.items():
                assert query.offer_by_service_id(conn, sid) == offer_id
                assert query.offer_by_sal_id(conn, uid("service_at_location", sid)) == offer_id
                assert read.service(conn, sid, "")["id"] == sid
                sal = read.service_at_location(conn, uid("service_at_location", sid), "")
                assert sal["service"]["id"] == sid
            missing = "00000000-0000-4000-8000-000000000000"
            assert read.service(conn, missing, "") is None
            assert read.service_at_location(conn, missing, "") is None
            # the feed's offer is published with the feed's id only
            derived = service_id("hsds", GOOD)
            assert read.service(conn, derived, "") is None
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements
    assert _offer_scans(engine, statements, db_backend) == []


def test_the_migration_fills_the_lookup_ids_of_the_offers_it_finds(second_engine):
    """Migration 0019 stores the derived ids of the offers and feed links already there."""
    from sqlmodel import Session, select

    from app.db import migrate
    from app.hsds.importer import apply_feed
    from app.models import HsdsService, Offer
    from tests.hsds.test_import import FEED, GOOD, _ndjson, _service

    with Session(second_engine) as session:
        make_offer(session, name="Kita Vorher (generiert)")
        apply_feed(session, _ndjson(_service()), "feed.ndjson", FEED)
        session.commit()
    second_engine.dispose()
    url = second_engine.url.render_as_string(hide_password=False)
    migrate.downgrade(url, "0018")
    migrate.upgrade(url)
    with Session(second_engine) as session:
        offers = session.exec(select(Offer)).all()
        assert len(offers) == 2
        for offer in offers:
            derived = service_id(offer.source, offer.source_id)
            assert (offer.hsds_service_id, offer.hsds_sal_id) == (
                derived,
                uid("service_at_location", derived),
            )
        assert session.exec(select(HsdsService.sal_id)).one() == uid("service_at_location", GOOD)

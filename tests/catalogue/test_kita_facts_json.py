"""The offer page's JSON twins carry the sourced Kita facts the page lists, each with
its source and date, from the same function as the page (superseded ones marked)."""

from app.catalogue.write import update_offer
from app.importer.kitafacts import load_kita_facts
from tests.catalogue.test_kita_facts import _poi_offer
from tests.factories import STAFF


def test_the_offer_json_lists_the_facts_with_source_and_date(client, session, data_dir):
    offer = _poi_offer(session, "385930", "Caritas-Kindergarten Don Bosco (generiert)")
    load_kita_facts(session, data_dir)
    session.commit()
    update_offer(session, offer, {"contact_phone": "0234 111111"}, STAFF)
    session.commit()
    html = client.get(f"/angebote/{offer.id}").text
    twin = client.get(f"/angebote/{offer.id}.json").json()
    api = client.get(f"/api/v1/offers/{offer.id}").json()
    for facts in (twin["sourced_facts"], api["sourced_facts"]):
        assert facts, "no facts in the JSON twin"
        assert len(facts) == html.count('<li class="fact fact-')
        phone = next(f for f in facts if f["value"] == "0234 85990658")
        assert phone["kind"] == "phone" and phone["superseded"] is True
        assert phone["source_url"].startswith("http") and phone["source_date"]
        assert phone["as_of"] == "2016-12-27"
        assert all(f["source_url"] and f["source_date"] for f in facts)
        places = [f for f in facts if f["kind"] == "places"]
        assert places and not any(f["superseded"] for f in places)


def test_an_offer_without_facts_has_an_empty_list(client, session):
    offer = _poi_offer(session, "999999999", "Kita ohne Meldungen (generiert)")
    assert client.get(f"/angebote/{offer.id}.json").json()["sourced_facts"] == []

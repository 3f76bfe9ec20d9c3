"""Kita facts from press and provider pages (issue 18): loaded from the real file as
sourced facts, shown on the offer page as "laut <Quelle>, <Datum>", marked as older once
a person edits the field after the fact's date, listed for staff when a Kita closes."""

from sqlmodel import Session, func, select

from app.catalogue.write import create_offer, update_offer
from app.catalogue.writers import IMPORT, SourceInfo
from app.importer.kitafacts import load_kita_facts
from app.importer.records import SOURCE_POI
from app.models import Offer, OfferChange, OfferCreate, OfferFact
from tests.factories import STAFF
from tests.staff.helpers import make_user, sign_in

# Rows in the file: 90; 9 of them name no city POI. 81 rows name a POI.
ROWS, NOT_IN_CITY_FILE = 90, 9


def _poi_offer(session: Session, poi_id: str, name: str) -> Offer:
    data = OfferCreate(name=name, category="kita")
    offer = create_offer(session, data, IMPORT, source=SourceInfo(SOURCE_POI, poi_id))
    session.commit()
    session.refresh(offer)
    return offer


def _facts_snapshot(session: Session) -> list[tuple]:
    rows = session.exec(select(OfferFact).order_by(OfferFact.id)).all()
    return [(f.id, f.row_key, f.offer_id, f.kind, f.value, f.as_of) for f in rows]


def test_the_real_import_loads_every_fact_and_ties_them_to_the_city_pois(real_engine):
    with Session(real_engine) as session:
        total = session.exec(select(func.count()).select_from(OfferFact)).one()
        without_poi = session.exec(
            select(func.count()).select_from(OfferFact).where(OfferFact.poi_id.is_(None))
        ).one()
        matched = session.exec(
            select(func.count(func.distinct(OfferFact.offer_id))).where(
                OfferFact.offer_id.is_not(None)
            )
        ).one()
        unmatched_with_poi = session.exec(
            select(func.count())
            .select_from(OfferFact)
            .where(OfferFact.poi_id.is_not(None), OfferFact.offer_id.is_(None))
        ).one()
        phone = session.exec(select(OfferFact).where(OfferFact.poi_id == "385930")).all()
        # Facts stay facts: the offer's own phone is not filled from a press line.
        offer = session.get(Offer, phone[0].offer_id)
    assert total == ROWS
    assert without_poi == NOT_IN_CITY_FILE
    assert unmatched_with_poi == 0
    assert matched == 38  # the README: 38 city POIs have a fact
    assert any(f.kind == "phone" and f.value == "0234 85990658" for f in phone)
    assert offer.contact_phone is None or "85990658" not in offer.contact_phone


def test_a_second_load_changes_nothing(session, data_dir):
    _poi_offer(session, "385930", "Caritas-Kindergarten Don Bosco (generiert)")
    load_kita_facts(session, data_dir)
    session.commit()
    before = _facts_snapshot(session)
    changes = session.exec(select(func.count()).select_from(OfferChange)).one()
    load_kita_facts(session, data_dir)
    session.commit()
    assert _facts_snapshot(session) == before
    assert len(before) == ROWS
    assert session.exec(select(func.count()).select_from(OfferChange)).one() == changes


def test_the_offer_page_shows_a_fact_with_its_source_and_date(client, session, data_dir):
    offer = _poi_offer(session, "385930", "Caritas-Kindergarten Don Bosco (generiert)")
    load_kita_facts(session, data_dir)
    session.commit()
    html = client.get(f"/angebote/{offer.id}").text
    assert "Angaben aus Presse und Trägerseiten" in html
    assert "0234 85990658" in html
    assert "laut" in html and "27.12.2016" in html
    assert "Niemand hat sie für diesen Wegweiser geprüft" in html
    assert "älter als die Angabe" not in html
    # A parent can call it: under "Kontakt" as a tel: link with its source, and in the list
    contact = html.split("<dt>Kontakt</dt>", 1)[1].split("</dd>", 1)[0]
    assert 'href="tel:023485990658"' in contact and "laut" in contact
    assert html.count('href="tel:023485990658"') == 2
    english = client.get(f"/angebote/{offer.id}?lang=en").text
    assert "From the press and providers' pages" in english
    assert "according to" in english


def test_an_edit_after_the_facts_date_supersedes_it(client, session, data_dir):
    offer = _poi_offer(session, "385930", "Caritas-Kindergarten Don Bosco (generiert)")
    load_kita_facts(session, data_dir)
    session.commit()
    update_offer(session, offer, {"contact_phone": "0234 111111"}, STAFF)
    session.commit()
    html = client.get(f"/angebote/{offer.id}").text
    phone_item = html.split("0234 85990658", 1)[1].split("</li>", 1)[0]
    assert "älter als die Angabe des Trägers/Amts" in phone_item
    contact = html.split("<dt>Kontakt</dt>", 1)[1].split("</dd>", 1)[0]
    assert "0234 111111" in contact and "85990658" not in contact  # the newer one only
    # Places were not edited: that fact is still shown as it is.
    places_item = html.split("fact-places", 1)[1].split("</li>", 1)[0]
    assert "älter als die Angabe" not in places_item


def test_a_providers_stimmt_so_marks_every_older_fact_as_older(client, session, data_dir):
    from app.catalogue import provider_edits
    from tests.staff.helpers import make_provider_account

    data = OfferCreate(
        name="Caritas-Kindergarten Don Bosco (generiert)",
        category="kita",
        provider_name="Caritas Bochum (generiert)",
    )
    offer = create_offer(session, data, IMPORT, source=SourceInfo(SOURCE_POI, "385930"))
    session.commit()
    load_kita_facts(session, data_dir)
    session.commit()
    assert "älter als die Angabe" not in client.get(f"/angebote/{offer.id}").text
    account = make_provider_account(session, "Caritas Bochum (generiert)", "kita@example.org")
    assert provider_edits.confirm(session, [offer], account) == 1
    html = client.get(f"/angebote/{offer.id}").text
    facts = html.split('class="fact-list"', 1)[1].split("</ul>", 1)[0]
    items = facts.count("<li ")
    assert items >= 2 and facts.count("älter als die Angabe des Trägers/Amts") == items
    assert "vom Träger bestätigt am" in html


def test_staff_see_closures_and_kitas_not_in_the_city_file(client, session, data_dir):
    trappen = _poi_offer(session, "302259", "AWO Kita Am Trappen (generiert)")
    load_kita_facts(session, data_dir)
    session.commit()
    make_user(session)
    assert client.get("/verwaltung/kita-meldungen", follow_redirects=False).status_code == 303
    sign_in(client)
    html = client.get("/verwaltung/kita-meldungen").text
    closures = html.split('id="closures"', 1)[1].split('id="not-in-city-file"', 1)[0]
    assert "AWO Kita Am Trappen (generiert)" in closures
    assert "geschlossen zum 31.07.2024" in closures
    assert "Schließung zum 31.07.2026 angekündigt" in closures  # Christ-König, no offer here
    assert "Februar 2024" in closures
    missing = html.split('id="not-in-city-file"', 1)[1]
    assert "Stepke-Kita Sommerdellenstraße" in missing
    assert "Fröbel-Kita Rüsingstraße" in missing
    # Nothing was archived or created from a press line.
    session.refresh(trappen)
    assert trappen.archived_at is None
    assert session.exec(select(func.count()).select_from(Offer)).one() == 1


def test_how_many_offers_have_contact_hours_and_places_before_and_after(real_engine):
    """The numbers for the issue's closing note (printed with -s)."""
    from app.models import OpeningHours

    with Session(real_engine) as session:
        offers = session.exec(select(Offer).where(Offer.archived_at.is_(None))).all()
        with_hours = set(session.exec(select(OpeningHours.offer_id).distinct()).all())
        facts = session.exec(select(OfferFact).where(OfferFact.offer_id.is_not(None))).all()
    by_kind: dict[str, set[int]] = {}
    for f in facts:
        by_kind.setdefault(f.kind, set()).add(f.offer_id)
    before = {
        "phone": {o.id for o in offers if o.contact_phone},
        "email": {o.id for o in offers if o.contact_email},
        "hours": {o.id for o in offers if o.id in with_hours},
        "places": {o.id for o in offers if o.capacity is not None},
    }
    print(f"\n{len(offers)} offers")
    for kind, ids in before.items():
        after = ids | by_kind.get(kind, set())
        print(f"{kind}: {len(ids)} offers (own field) -> {len(after)} with a sourced fact")
        assert len(after) >= len(ids)
    assert len(before["phone"] | by_kind["phone"]) > len(before["phone"])

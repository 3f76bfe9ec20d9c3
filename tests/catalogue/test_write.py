"""The one write path: validation, versions, the change log, placing, archiving."""

import pytest
from pydantic import ValidationError
from sqlmodel import select

from app.catalogue.write import (
    archive_offer,
    create_offers,
    restore_offer,
    update_offer,
    verify_offer,
)
from app.catalogue.writers import IMPORT, NewOffer, SourceInfo, VersionConflict
from app.geo.crs import utm_to_wgs
from app.models import Offer, OfferChange, OfferCreate, OfferUpdate
from app.search.filters import Filters
from app.search.query import search_offers
from tests.factories import STAFF, add_districts, make_offer


def changes_of(session, offer_id):
    return session.exec(
        select(OfferChange).where(OfferChange.offer_id == offer_id).order_by(OfferChange.version)
    ).all()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"category": "quatsch"}, "category"),
        ({"age_min": 9, "age_max": 2}, None),
        ({"contact_email": "keine-adresse"}, "contact_email"),
        ({"postcode": "4478"}, "postcode"),
        ({"name": "x"}, "name"),
        ({"lat": 1e308}, "lat"),
    ],
)
def test_an_update_is_checked_by_the_same_rules_as_a_new_offer(fields, field):
    for model in (OfferUpdate, OfferCreate):
        data = {"name": "Kita Testweg (generiert)", "category": "kita", **fields}
        if model is OfferUpdate:
            data = fields
        with pytest.raises(ValidationError) as exc:
            model(**data)
        if field:
            assert field in {str(e["loc"][0]) for e in exc.value.errors() if e["loc"]}


def test_update_validates_the_merged_offer_and_changes_nothing_when_invalid(session):
    offer = make_offer(session, name="Kita Merge (generiert)", age_min=0, age_max=6)
    with pytest.raises(ValidationError, match="age_min"):
        update_offer(session, offer, OfferUpdate(age_min=9), STAFF)
    session.rollback()
    session.refresh(offer)
    assert (offer.age_min, offer.version) == (0, 1)


def test_staff_update_bumps_the_version_logs_before_and_after_and_is_found(session):
    offer = make_offer(session, name="Kita Altname (generiert)")
    update_offer(
        session,
        offer,
        OfferUpdate(name="Kita Neuname (generiert)", contact_phone="0234 555 1234", version=1),
        STAFF,
    )
    session.commit()

    assert offer.version == 2 and offer.edited_at is not None
    create, edit = changes_of(session, offer.id)
    assert (create.action, create.channel) == ("create", "import")
    assert (edit.action, edit.channel, edit.actor) == ("update", "page", STAFF.name)
    assert edit.before == {"name": "Kita Altname (generiert)", "contact_phone": None}
    assert edit.after == {"name": "Kita Neuname (generiert)", "contact_phone": "0234 555 1234"}
    found = search_offers(session, Filters(q="Neuname"))
    assert [h.offer.id for h in found.hits] == [offer.id]


def test_a_change_based_on_an_old_version_is_refused_and_changes_nothing(session):
    offer = make_offer(session, name="Kita Konflikt (generiert)")
    update_offer(session, offer, {"costs": "kostenlos"}, STAFF)
    session.commit()
    with pytest.raises(VersionConflict):
        update_offer(session, offer, OfferUpdate(costs="5 Euro", version=1), STAFF)
    session.rollback()
    session.refresh(offer)
    assert (offer.costs, offer.version) == ("kostenlos", 2)
    assert len(changes_of(session, offer.id)) == 2


def test_an_update_that_changes_nothing_spends_no_version(session):
    offer = make_offer(session, name="Kita Gleich (generiert)", costs="kostenlos")
    update_offer(session, offer, {"costs": "kostenlos", "name": "Kita Gleich (generiert)"}, STAFF)
    session.commit()
    assert offer.version == 1 and len(changes_of(session, offer.id)) == 1


def test_moving_the_point_places_the_offer_in_its_new_district(session, data_dir):
    add_districts(session, data_dir)
    lon, lat = utm_to_wgs(371162, 5705110)  # Wattenscheid
    offer = make_offer(session, name="Kita Umzug (generiert)", lat=lat, lon=lon)
    assert (offer.district_slug, offer.location.plz_area) == ("wattenscheid", "44866")
    lon, lat = utm_to_wgs(376860, 5705251)  # Mitte, 44791
    update_offer(session, offer, {"lat": lat, "lon": lon}, STAFF)
    session.commit()
    assert (offer.district_slug, offer.location.plz_area) == ("mitte", "44791")
    assert offer.location.precision == "staff"


def test_a_batch_is_placed_in_one_pass_like_single_offers(session, data_dir):
    add_districts(session, data_dir)
    points = [(371162, 5705110), (376860, 5705251), (383569, 5703746), (1, 1)]
    items = [
        NewOffer(
            OfferCreate(
                name=f"Punkt {i} (generiert)",
                category="spielplatz",
                lon=utm_to_wgs(*p)[0],
                lat=utm_to_wgs(*p)[1],
            ),
            SourceInfo("test", f"batch{i}"),
        )
        for i, p in enumerate(points)
    ]
    ids = create_offers(session, items, IMPORT)
    session.commit()
    placed = [session.get(Offer, i).district_slug for i in ids]
    assert placed == ["wattenscheid", "mitte", "ost", None]


def test_archived_offers_leave_search_and_page_and_come_back_on_restore(session, client):
    offer = make_offer(session, name="Kita Archiv (generiert)")
    archive_offer(session, offer, STAFF)
    session.commit()
    assert search_offers(session, Filters(q="Archiv")).total == 0
    assert client.get(f"/angebote/{offer.id}").status_code == 404
    assert client.get(f"/angebote/{offer.id}.json").status_code == 404

    restore_offer(session, offer, STAFF, based_on=offer.version)
    session.commit()
    assert search_offers(session, Filters(q="Archiv")).total == 1
    assert client.get(f"/angebote/{offer.id}").status_code == 200
    assert [c.action for c in changes_of(session, offer.id)] == ["create", "archive", "restore"]


def test_verification_is_a_persons_check_logged_with_its_date(session, client):
    offer = make_offer(session, name="Kita Geprüft (generiert)")
    assert "noch nicht geprüft" in client.get(f"/angebote/{offer.id}").text
    verify_offer(session, offer, STAFF)
    session.commit()
    assert offer.last_verified is not None
    assert "vom Amt geprüft am" in client.get(f"/angebote/{offer.id}").text
    assert changes_of(session, offer.id)[-1].action == "verify"


def test_a_text_longer_than_its_limit_as_sent_is_refused_even_if_blanks_would_shorten_it():
    # The schema's maxLength counts what was sent; stripping comes after the limit.
    from pydantic import ValidationError

    from app.models import OfferCreate

    with pytest.raises(ValidationError) as refused:
        OfferCreate(name="\n" + "K" * 300, category="kita")
    assert refused.value.errors()[0]["loc"] == ("name",)
    assert refused.value.errors()[0]["type"] == "string_too_long"
    assert OfferCreate(name=" " + "K" * 299, category="kita").name == "K" * 299

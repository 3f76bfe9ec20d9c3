"""The public shape of offers (``OfferPublic``), read in chunks without ORM objects.

``PUBLIC_COLUMNS`` maps every field of ``OfferPublic`` to the column it comes from;
the JSON twins, the CSV and GeoJSON exports and the API all read offers through
``public_offers``, so the shape is defined once. An import-time check keeps the
mapping and the model in step.
"""

from collections.abc import Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from app.catalogue import hours, kitafacts
from app.models import Location, Offer, OfferCategory, OfferDetail, OfferPublic, Provider

CHUNK = 1000

PUBLIC_COLUMNS = {
    "id": Offer.id,
    "name": Offer.name,
    "category": Offer.category,
    "description": Offer.description,
    "target_group": Offer.target_group,
    "age_min": Offer.age_min,
    "age_max": Offer.age_max,
    "age_is_typical": Offer.age_is_typical,
    "age_min_months": Offer.age_min_months,
    "age_max_months": Offer.age_max_months,
    "languages": Offer.languages,
    "costs": Offer.costs,
    "costs_kind": Offer.costs_kind,
    "delivery": Offer.delivery,
    "closed_on_holidays": Offer.closed_on_holidays,
    "closed_school_holidays": Offer.closed_school_holidays,
    "barrier_free": Offer.barrier_free,
    "step_free_entrance": Offer.step_free_entrance,
    "accessible_toilet": Offer.accessible_toilet,
    "lift": Offer.lift,
    "induction_loop": Offer.induction_loop,
    "easy_language": Offer.easy_language,
    "capacity": Offer.capacity,
    "capacity_u3": Offer.capacity_u3,
    "provider": Provider.name,
    "street": Location.street,
    "postcode": Location.postcode,
    "city": Location.city,
    "district": Offer.district_slug,
    "service_area": Offer.service_area,
    "lat": Location.lat,
    "lon": Location.lon,
    "precision": Location.precision,
    "phone": Offer.contact_phone,
    "email": Offer.contact_email,
    "website": Offer.website,
    "source": Offer.source,
    "source_urls": Offer.source_urls,
    "source_date": Offer.source_date,
    "last_verified": Offer.last_verified,
    "updated_at": Offer.updated_at,
    "version": Offer.version,
}
DERIVED = ("categories", "distance_m")  # computed below, not read from a column

_missing = set(OfferPublic.model_fields) - set(PUBLIC_COLUMNS) - set(DERIVED)
assert not _missing, f"OfferPublic fields without a column: {sorted(_missing)}"

_SELECT = [col.label(name) for name, col in PUBLIC_COLUMNS.items()]


def kinds_of(conn: Connection, main: dict[int, str]) -> dict[int, list[str]]:
    """The kinds of each offer of ``main`` (id: its main kind): the main kind first,
    then the others in alphabetical order."""
    extra: dict[int, list[str]] = {offer_id: [] for offer_id in main}
    for offer_id, category in conn.execute(
        select(OfferCategory.offer_id, OfferCategory.category).where(
            OfferCategory.offer_id.in_(list(main))
        )
    ):
        extra[offer_id].append(category)
    return {
        offer_id: [kind, *sorted(c for c in extra[offer_id] if c != kind)]
        for offer_id, kind in main.items()
    }


def public_offers(
    session: Session, ranked: Sequence[tuple[int, float | None]]
) -> Iterator[OfferPublic]:
    """The offers of ``ranked`` ((id, distance in metres or None) pairs), in that order."""
    conn = session.connection()
    for start in range(0, len(ranked), CHUNK):
        chunk = ranked[start : start + CHUNK]
        ids = [offer_id for offer_id, _ in chunk]
        rows = (
            conn.execute(
                select(*_SELECT)
                .outerjoin(Location, Location.id == Offer.location_id)
                .outerjoin(Provider, Provider.id == Offer.provider_id)
                .where(Offer.id.in_(ids))
            )
            .mappings()
            .all()
        )
        by_id = {row["id"]: row for row in rows}
        kinds = kinds_of(conn, {row["id"]: row["category"] for row in rows})
        for offer_id, distance in chunk:
            row = by_id.get(offer_id)
            if row is None:
                continue
            data = dict(row)
            data["categories"] = kinds[offer_id]
            data["distance_m"] = round(distance) if distance is not None else None
            yield OfferPublic(**data)


def public_offer(session: Session, offer_id: int) -> OfferPublic | None:
    return next(public_offers(session, [(offer_id, None)]), None)


def offer_detail(session: Session, offer: Offer) -> OfferDetail:
    """The admin API's shape of one offer (archived ones too): public fields, plus hours,
    exceptions, notes and state."""
    public = next(public_offers(session, [(offer.id, None)]))
    return OfferDetail(
        **public.model_dump(),
        provider_id=offer.provider_id,
        opening_hours=hours.hours_of(offer),
        opening_exceptions=hours.exceptions_of(offer),
        notes=offer.notes,
        archived=offer.archived_at is not None,
        edited_at=offer.edited_at,
        created_at=offer.created_at,
        sourced_facts=kitafacts.public_facts(session, offer),
    )

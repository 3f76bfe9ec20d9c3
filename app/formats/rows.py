"""The offers of a search result as public rows, read in chunks without ORM objects.

Exports of every match (CSV, GeoJSON) can hold thousands of offers; building one
ORM object per offer, location and category took most of their time (``make bench``).
The rows have exactly the shape of ``OfferPublic.from_offer``.
"""

from collections.abc import Iterator

from sqlalchemy import select
from sqlmodel import Session

from app.models.catalogue import Location, Offer, OfferCategory, OfferPublic, Provider
from app.search.query import SearchResult

CHUNK = 1000

_COLUMNS = (
    Offer.id, Offer.name, Offer.category, Offer.description, Offer.target_group,
    Offer.age_min, Offer.age_max, Offer.age_is_typical, Offer.languages, Offer.costs,
    Offer.barrier_free, Provider.name.label("provider"), Location.street, Location.postcode,
    Location.city, Offer.district_slug.label("district"), Offer.service_area, Location.lat,
    Location.lon, Offer.contact_phone.label("phone"), Offer.contact_email.label("email"),
    Offer.website, Offer.source, Offer.source_urls, Offer.source_date, Offer.last_verified,
    Offer.updated_at,
)


def public_rows(session: Session, result: SearchResult) -> Iterator[OfferPublic]:
    """Every offer of ``result`` (``result.ranked``), in result order."""
    conn = session.connection()
    ranked = result.ranked
    for start in range(0, len(ranked), CHUNK):
        chunk = ranked[start:start + CHUNK]
        ids = [offer_id for offer_id, _ in chunk]
        rows = conn.execute(
            select(*_COLUMNS)
            .outerjoin(Location, Location.id == Offer.location_id)
            .outerjoin(Provider, Provider.id == Offer.provider_id)
            .where(Offer.id.in_(ids))
        ).mappings().all()
        by_id = {row["id"]: row for row in rows}
        extra: dict[int, list[str]] = {}
        for offer_id, category in conn.execute(
                select(OfferCategory.offer_id, OfferCategory.category)
                .where(OfferCategory.offer_id.in_(ids))):
            extra.setdefault(offer_id, []).append(category)
        for offer_id, distance in chunk:
            row = by_id.get(offer_id)
            if row is None:
                continue
            data = dict(row)
            others = sorted(c for c in extra.get(offer_id, []) if c != data["category"])
            data["categories"] = [data["category"], *others]
            data["distance_m"] = round(distance) if distance is not None else None
            yield OfferPublic(**data)

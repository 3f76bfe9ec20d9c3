"""The catalogue rows an HSDS answer is built from, read for a chunk of offers at once
(no ORM objects, a fixed number of queries per chunk): the offer with its location and
provider, its kinds, its weekly hours and their exceptions, its feed id."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.models import (
    HsdsService,
    Location,
    Offer,
    OfferCategory,
    OpeningException,
    OpeningHours,
    Provider,
)

COLUMNS = {
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
    "barrier_free": Offer.barrier_free,
    "step_free_entrance": Offer.step_free_entrance,
    "accessible_toilet": Offer.accessible_toilet,
    "lift": Offer.lift,
    "induction_loop": Offer.induction_loop,
    "easy_language": Offer.easy_language,
    "contact_phone": Offer.contact_phone,
    "contact_email": Offer.contact_email,
    "website": Offer.website,
    "service_area": Offer.service_area,
    "source": Offer.source,
    "source_id": Offer.source_id,
    "source_urls": Offer.source_urls,
    "source_label": Offer.source_label,
    "source_date": Offer.source_date,
    "source_changed": Offer.source_changed,
    "last_verified": Offer.last_verified,
    "updated_at": Offer.updated_at,
    "location_id": Offer.location_id,
    "street": Location.street,
    "postcode": Location.postcode,
    "city": Location.city,
    "lat": Location.lat,
    "lon": Location.lon,
    "provider_name": Provider.name,
    "provider_kind": Provider.kind,
    "provider_website": Provider.website,
    "feed_id": HsdsService.service_id,
}
_SELECT = [col.label(name) for name, col in COLUMNS.items()]


@dataclass
class OfferRecord:
    row: dict[str, Any]
    categories: list[str] = field(default_factory=list)  # main kind first
    hours: list[dict[str, Any]] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)


def offer_select() -> Any:
    """The offer columns with their location, provider and feed id (outer joins)."""
    return (
        select(*_SELECT)
        .select_from(Offer)
        .outerjoin(Location, Location.id == Offer.location_id)
        .outerjoin(Provider, Provider.id == Offer.provider_id)
        .outerjoin(HsdsService, HsdsService.offer_id == Offer.id)
    )


def records(conn: Connection, ids: Sequence[int]) -> list[OfferRecord]:
    """The records of ``ids``, in that order (ids that do not exist are left out)."""
    if not ids:
        return []
    ids = list(ids)
    rows = {
        r["id"]: OfferRecord(dict(r))
        for r in conn.execute(offer_select().where(Offer.id.in_(ids))).mappings()
    }
    extra: dict[int, list[str]] = defaultdict(list)
    for offer_id, category in conn.execute(
        select(OfferCategory.offer_id, OfferCategory.category).where(
            OfferCategory.offer_id.in_(ids)
        )
    ):
        extra[offer_id].append(category)
    for offer_id, rec in rows.items():
        main = rec.row["category"]
        rec.categories = [main, *sorted(c for c in extra[offer_id] if c != main)]
    for r in conn.execute(
        select(
            OpeningHours.offer_id,
            OpeningHours.weekday,
            OpeningHours.opens,
            OpeningHours.closes,
            OpeningHours.note,
        ).where(OpeningHours.offer_id.in_(ids))
    ).mappings():
        if r["offer_id"] in rows:
            rows[r["offer_id"]].hours.append(dict(r))
    for r in conn.execute(
        select(
            OpeningException.offer_id,
            OpeningException.starts,
            OpeningException.ends,
            OpeningException.opens,
            OpeningException.closes,
            OpeningException.note,
        ).where(OpeningException.offer_id.in_(ids))
    ).mappings():
        if r["offer_id"] in rows:
            rows[r["offer_id"]].exceptions.append(dict(r))
    return [rows[i] for i in ids if i in rows]

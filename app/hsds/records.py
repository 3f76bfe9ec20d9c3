"""The catalogue rows an HSDS answer is built from, read for a chunk of offers at once
(no ORM objects, a fixed number of queries per chunk): the offer with its location and
provider, its kinds, its weekly hours and their exceptions, its feed id."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from app.catalogue.public import PUBLIC_COLUMNS, kinds_of
from app.models import (
    HsdsService,
    Location,
    Offer,
    OpeningException,
    OpeningHours,
    Provider,
)

# The public columns (``app.catalogue.public``) and what HSDS adds to them.
COLUMNS = {
    **PUBLIC_COLUMNS,
    "source_id": Offer.source_id,
    "source_label": Offer.source_label,
    "source_changed": Offer.source_changed,
    "location_id": Offer.location_id,
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
    kinds = kinds_of(conn, {offer_id: rec.row["category"] for offer_id, rec in rows.items()})
    for offer_id, rec in rows.items():
        rec.categories = kinds[offer_id]
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

"""Which offers an HSDS list answers: the spec's query parameters as conditions,
combined with AND, in offer id order (stable pages), and the same conditions walked
in chunks by id (keyset: ``id > last``) for the ndjson dump, so its memory does not
grow with the catalogue."""

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import false, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from app.db.backend import get_backend
from app.hsds.ids import is_uuid, organization_id
from app.hsds.taxonomy import (
    DELIVERY_OF_TERM,
    DELIVERY_TAXONOMY_ID,
    SLUG_OF_TERM,
    TAXONOMY_ID,
)
from app.models import HsdsService, Location, Offer, OfferCategory, PostcodeArea, Provider

CHUNK = 500


@dataclass(frozen=True)
class ServiceFilters:
    """The spec's parameters of ``/services`` and ``/service_at_locations``."""

    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None
    postcode: str | None = None
    proximity: float | None = None  # metres around the postcode's centre
    with_location: bool = False  # service_at_locations: only offers with a location


def provider_by_uuid(conn: Connection, org_id: str) -> int | None:
    """The provider whose organization id is ``org_id`` (ids derive from the name)."""
    if not is_uuid(org_id):
        return None
    for pid, name in conn.execute(select(Provider.id, Provider.name)):
        if organization_id(name) == org_id:
            return pid
    return None


def offer_by_service_id(conn: Connection, value: str) -> int | None:
    """The offer (not archived) of a service id, or of our integer offer id: by the
    feed's id (``hsds_service``), else by the id derived from its source (stored on
    the offer), both indexed."""
    live = Offer.archived_at.is_(None)
    if value.isdigit() and 0 < int(value) < 2**31:
        return conn.execute(select(Offer.id).where(Offer.id == int(value), live)).scalar()
    return _by_published_id(conn, value, HsdsService.service_id, Offer.hsds_service_id, live)


def offer_by_sal_id(conn: Connection, value: str) -> int | None:
    """The offer (not archived, with a location) of a service_at_location id: that of
    the feed's id, else that of the id derived from its source (both indexed)."""
    live = (Offer.archived_at.is_(None), Offer.location_id.is_not(None))
    return _by_published_id(conn, value, HsdsService.sal_id, Offer.hsds_sal_id, *live)


def _by_published_id(
    conn: Connection, value: str, feed_column, derived_column, *live
) -> int | None:  # noqa: ANN001
    """The offer published under ``value``: the one whose feed gave that id
    (``feed_column`` of ``hsds_service``), else the one whose id derived from its source
    is ``value`` (``derived_column``; only if no feed id replaces it); both indexed."""
    if not is_uuid(value):
        return None
    value = value.lower()
    found = conn.execute(
        select(Offer.id)
        .join(HsdsService, HsdsService.offer_id == Offer.id)
        .where(feed_column == value, *live)
    ).scalar()
    if found is not None:
        return found
    return conn.execute(
        select(Offer.id)
        .outerjoin(HsdsService, HsdsService.offer_id == Offer.id)
        .where(derived_column == value, HsdsService.offer_id.is_(None), *live)
    ).scalar()


def conditions(conn: Connection, f: ServiceFilters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [Offer.archived_at.is_(None)]
    if f.search and f.search.strip():
        text = get_backend(conn).text_condition(f.search)
        if text is not None:
            conds.append(text)
    if f.taxonomy_term_id is not None:
        slug = SLUG_OF_TERM.get(f.taxonomy_term_id.lower())
        mode = DELIVERY_OF_TERM.get(f.taxonomy_term_id.lower())
        if slug:
            conds.append(
                Offer.id.in_(select(OfferCategory.offer_id).where(OfferCategory.category == slug))
            )
        elif mode:
            conds.append(get_backend(conn).list_has_any(Offer.delivery, [mode]))
        else:
            conds.append(false())
    if f.taxonomy_id is not None:
        wanted = f.taxonomy_id.lower()
        if wanted == DELIVERY_TAXONOMY_ID:  # offers with a form of offer stated
            conds.append(get_backend(conn).list_has_any(Offer.delivery, None))
        elif wanted != TAXONOMY_ID:  # every offer has a kind of that taxonomy
            conds.append(false())
    if f.organization_id is not None:
        pid = provider_by_uuid(conn, f.organization_id.lower())
        conds.append(Offer.provider_id == pid if pid is not None else false())
    if f.modified_after is not None:
        conds.append(Offer.updated_at >= f.modified_after)
    if f.with_location or f.postcode:
        conds.append(Offer.location_id.is_not(None))
    if f.postcode:
        if f.proximity is not None:
            centre = conn.execute(
                select(PostcodeArea.x, PostcodeArea.y).where(PostcodeArea.plz == f.postcode)
            ).first()
            if centre is None:
                conds.append(false())
            else:
                near = get_backend(conn).nearby(centre[0], centre[1], f.proximity)
                conds.append(Offer.location_id.in_(select(Location.id).where(near.condition)))
        else:
            conds.append(
                Offer.location_id.in_(
                    select(Location.id).where(
                        or_(Location.postcode == f.postcode, Location.plz_area == f.postcode)
                    )
                )
            )
    return conds


@dataclass(frozen=True)
class Page:
    ids: list[int]
    total: int
    page: int
    per_page: int

    def envelope(self, contents: list[dict[str, Any]]) -> dict[str, Any]:
        """The spec's Page (every property, see the README of the schemas)."""
        pages = math.ceil(self.total / self.per_page) if self.total else 0
        return {
            "total_items": self.total,
            "total_pages": pages,
            "page_number": self.page,
            "size": len(contents),
            "first_page": self.page == 1,
            "last_page": self.page >= pages,
            "empty": self.total == 0,
            "contents": contents,
        }


def page_of(conn: Connection, conds: list[ColumnElement[bool]], page: int, per_page: int) -> Page:
    total = conn.execute(select(func.count()).select_from(Offer).where(*conds)).scalar_one()
    ids = list(
        conn.execute(
            select(Offer.id)
            .where(*conds)
            .order_by(Offer.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).scalars()
    )
    return Page(ids, total, page, per_page)


def chunks(
    conn: Connection, conds: list[ColumnElement[bool]], size: int = CHUNK
) -> Iterator[list[int]]:
    """Every matching id, ``size`` at a time, by id (keyset, constant memory)."""
    last = 0
    while True:
        ids = list(
            conn.execute(
                select(Offer.id).where(*conds, Offer.id > last).order_by(Offer.id).limit(size)
            ).scalars()
        )
        if not ids:
            return
        yield ids
        last = ids[-1]

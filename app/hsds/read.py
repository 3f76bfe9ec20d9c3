"""The answers of the HSDS read API, as plain data: one function per endpoint, each
taking a database connection (no FastAPI here). Lists answer one page in the spec's
envelope, or (``stream_*``) every match as one JSON object per line."""

import json
from collections.abc import Callable, Iterator
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from app.hsds import query, serialise
from app.hsds.query import Page, ServiceFilters
from app.hsds.records import OfferRecord, records
from app.hsds.taxonomy import (
    DELIVERY_TERM_IDS,
    TERM_IDS,
    delivery_term,
    taxonomies,
    term,
    terms,
)
from app.models import Offer, Provider

HSDS_VERSION = "3.0"
Mode = Literal["minimal", "list", "full"]


def _service_shape(mode: Mode, base: str) -> Callable[[OfferRecord], dict[str, Any]]:
    if mode == "minimal":
        return serialise.minimal_item
    if mode == "full":
        return lambda rec: serialise.service_full(rec, base)
    return serialise.service_item


def _sal_shape(mode: Mode, base: str) -> Callable[[OfferRecord], dict[str, Any]]:
    if mode == "full":
        return lambda rec: serialise.service_at_location_full(rec, base)
    return serialise.service_at_location_item


def about(base: str, docs_anchor: str) -> dict[str, Any]:
    """``docs_anchor``: the id of this API's section on /api/docs (the profile)."""
    return {
        "version": HSDS_VERSION,
        "profile": f"{base}/api/docs#{docs_anchor}",
        "openapi_url": f"{base}/api/openapi.json",
    }


# --- services and service_at_locations --------------------------------------------------


def services_page(
    conn: Connection, f: ServiceFilters, page: int, per_page: int, mode: Mode, base: str
) -> dict[str, Any]:
    found = query.page_of(conn, query.conditions(conn, f), page, per_page)
    shape = _service_shape(mode, base)
    return found.envelope([shape(r) for r in records(conn, found.ids)])


def service_at_locations_page(
    conn: Connection, f: ServiceFilters, page: int, per_page: int, mode: Mode, base: str
) -> dict[str, Any]:
    f = ServiceFilters(**{**f.__dict__, "with_location": True})
    found = query.page_of(conn, query.conditions(conn, f), page, per_page)
    shape = _sal_shape(mode, base)
    return found.envelope([shape(r) for r in records(conn, found.ids)])


def ndjson(
    engine: Engine, f: ServiceFilters, mode: Mode, base: str, *, at_locations: bool = False
) -> Iterator[bytes]:
    """Every match, one JSON object per line, read ``query.CHUNK`` offers at a time in
    one read-only connection of its own (the stream outlives the request's session)."""
    if at_locations:
        f = ServiceFilters(**{**f.__dict__, "with_location": True})
    shape = (_sal_shape if at_locations else _service_shape)(mode, base)
    with engine.connect() as conn:
        conds = query.conditions(conn, f)
        for ids in query.chunks(conn, conds):
            yield b"".join(
                json.dumps(shape(r), ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
                for r in records(conn, ids)
            )


def service(conn: Connection, value: str, base: str) -> dict[str, Any] | None:
    offer_id = query.offer_by_service_id(conn, value)
    if offer_id is None:
        return None
    return serialise.service_full(records(conn, [offer_id])[0], base)


def service_at_location(conn: Connection, value: str, base: str) -> dict[str, Any] | None:
    """By the service_at_location's id (or the integer offer id)."""
    if value.isdigit():
        offer_id = query.offer_by_service_id(conn, value)
    else:
        offer_id = query.offer_by_sal_id(conn, value)
    if offer_id is None:
        return None
    rec = records(conn, [offer_id])[0]
    if rec.row["location_id"] is None:
        return None
    return serialise.service_at_location_full(rec, base)


# --- organizations ---------------------------------------------------------------------


def _providers(conn: Connection, search: str | None) -> Any:
    stmt = select(Provider.id, Provider.name, Provider.kind, Provider.website).where(
        Provider.archived_at.is_(None)
    )
    # No stored name holds NUL (PostgreSQL text cannot take it: a 500 before), and % or _
    # are letters here, as in the admin API's provider search.
    words = (search or "").replace("\x00", "").strip().lower()
    if words:
        stmt = stmt.where(func.lower(Provider.name).contains(words, autoescape=True))
    return stmt


def _organization(conn: Connection, row: Any, full: bool, full_service: bool, base: str) -> dict:
    org = serialise.organization_of(row.name, row.kind, row.website)
    if not full:
        return org
    ids = list(
        conn.execute(
            select(Offer.id)
            .where(Offer.provider_id == row.id, Offer.archived_at.is_(None))
            .order_by(Offer.id)
        ).scalars()
    )
    org["services"] = []
    for start in range(0, len(ids), query.CHUNK):
        for rec in records(conn, ids[start : start + query.CHUNK]):
            item = (
                serialise.service_full(rec, base) if full_service else serialise.service_item(rec)
            )
            org["services"].append(item)
    return org


def organizations_page(
    conn: Connection,
    search: str | None,
    page: int,
    per_page: int,
    full: bool,
    full_service: bool,
    base: str,
) -> dict[str, Any]:
    stmt = _providers(conn, search)
    total = conn.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = conn.execute(
        stmt.order_by(Provider.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    found = Page([r.id for r in rows], total, page, per_page)
    return found.envelope([_organization(conn, r, full, full_service, base) for r in rows])


def organizations_ndjson(
    engine: Engine, search: str | None, full: bool, full_service: bool, base: str
) -> Iterator[bytes]:
    with engine.connect() as conn:
        last = 0
        while True:
            rows = conn.execute(
                _providers(conn, search)
                .where(Provider.id > last)
                .order_by(Provider.id)
                .limit(query.CHUNK)
            ).all()
            if not rows:
                return
            for r in rows:
                yield (
                    json.dumps(
                        _organization(conn, r, full, full_service, base), ensure_ascii=False
                    ).encode()
                    + b"\n"
                )
            last = rows[-1].id


def organization(
    conn: Connection, value: str, full_service: bool, base: str
) -> dict[str, Any] | None:
    pid = query.provider_by_uuid(conn, value.lower())
    if pid is None and value.isdigit() and 0 < int(value) < 2**31:
        pid = int(value)
    if pid is None:
        return None
    row = conn.execute(_providers(conn, None).where(Provider.id == pid)).first()
    if row is None:
        return None
    return _organization(conn, row, True, full_service, base)


# --- taxonomies ------------------------------------------------------------------------


def _page(items: list[dict[str, Any]], page: int, per_page: int) -> dict[str, Any]:
    chunk = items[(page - 1) * per_page : page * per_page]
    return Page([], len(items), page, per_page).envelope(chunk)


def _matches(item: dict[str, Any], search: str | None) -> bool:
    if not search or not search.strip():
        return True
    words = search.strip().lower()
    return any(words in str(item.get(k, "")).lower() for k in ("name", "description", "code"))


def taxonomy_list(search: str | None, base: str) -> list[dict[str, Any]]:
    return [t for t in taxonomies(base) if _matches(t, search)]


def taxonomies_page(search: str | None, page: int, per_page: int, base: str) -> dict[str, Any]:
    return _page(taxonomy_list(search, base), page, per_page)


def taxonomy_by_id(value: str, base: str) -> dict[str, Any] | None:
    return next((t for t in taxonomies(base) if t["id"] == value.lower()), None)


def term_list(
    search: str | None,
    taxonomy_id: str | None,
    top_only: bool | None,
    parent_id: str | None,
    base: str,
) -> list[dict[str, Any]]:
    if parent_id is not None:
        return []  # our terms have no parents
    return [
        t
        for t in terms(base)
        if _matches(t, search) and (taxonomy_id is None or t["taxonomy_id"] == taxonomy_id.lower())
    ]


def terms_page(
    search: str | None,
    taxonomy_id: str | None,
    top_only: bool | None,
    parent_id: str | None,
    page: int,
    per_page: int,
    base: str,
) -> dict[str, Any]:
    return _page(term_list(search, taxonomy_id, top_only, parent_id, base), page, per_page)


def term_by_id(value: str, base: str) -> dict[str, Any] | None:
    for slug, tid in TERM_IDS.items():
        if tid == value.lower() or slug == value:
            return term(slug, base)
    for mode, tid in DELIVERY_TERM_IDS.items():
        if tid == value.lower() or mode == value:
            return delivery_term(mode, base)
    return None


def lines(items: list[dict[str, Any]]) -> Iterator[bytes]:
    for item in items:
        yield json.dumps(item, ensure_ascii=False).encode() + b"\n"

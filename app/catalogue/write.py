"""Writing offers: the one path every writer takes.

The importer, the admin pages, the admin API and accepted corrections all call these
functions, which validate (the model family's rules), place (district and postcode
area of a changed point, vectorised), version (``Offer.version``, checked against the
version a change is based on), record the change (``OfferChange``: who, through what,
the fields before and after) and bump the catalogue's version counter, once.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert
from sqlmodel import Session

from app.catalogue import hours, locations
from app.catalogue.audit import (
    changed_fields,
    record_change,
    snapshot,
    snapshot_of_input,
    snapshot_of_model,
)
from app.catalogue.placing import place_points
from app.catalogue.providers import get_or_create_provider, provider_ids
from app.catalogue.search_text import build_search_text, refresh_search_text
from app.catalogue.writers import (
    Actor,
    NewOffer,
    Placement,
    SourceInfo,
    VersionConflict,
    claim_version,
)
from app.db import state
from app.db.backend import get_backend
from app.models import (
    Location,
    Offer,
    OfferCategory,
    OfferChange,
    OfferCreate,
    OfferUpdate,
    OpeningException,
    OpeningHours,
    utcnow,
)
from app.models.hsds_ids import derived_ids
from app.text import sort_key

LOCATION_FIELDS = ("street", "postcode", "city", "lat", "lon")
OFFER_FIELDS = tuple(
    f
    for f in OfferCreate.model_fields
    if f not in (*LOCATION_FIELDS, *hours.FIELDS, "extra_categories", "provider_name")
)


# --- create ---------------------------------------------------------------------------


def create_offers(session: Session, items: Sequence[NewOffer], actor: Actor) -> list[int]:
    """Insert validated offers in bulk (providers, locations, offers, categories, the
    change log) and place their points in one vectorised pass; returns the new ids."""
    if not items:
        return []
    now = utcnow()
    points = locations.points(items)
    placed = {
        n: items[n].placement.areas
        for n in points
        if items[n].placement and items[n].placement.areas is not None
    }
    todo = [n for n in points if n not in placed]
    placed.update(zip(todo, place_points(session, [points[n] for n in todo]), strict=True))
    providers = provider_ids(
        session, {i.data.provider_name: i.provider_kind for i in items if i.data.provider_name}
    )

    location_rows, with_location = [], []
    for n, item in enumerate(items):
        d = item.data
        if not (d.street or d.postcode or n in points):
            continue
        x, y, lon, lat = points.get(n, (None, None)) + locations.lonlat(item, n, points)
        place = item.placement
        location_rows.append(
            {
                "street": d.street,
                "postcode": d.postcode,
                "city": d.city,
                "x": x,
                "y": y,
                "lon": lon,
                "lat": lat,
                "plz_area": placed[n][1] if n in placed else None,
                "precision": (place.precision if place else "staff" if actor.is_staff else "exact")
                if n in points
                else None,
                "placed_by": place.placed_by
                if place
                else (locations.placed_by(actor) if n in points else None),
            }
        )
        with_location.append(n)
    location_ids = _insert_returning(session, Location, location_rows)
    location_of = dict(zip(with_location, location_ids, strict=True))

    offer_rows = []
    for n, item in enumerate(items):
        d, src = item.data, item.source
        district = placed[n][0] if n in placed else None
        if district is None and n not in placed:
            district = item.district_hint
        slugs = [d.category, *sorted(set(d.extra_categories) - {d.category})]
        hsds_service_id, hsds_sal_id = derived_ids(src.source, src.source_id)
        offer_rows.append(
            {
                **{f: getattr(d, f) for f in OFFER_FIELDS},
                "provider_id": providers.get(d.provider_name) if d.provider_name else None,
                "location_id": location_of.get(n),
                "district_slug": district,
                "district_from": (
                    "point" if n in placed and district else "source" if district else None
                ),
                "source": src.source,
                "source_id": src.source_id,
                "source_urls": list(src.source_urls),
                "source_label": src.source_label,
                "source_date": src.source_date,
                "source_changed": src.source_changed,
                "source_hash": src.source_hash,
                "hsds_service_id": hsds_service_id,
                "hsds_sal_id": hsds_sal_id,
                "edited_at": now if actor.is_staff else None,
                "created_at": now,
                "updated_at": now,
                "version": 1,
                "search_text": build_search_text(
                    d.name, d.description, d.target_group, d.provider_name, d.street, slugs
                ),
                "sort_name": sort_key(d.name),
            }
        )
    ids = _insert_returning(session, Offer, offer_rows)
    conn = session.connection()
    conn.execute(
        insert(OfferCategory.__table__),
        [
            {"offer_id": offer_id, "category": slug}
            for offer_id, item in zip(ids, items, strict=True)
            for slug in sorted({item.data.category, *item.data.extra_categories})
        ],
    )
    hour_rows = [
        r
        for offer_id, item in zip(ids, items, strict=True)
        for r in hours.hours_rows(offer_id, item.data)
    ]
    if hour_rows:
        conn.execute(insert(OpeningHours.__table__), hour_rows)
    exception_rows = [
        r
        for offer_id, item in zip(ids, items, strict=True)
        for r in hours.exception_rows(offer_id, item.data)
    ]
    if exception_rows:
        conn.execute(insert(OpeningException.__table__), exception_rows)
    conn.execute(
        insert(OfferChange.__table__),
        [
            {
                "offer_id": offer_id,
                "version": 1,
                "changed_at": now,
                "actor": actor.name,
                "channel": actor.channel,
                "action": "create",
                "before": {},
                "after": snapshot_of_input(item.data),
            }
            for offer_id, item in zip(ids, items, strict=True)
        ],
    )
    state.bump(session, state.OFFERS)
    session.flush()
    return ids


def create_offer(
    session: Session,
    data: OfferCreate,
    actor: Actor,
    *,
    source: SourceInfo | None = None,
    placement: Placement | None = None,
    district_hint: str | None = None,
) -> Offer:
    """Insert one offer (see ``create_offers``) and return it."""
    source = source or SourceInfo(source="redaktion", source_id="")
    ids = create_offers(session, [NewOffer(data, source, placement, district_hint)], actor)
    offer = session.get(Offer, ids[0])
    assert offer is not None
    if not source.source_id:  # staff entries: the id is their own key
        offer.source_id = f"r{offer.id}"
        session.flush()
    return offer


def _insert_returning(session: Session, model: type, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert without ORM objects; the new ids in the order of ``rows``."""
    if not rows:
        return []
    conn = session.connection()
    return get_backend(conn).insert_many(conn, model.__table__, rows)


# --- update, archive, restore, verify ---------------------------------------------------


def update_offer(
    session: Session,
    offer: Offer,
    changes: OfferUpdate | Mapping[str, Any],
    actor: Actor,
    *,
    based_on: int | None = None,
    source: SourceInfo | None = None,
    placement: Placement | None = None,
    district_hint: str | None = None,
) -> Offer:
    """Apply ``changes`` (only the fields set) to ``offer``.

    The merged offer is validated by the same rules as a new one (``OfferCreate``);
    a change based on an older version raises ``VersionConflict``. A changed point is
    placed again. Nothing changes, and no version is spent, when the values are equal.
    """
    if isinstance(changes, OfferUpdate):
        if based_on is None:
            based_on = changes.version
        wanted = changes.model_dump(exclude_unset=True, exclude={"version"})
    else:
        wanted = dict(changes)
    if based_on is not None and based_on != offer.version:
        raise VersionConflict(offer, based_on)
    before = snapshot(offer)
    merged = {**before, **wanted}
    if placement is not None:
        merged["lon"], merged["lat"] = locations.lonlat_of(placement)
    data = OfferCreate.model_validate(merged)  # raises ValidationError naming the field
    after = snapshot_of_model(data)
    diff = changed_fields(before, after)
    source_changed = source is not None and _source_differs(offer, source)
    if placement is not None and not locations.placement_differs(offer.location, placement):
        placement = None
    if not diff and not source_changed and placement is None:
        return offer

    for name in OFFER_FIELDS:
        setattr(offer, name, getattr(data, name))
    if "extra_categories" in diff or "category" in diff:
        set_categories(offer, data.extra_categories)
    if "provider_name" in diff:
        offer.provider = get_or_create_provider(session, data.provider_name)
    hours.set_hours(offer, data, diff)
    locations.apply_location(session, offer, data, diff, actor, placement, district_hint)
    if source is not None:
        for name in ("source_urls", "source_label", "source_date", "source_changed", "source_hash"):
            setattr(offer, name, getattr(source, name))
    _finish(
        session,
        offer,
        actor,
        "update",
        {k: before.get(k) for k in diff},
        {k: after.get(k) for k in diff},
    )
    return offer


def archive_offer(
    session: Session,
    offer: Offer,
    actor: Actor,
    *,
    based_on: int | None = None,
    merged_into: int | None = None,
) -> Offer:
    """Take an offer out of every public list; it stays, with its history.
    ``merged_into``: the offer that replaces this duplicate (kept in the change log)."""
    return _set_archived(session, offer, actor, utcnow(), based_on, merged_into)


def restore_offer(
    session: Session, offer: Offer, actor: Actor, *, based_on: int | None = None
) -> Offer:
    return _set_archived(session, offer, actor, None, based_on)


def verify_offer(
    session: Session,
    offer: Offer,
    actor: Actor,
    *,
    based_on: int | None = None,
    on: date | None = None,
) -> Offer:
    """A person checked the entry and found it unchanged ("geprüft, unverändert")."""
    if based_on is not None and based_on != offer.version:
        raise VersionConflict(offer, based_on)
    day = on or utcnow().date()
    before = offer.last_verified.isoformat() if offer.last_verified else None
    offer.last_verified = day
    offer.verified_by = "provider" if actor.is_provider else "staff"
    _finish(
        session,
        offer,
        actor,
        "verify",
        {"last_verified": before},
        {"last_verified": day.isoformat()},
    )
    return offer


def _set_archived(
    session: Session,
    offer: Offer,
    actor: Actor,
    when: datetime | None,
    based_on: int | None,
    merged_into: int | None = None,
) -> Offer:
    if based_on is not None and based_on != offer.version:
        raise VersionConflict(offer, based_on)
    if (offer.archived_at is None) == (when is None):
        return offer
    before = {"archived": offer.archived_at is not None}
    after: dict[str, Any] = {"archived": when is not None}
    if merged_into is not None:
        after["merged_into"] = merged_into
    offer.archived_at = when
    _finish(session, offer, actor, "archive" if when else "restore", before, after)
    return offer


def _finish(
    session: Session,
    offer: Offer,
    actor: Actor,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    claim_version(session, offer)  # raises VersionConflict when another write won
    offer.updated_at = utcnow()
    if actor.is_staff:
        offer.edited_at = offer.updated_at
    if actor.is_provider and action == "update":
        offer.provider_edited_at = offer.updated_at
    refresh_search_text(offer)
    session.add(offer)
    session.flush()
    record_change(session, offer, actor, action, before, after)
    state.bump(session, state.OFFERS)
    session.flush()


def _source_differs(offer: Offer, source: SourceInfo) -> bool:
    """Whether what the public sees of the source changed (the hash alone is internal
    and is stored without a new version)."""
    offer.source_hash = source.source_hash
    return any(
        getattr(offer, n) != getattr(source, n)
        for n in ("source_urls", "source_label", "source_date", "source_changed")
    )


def set_categories(offer: Offer, slugs: Sequence[str]) -> None:
    wanted = {offer.category, *slugs}
    current = {c.category for c in offer.categories}
    offer.categories = [c for c in offer.categories if c.category in wanted]
    for slug in sorted(wanted - current):
        offer.categories.append(OfferCategory(category=slug))


def validation_errors(exc: ValidationError) -> dict[str, str]:
    """A pydantic error as {field: message} (the first message per field)."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else "offer"
        errors.setdefault(name, str(err["msg"]).removeprefix("Value error, "))
    return errors

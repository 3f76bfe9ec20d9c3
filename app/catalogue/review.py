"""What staff review: entries not checked for a year (or never), likely duplicates
(offers of the same kind at the same address), and merging or keeping them apart."""

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from sqlmodel import Session

from app.catalogue.audit import snapshot
from app.catalogue.read import district_names
from app.catalogue.write import archive_offer, update_offer
from app.catalogue.writers import Actor, Placement
from app.i18n import gettext as _
from app.models import DistinctPair, Location, Offer, OfferCategory, Provider, utcnow
from app.models.categories import SLUGS
from app.text import address_key, sort_key

CHECK_EVERY = timedelta(days=365)
_LOAD = (selectinload(Offer.location), selectinload(Offer.provider), selectinload(Offer.categories))


@dataclass(frozen=True)
class DueFilter:
    """What the list of entries to check is narrowed to (the page's GET parameters)."""

    kategorie: str = ""  # an offer kind (any of the offer's kinds)
    bezirk: str = ""  # a district slug
    traeger: int | None = None  # a provider id

    def params(self) -> list[tuple[str, str]]:
        """The filter as query parameters (for links that keep it)."""
        pairs = [("kategorie", self.kategorie), ("bezirk", self.bezirk)]
        pairs.append(("traeger", str(self.traeger) if self.traeger else ""))
        return [(k, v) for k, v in pairs if v]


def parse_due_filter(
    values: Mapping[str, str], districts: Collection[str], providers: Collection[int]
) -> tuple[DueFilter, dict[str, str]]:
    """The filter, and a message per parameter that names nothing known (that part of
    the filter is left out, the rest applies)."""
    errors: dict[str, str] = {}
    kind = (values.get("kategorie") or "").strip()
    if kind and kind not in SLUGS:
        errors["kategorie"] = _("Diese Art von Angebot gibt es nicht.")
        kind = ""
    district = (values.get("bezirk") or "").strip()
    if district and district not in districts:
        errors["bezirk"] = _("Diesen Stadtbezirk gibt es nicht.")
        district = ""
    raw = (values.get("traeger") or "").strip()
    provider = int(raw) if raw.isdigit() and len(raw) < 10 else None
    if raw and provider not in providers:
        errors["traeger"] = _("Diesen Träger gibt es nicht.")
        provider = None
    return DueFilter(kind, district, provider), errors


@dataclass
class DueList:
    total: int  # entries due that match the filter
    never: int  # of them never checked by a person
    offers: list[Offer]  # this page, never checked first, then the oldest check
    # How many due entries each choice of one filter would list, with the other two
    # applied (None: no district / no provider).
    by_kind: dict[str, int]
    by_district: dict[str | None, int]
    by_provider: dict[int | None, int]


def due_for_check(
    session: Session,
    filters: DueFilter = DueFilter(),
    *,
    today: date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> DueList:
    """Active offers never checked by a person, or not for a year: never checked first
    (those whose source is oldest, or undated, first), then the oldest check first."""
    cutoff = (today or utcnow().date()) - CHECK_EVERY
    due = [
        Offer.archived_at.is_(None),
        or_(Offer.last_verified.is_(None), Offer.last_verified < cutoff),
    ]
    kind = (
        Offer.id.in_(
            select(OfferCategory.offer_id).where(OfferCategory.category == filters.kategorie)
        )
        if filters.kategorie
        else None
    )
    district = Offer.district_slug == filters.bezirk if filters.bezirk else None
    provider = Offer.provider_id == filters.traeger if filters.traeger else None
    where = [*due, *(c for c in (kind, district, provider) if c is not None)]

    def counts(column: Any, *others: Any, join_kinds: bool = False) -> dict[Any, int]:
        query = select(column, func.count(func.distinct(Offer.id))).select_from(Offer)
        if join_kinds:
            query = query.join(OfferCategory, OfferCategory.offer_id == Offer.id)
        conditions = [*due, *(c for c in others if c is not None)]
        return dict(session.execute(query.where(*conditions).group_by(column)).all())

    total, never = session.execute(
        select(func.count(), func.count().filter(Offer.last_verified.is_(None)))
        .select_from(Offer)
        .where(*where)
    ).one()
    offers = (
        session.execute(
            select(Offer)
            .where(*where)
            .options(*_LOAD)
            .order_by(
                Offer.last_verified.is_not(None),
                Offer.last_verified,
                Offer.source_changed.is_not(None),
                Offer.source_changed,
                Offer.sort_name,
                Offer.id,
            )
            .offset(offset)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    return DueList(
        total,
        never,
        list(offers),
        by_kind=counts(OfferCategory.category, district, provider, join_kinds=True),
        by_district=counts(Offer.district_slug, kind, provider),
        by_provider=counts(Offer.provider_id, kind, district),
    )


@dataclass
class DuePage:
    """What /verwaltung/pruefen shows: the filter as understood, what was wrong with
    it, the list, and the choices of each filter with their counts."""

    filters: DueFilter
    errors: dict[str, str]
    due: DueList
    districts: dict[str, str]  # slug -> name
    providers: list[tuple[int, str]]  # those with entries due (and the one chosen)


def due_page(
    session: Session, values: Mapping[str, str], *, offset: int = 0, limit: int = 50
) -> DuePage:
    districts = district_names(session)
    names = dict(session.execute(select(Provider.id, Provider.name)).all())
    filters, errors = parse_due_filter(values, districts, names)
    due = due_for_check(session, filters, offset=offset, limit=limit)
    shown = {i for i in due.by_provider if i is not None} | {filters.traeger} - {None}
    providers = sorted(((i, names[i]) for i in shown), key=lambda p: sort_key(p[1]))
    return DuePage(filters, errors, due, districts, providers)


@dataclass
class DuplicateGroup:
    address: str  # as the first offer writes it
    postcode: str | None
    category: str
    offers: list[Offer]

    @property
    def ids(self) -> list[int]:
        return [o.id for o in self.offers if o.id is not None]


def _distinct_pairs(session: Session) -> set[tuple[int, int]]:
    return {(a, b) for a, b in session.execute(select(DistinctPair.offer_a, DistinctPair.offer_b))}


def likely_duplicates(session: Session) -> list[DuplicateGroup]:
    """Active offers that share a kind and a street address with house number, unless
    staff marked every pair of them as distinct."""
    rows = session.execute(
        select(Offer.id, OfferCategory.category, Location.street, Location.postcode)
        .join(OfferCategory, OfferCategory.offer_id == Offer.id)
        .join(Location, Location.id == Offer.location_id)
        .where(Offer.archived_at.is_(None), Location.street.is_not(None))
    ).all()
    groups: dict[tuple[str, str | None, str], list[int]] = defaultdict(list)
    streets: dict[tuple[str, str | None, str], str] = {}
    for offer_id, category, street, postcode in rows:
        key = address_key(street)
        if key is None:
            continue
        group = (key, postcode, category)
        groups[group].append(offer_id)
        streets.setdefault(group, street)
    distinct = _distinct_pairs(session)
    wanted = {}
    for group, ids in groups.items():
        ids = sorted(set(ids))
        if len(ids) > 1 and any(pair not in distinct for pair in combinations(ids, 2)):
            wanted[group] = ids
    # An offer with two kinds at the same address appears once, under its main kind.
    by_ids: dict[tuple[int, ...], tuple[str, str | None, str]] = {}
    for group, ids in sorted(wanted.items()):
        by_ids.setdefault(tuple(ids), group)
    all_ids = sorted({i for ids in by_ids for i in ids})
    offers = (
        {
            o.id: o
            for o in session.execute(
                select(Offer).where(Offer.id.in_(all_ids)).options(*_LOAD)
            ).scalars()
        }
        if all_ids
        else {}
    )
    found = [
        DuplicateGroup(streets[g], g[1], g[2], [offers[i] for i in ids])
        for ids, g in by_ids.items()
    ]
    return sorted(found, key=lambda g: (g.address.casefold(), g.category))


def mark_distinct(session: Session, ids: list[int], actor: Actor) -> None:
    """Staff checked these offers: they are different places or services."""
    known = _distinct_pairs(session)
    for a, b in combinations(sorted(set(ids)), 2):
        if (a, b) not in known:
            session.add(DistinctPair(offer_a=a, offer_b=b, marked_by=actor.name))
    session.flush()


def merge_duplicate(session: Session, keep: Offer, other: Offer, actor: Actor) -> Offer:
    """Keep ``keep``; fill its gaps from ``other`` (fields it has no value for, and the
    other's kinds and languages added), then archive ``other`` as merged into it. Both
    steps are logged; nothing is deleted."""
    mine, theirs = snapshot(keep), snapshot(other)
    changes: dict[str, Any] = {}
    for name, value in theirs.items():
        if name in ("extra_categories", "languages", "category"):
            continue
        if mine.get(name) in (None, "", []) and value not in (None, "", []):
            changes[name] = value
    # The other's point comes with how exact it is, not as a point staff set.
    changes.pop("lat", None)
    changes.pop("lon", None)
    placement = None
    loc = other.location
    if mine.get("lat") is None and loc is not None and loc.x is not None and loc.y is not None:
        placement = Placement(loc.x, loc.y, loc.precision or "exact", loc.placed_by)
    extra = sorted(
        {*mine["extra_categories"], other.category, *theirs["extra_categories"]} - {keep.category}
    )
    if extra != sorted(mine["extra_categories"]):
        changes["extra_categories"] = extra
    languages = list(dict.fromkeys([*mine["languages"], *theirs["languages"]]))
    if languages != mine["languages"]:
        changes["languages"] = languages
    if changes or placement is not None:
        update_offer(session, keep, changes, actor, placement=placement)
    archive_offer(session, other, actor, merged_into=keep.id)
    return keep

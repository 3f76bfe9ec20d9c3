"""The offer search: one query function behind every format.

``search_offers`` turns ``Filters`` into SQL (full text and spatial parts through the
database backend) and returns one page, or every match as ranked ids for the exports.
"""

import math
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, exists, func, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from app.db.backend import get_backend
from app.geo.places import Place
from app.models import District, Location, Offer, OfferCategory
from app.search.filters import Filters


@dataclass
class Hit:
    offer: Offer
    distance_m: float | None = None


@dataclass
class SearchResult:
    filters: Filters
    total: int
    hits: list[Hit]
    page: int
    page_size: int | None
    origin: tuple[float, float] | None = None  # (x, y) in EPSG:25832 when near-me
    place: Place | None = None  # the resolved place of a near-me search
    radius_m: int | None = None  # the radius applied; None when an area was kept instead
    # Every id of this page (or of all matches) in result order, with its distance.
    ranked: list[tuple[int, float | None]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        if not self.page_size:
            return 1
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def ids(self) -> list[int]:
        return [h.offer.id for h in self.hits if h.offer.id is not None]

    def near_json(self) -> dict[str, object] | None:
        """The place and radius of a near-me search, for the JSON twin."""
        if self.place is None:
            return None
        return {**self.place.public(), "radius_m": self.radius_m}


def _conditions(session: Session, filters: Filters, archived: bool = False
                ) -> list[ColumnElement[bool]]:
    backend = get_backend(session.get_bind())
    conds: list[ColumnElement[bool]] = [
        Offer.archived_at.is_not(None) if archived else Offer.archived_at.is_(None)]
    if filters.q:
        text_cond = backend.text_condition(filters.q)
        if text_cond is not None:
            conds.append(text_cond)
    if filters.kategorie:
        conds.append(exists().where(OfferCategory.offer_id == Offer.id,
                                    OfferCategory.category.in_(filters.kategorie)))
    if filters.bezirk:
        conds.append(_district_condition(filters.bezirk))
    if filters.alter is not None:
        a = filters.alter
        conds.append(and_(or_(Offer.age_min.is_(None), Offer.age_min <= a),
                          or_(Offer.age_max.is_(None), Offer.age_max >= a)))
    if filters.barrierefrei:
        conds.append(Offer.barrier_free.is_(True))
    return conds


def _district_condition(slug: str) -> ColumnElement[bool]:
    """Offers of the district ``slug`` or of one of its children."""
    child = select(District.slug).where(District.parent_slug == slug)
    return or_(Offer.district_slug == slug, Offer.district_slug.in_(child))


def search_offers(session: Session, filters: Filters, *, page_size: int | None = 20,
                  origin: tuple[float, float] | None = None,
                  place: Place | None = None, load: bool = True,
                  archived: bool = False) -> SearchResult:
    """Offers matching ``filters``: one page of ``page_size``, or all when None.

    ``load=False`` leaves ``hits`` empty and only ranks the ids (``ranked``): exports of
    every match read their rows with ``app.export_rows`` instead of ORM objects.

    With ``origin`` (x, y in EPSG:25832) or a resolved ``place``, nearest first, each
    with its distance: within ``filters.radius_m`` metres, or, for a postcode or district
    place without a chosen radius, inside that area (a polygon filter, not a radius).

    ``archived=True`` (staff only; never from a public URL) finds the archived offers
    instead of the active ones.
    """
    backend = get_backend(session.get_bind())
    conds = _conditions(session, filters, archived)
    distance = None
    radius: int | None = None
    base = select(Offer.id)
    if place is not None:
        origin = (place.x, place.y)
    if origin is not None:
        radius = filters.radius_m
        nearby = backend.nearby(origin[0], origin[1], radius)
        if place is not None and place.is_area and filters.umkreis is None:
            radius = None
            conds.append(Location.plz_area == place.plz if place.plz
                         else _district_condition(str(place.district)))
        else:
            conds.append(nearby.condition)
        base = base.outerjoin(Location, Location.id == Offer.location_id)
        distance = nearby.distance
    base = base.where(*conds)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()

    by_name = backend.sortable(Offer.sort_name)
    cols = [Offer.id] if distance is None else [Offer.id, distance.label("distance_m")]
    stmt = select(*cols).where(*conds)
    if distance is not None:
        # Offers of a district without a known point come last, without a distance.
        stmt = stmt.outerjoin(Location, Location.id == Offer.location_id).order_by(
            Location.x.is_(None), distance, by_name, Offer.id)
    else:
        stmt = stmt.order_by(by_name, Offer.id)
    if page_size:
        stmt = stmt.offset((filters.seite - 1) * page_size).limit(page_size)
    rows = session.exec(stmt).all()
    ids = [r[0] for r in rows] if distance is not None else list(rows)
    dist_by_id = ({r[0]: float(r[1]) for r in rows if r[1] is not None}
                  if distance is not None else {})

    ranked = [(i, dist_by_id.get(i)) for i in ids]
    offers = session.exec(
        select(Offer).where(Offer.id.in_(ids)).options(
            selectinload(Offer.location), selectinload(Offer.provider),
            selectinload(Offer.categories))
    ).all() if ids and load else []
    by_id = {o.id: o for o in offers}
    hits = [Hit(by_id[i], dist_by_id.get(i)) for i in ids if i in by_id]
    return SearchResult(filters=filters, total=total, hits=hits, ranked=ranked,
                        page=filters.seite,
                        page_size=page_size, origin=origin, place=place, radius_m=radius)


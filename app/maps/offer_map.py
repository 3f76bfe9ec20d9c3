"""The maps of one offer: the public offer page's (its district, the offer, the same
kind nearby, in words too) and the staff pages' small map around a point."""

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import shapely
from sqlmodel import Session, select

from app.db.backend import get_backend
from app.db.state import OFFERS, cached
from app.maps.markers import (
    MapPoint,
    Marker,
    legend,
)
from app.maps.svg import SvgMap, build_map, district_shapes, envelope
from app.models import Location, Offer, OfferCategory, PlaceName
from app.search.kinds import RARE_KIND_MAX, rare_kinds
from app.search.result import Hit

OFFER_MAP_HALF_WIDTH_M = 1500


NEARBY_M = 1500  # same-kind offers this close are drawn (and listed) on the offer map


NEARBY_MAX = 12


NEARBY_RINGS_M = (200, 400, 800)  # circles tried before NEARBY_M


@dataclass(frozen=True)
class Nearby:
    offer_id: int
    name: str
    distance_m: float


@dataclass(frozen=True)
class OfferMap:
    """The offer page's map without tiles: the whole district's outline, the offer as
    the large point, the nearby offers of the same kind as small linked points, and
    the words that say the same (district, nearest Stadtteil centre, the nearby list)."""

    svg: SvgMap
    self_marker: Marker
    district: str | None  # the district's name
    nearby: tuple[Nearby, ...]
    nearest_place: str | None = None  # the nearest published Stadtteil centre point
    place_distance_m: float | None = None


def nearby_same_kind(session: Session, offer: Offer, radius_m: float = NEARBY_M) -> list[MapPoint]:
    """Offers of the same kind within ``radius_m`` of ``offer``'s point, nearest first
    (ties by id).

    The spatial index (R*Tree, GiST) knows no kinds. For a common kind it picks them in
    growing circles: when a small circle already holds ``NEARBY_MAX`` of them, they are
    the nearest (everything outside is farther), so a dense city reads a hundred points
    instead of thousands. A rare kind (``rare_kinds``) is found among its own points,
    kept per catalogue version (``rare_kind_points``; every offer's own kind is among
    its categories): around a playground among 100,000 Kitas the circles held thousands
    of Kitas to drop (30-50 ms for one page)."""
    loc = offer.location
    columns = (Offer.id, Offer.name, Offer.category, Location.x, Location.y, Location.precision)
    same_kind = (
        select(*columns)
        .join(Location, Location.id == Offer.location_id)
        .where(Offer.category == offer.category, Offer.archived_at.is_(None), Offer.id != offer.id)
    )
    points = rare_kind_points(session).get(offer.category)
    if points is not None:
        ids, xs, ys = points
        dx, dy = xs - loc.x, ys - loc.y
        dist2 = dx * dx + dy * dy  # as the database's circle: (x - x0)² + (y - y0)²
        inside = (dist2 <= radius_m * radius_m) & (ids != offer.id)
        order = np.lexsort((ids[inside], dist2[inside]))[:NEARBY_MAX]
        nearest = [int(i) for i in ids[inside][order]]
        found = {r[0]: r for r in session.exec(same_kind.where(Offer.id.in_(nearest))).all()}
        rows = [found[i] for i in nearest if i in found]
    else:
        backend = get_backend(session.get_bind())
        for r in (*(r for r in NEARBY_RINGS_M if r < radius_m), radius_m):
            near = backend.nearby(loc.x, loc.y, r)
            rows = session.exec(
                same_kind.where(near.condition).order_by(near.distance, Offer.id).limit(NEARBY_MAX)
            ).all()
            if len(rows) == NEARBY_MAX:
                break
    return [
        MapPoint(i, name, kind, x, y, precision, round(float(np.hypot(x - loc.x, y - loc.y))))
        for i, name, kind, x, y, precision in rows
    ]


def rare_kind_points(session: Session) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The live offers with a point of each rare kind (``rare_kinds``: at most
    ``RARE_KIND_MAX`` offers): (ids, x, y) by kind, kept until the offers change (in
    any worker: the catalogue version lives in the database)."""

    def build() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        rare = sorted(rare_kinds(session))
        rows = (
            session.exec(
                select(Offer.category, Offer.id, Location.x, Location.y)
                .select_from(OfferCategory)
                .join(Offer, Offer.id == OfferCategory.offer_id)
                .join(Location, Location.id == Offer.location_id)
                .where(
                    OfferCategory.category.in_(rare),
                    Offer.category == OfferCategory.category,
                    Offer.archived_at.is_(None),
                    Location.x.is_not(None),
                    Location.y.is_not(None),
                )
            ).all()
            if rare
            else []
        )
        by_kind: dict[str, list[tuple[int, float, float]]] = {kind: [] for kind in rare}
        for kind, i, x, y in rows:
            by_kind[kind].append((i, x, y))
        return {
            kind: (
                np.array([p[0] for p in points], dtype=np.int64),
                np.array([p[1] for p in points], dtype=np.float64),
                np.array([p[2] for p in points], dtype=np.float64),
            )
            for kind, points in by_kind.items()
        }

    return cached(session, OFFERS, f"rare-kind-points-{RARE_KIND_MAX}", build)


def _nearest_place(session: Session, x: float, y: float) -> tuple[str | None, float | None]:
    rows = session.exec(
        select(PlaceName.name, PlaceName.x, PlaceName.y).where(
            PlaceName.kind == "stadtteil", PlaceName.x.is_not(None)
        )
    ).all()
    if not rows:
        return None, None
    name, px, py = min(rows, key=lambda r: (r[1] - x) ** 2 + (r[2] - y) ** 2)
    return name, float(np.hypot(px - x, py - y))


def offer_map(session: Session, offer: Offer) -> SvgMap | None:
    """A small map around one offer's point, with its district; None without a point
    (the staff pages)."""
    loc = offer.location
    if loc is None or loc.x is None or loc.y is None:
        return None
    r = OFFER_MAP_HALF_WIDTH_M
    return build_map(
        district_shapes(session),
        [Hit(offer)],
        bounds=(loc.x - r, loc.y - r, loc.x + r, loc.y + r),
        current=offer.district_slug,
    )


def offer_page_map(session: Session, offer: Offer) -> OfferMap | None:
    """The public offer page's map: its district's whole outline (so a reader sees where in
    the city it is), the offer and the same-kind offers near it; None without a point."""
    loc = offer.location
    if loc is None or loc.x is None or loc.y is None:
        return None
    shapes = district_shapes(session)
    near = nearby_same_kind(session, offer)
    r = OFFER_MAP_HALF_WIDTH_M
    bounds: Sequence[float] = (loc.x - r, loc.y - r, loc.x + r, loc.y + r)
    own = [g for slug, _n, g in shapes if slug == offer.district_slug]
    if own:
        bounds = envelope([own[0], shapely.Point(loc.x, loc.y)])
    svg = build_map(shapes, [], bounds=bounds, current=offer.district_slug, points=(near, 0))
    self_marker = Marker(
        offer.id or 0,
        offer.name,
        offer.category,
        *svg.frame.point(loc.x, loc.y),
        None,
        loc.precision == "approximate",
    )
    place, distance = _nearest_place(session, loc.x, loc.y)
    names = {slug: name for slug, name, _g in shapes}
    return OfferMap(
        svg=replace(svg, legend=legend([offer.category])),
        self_marker=self_marker,
        district=names.get(offer.district_slug or ""),
        nearby=tuple(Nearby(p.offer_id, p.name, p.distance_m or 0.0) for p in near),
        nearest_place=place,
        place_distance_m=distance,
    )


def point_map(session: Session, x: float, y: float, offer: Offer) -> SvgMap:
    """A small map around a point not yet stored (staff check it before saving)."""
    r = OFFER_MAP_HALF_WIDTH_M
    svg = build_map(district_shapes(session), [], bounds=(x - r, y - r, x + r, y + r))
    marker = Marker(
        offer.id or 0, offer.name, offer.category, *svg.frame.point(x, y), None, approximate=False
    )
    return replace(svg, markers=(marker,))

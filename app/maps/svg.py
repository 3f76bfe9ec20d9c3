"""The map as server-rendered SVG: district boundaries, and offers as marker links.

It works without JavaScript, without tiles and in tests. The boundaries come from the
District rows (GeoJSON, EPSG:4326); they are projected to EPSG:25832 and simplified
there as one coverage (about 10 m, so neighbouring districts keep a shared border),
then scaled into the SVG viewBox with north up. Markers (kinds by shape and colour,
approximate points hollow) or, for many offers, counts per grid cell come from
``app.maps.markers``. The markup lives in ``components/map.html``; this module only
computes coordinates and paths.
"""

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlmodel import Session, select

from app.db import state
from app.geo.crs import to_metric, utm_to_wgs
from app.geo.gazetteer import postcode_area, static_gazetteer
from app.geo.places import Place
from app.maps.markers import (
    HIT_R,
    MAX_MARKERS,
    Cell,
    LegendEntry,
    MapPoint,
    Marker,
    cell_size,
    cells_of,
    grid_cells,
    legend,
)
from app.models import District, Location, Offer
from app.search.query import cell_counts
from app.search.result import Hit, SearchResult

SVG_WIDTH = 1000
SIMPLIFY_M = 10
PADDING_M = 400


@dataclass(frozen=True)
class Frame:
    """Scales EPSG:25832 metres into SVG units (y grows downwards)."""

    minx: float
    maxy: float
    scale: float
    width: float
    height: float

    @classmethod
    def around(
        cls, bounds: Sequence[float], width: float = SVG_WIDTH, padding_m: float = PADDING_M
    ) -> "Frame":
        minx, miny, maxx, maxy = bounds
        minx, miny, maxx, maxy = (
            minx - padding_m,
            miny - padding_m,
            maxx + padding_m,
            maxy + padding_m,
        )
        scale = width / max(maxx - minx, 1.0)
        return cls(minx, maxy, scale, width, round((maxy - miny) * scale, 1))

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"

    def point(self, x: float, y: float) -> tuple[float, float]:
        return round((x - self.minx) * self.scale, 1), round((self.maxy - y) * self.scale, 1)

    def metres(self, u: float, v: float) -> tuple[float, float]:
        """The EPSG:25832 point at SVG units (``u``, ``v``): the inverse of ``point``."""
        return self.minx + u / self.scale, self.maxy - v / self.scale

    def path(self, geometry: BaseGeometry) -> str:
        """An SVG path ``d`` for a (multi)polygon: one subpath per ring.

        The same text as ``point`` for each vertex (the arithmetic is the same float64
        operations, done for a ring at once): a map around a new position draws every
        district outline anew, thousands of vertices."""
        parts = []
        for polygon in getattr(geometry, "geoms", [geometry]):
            for ring in (polygon.exterior, *polygon.interiors):
                xy = shapely.get_coordinates(ring)[:-1]
                us = ((xy[:, 0] - self.minx) * self.scale).tolist()
                vs = ((self.maxy - xy[:, 1]) * self.scale).tolist()
                points: list[str] = []
                last = None
                for u, v in zip(us, vs, strict=True):
                    p = f"{round(u, 1):g},{round(v, 1):g}"
                    if p != last:
                        points.append(p)
                        last = p
                parts.append("M" + " ".join(points) + "Z")
        return "".join(parts)


@dataclass(frozen=True)
class DistrictShape:
    slug: str
    name: str
    d: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class SvgMap:
    frame: Frame
    districts: tuple[DistrictShape, ...]
    markers: tuple[Marker, ...]
    not_on_map: int  # offers of the list without a known point
    current: str | None = None  # highlighted district slug
    area_d: str | None = None  # highlighted postcode area
    origin: tuple[float, float] | None = None
    radius: float | None = None  # SVG units
    cells: tuple[Cell, ...] = ()  # counts per grid cell instead of markers
    legend: tuple[LegendEntry, ...] = ()
    approximate: int = 0  # markers at an approximate point
    origin_is_centre: bool = False  # the origin is a Stadtteil's published centre point
    hit_r: float = HIT_R

    @property
    def counted(self) -> int:
        return sum(c.count for c in self.cells)

    @property
    def viewbox(self) -> str:
        return self.frame.viewbox

    @property
    def width(self) -> float:
        return self.frame.width

    @property
    def height(self) -> float:
        return self.frame.height


BoundaryRows = tuple[tuple[str, str, str], ...]  # (slug, name, GeoJSON in EPSG:4326)


Shapes = tuple[tuple[str, str, BaseGeometry], ...]  # (slug, name, EPSG:25832 geometry)


@lru_cache(maxsize=8)
def simplified(rows: BoundaryRows) -> Shapes:
    """Areas in EPSG:25832, simplified as one coverage (neighbours keep a shared border)."""
    geometries = np.array([to_metric(shapely.from_geojson(r[2])) for r in rows], dtype=object)
    shapes = shapely.coverage_simplify(geometries, SIMPLIFY_M)
    return tuple((r[0], r[1], g) for r, g in zip(rows, shapes, strict=True))


def district_shapes(session: Session) -> Shapes:
    """The Stadtbezirke that have a boundary, in their official order, simplified; kept
    per areas version (finer levels loaded for the planning view are not drawn on the
    public maps)."""

    def build() -> Shapes:
        rows = session.exec(
            select(District.slug, District.name, District.geometry)
            .where(District.geometry.is_not(None), District.parent_slug.is_(None))
            .order_by(District.number, District.name)
        ).all()
        return simplified(tuple(tuple(r) for r in rows)) if rows else ()

    return state.cached(session, state.AREAS, "svg-districts", build)


def points_of_hits(hits: Sequence[Hit]) -> tuple[list[MapPoint], int]:
    """The map points of loaded hits, and how many hits have no point."""
    points = []
    for hit in hits:
        loc = hit.offer.location
        if loc is None or loc.x is None or loc.y is None or hit.offer.id is None:
            continue
        points.append(
            MapPoint(
                hit.offer.id,
                hit.offer.name,
                hit.offer.category,
                loc.x,
                loc.y,
                loc.precision,
                hit.distance_m,
            )
        )
    return points, len(hits) - len(points)


def points_of_ranked(
    session: Session, ranked: Sequence[tuple[int, float | None]]
) -> tuple[list[MapPoint], int]:
    """The map points of every ranked offer id, read in chunks without ORM objects."""
    distance = dict(ranked)
    found: dict[int, MapPoint] = {}
    ids = list(distance)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for offer_id, name, category, x, y, precision in session.exec(
            select(Offer.id, Offer.name, Offer.category, Location.x, Location.y, Location.precision)
            .join(Location, Location.id == Offer.location_id)
            .where(Offer.id.in_(chunk), Location.x.is_not(None))
        ):
            found[offer_id] = MapPoint(
                offer_id, name, category, x, y, precision, distance[offer_id]
            )
    points = [found[i] for i in ids if i in found]
    return points, len(ids) - len(points)


def envelope(geometries: Sequence[BaseGeometry]) -> tuple[float, float, float, float]:
    """The bounds of the geometries together: what ``union_all(...).bounds`` gives (an
    overlay keeps every outermost vertex), without the overlay (2.6 ms for the six
    districts on every city map)."""
    minx, miny, maxx, maxy = shapely.total_bounds(list(geometries))
    return float(minx), float(miny), float(maxx), float(maxy)


@lru_cache(maxsize=64)
def _label_point(geometry: BaseGeometry) -> tuple[float, float]:
    """Where a district's name goes (EPSG:25832): the same for every frame."""
    return geometry.point_on_surface().coords[0]


def _in_view(geometry: BaseGeometry, frame: Frame) -> BaseGeometry:
    """The part of an outline a frame shows, with a margin of a tenth of the frame on
    each side: the borders in view keep every vertex (cutting adds vertices only on the
    margin, outside the picture), and a map around a phone's position draws a few
    hundred vertices instead of the whole city's."""
    width, height = frame.width / frame.scale, frame.height / frame.scale
    margin = max(width, height) / 10
    minx, maxy = frame.minx - margin, frame.maxy + margin
    maxx, miny = frame.minx + width + margin, frame.maxy - height - margin
    gx0, gy0, gx1, gy1 = geometry.bounds
    if gx0 >= minx and gy0 >= miny and gx1 <= maxx and gy1 <= maxy:
        return geometry  # all in view (the city's own map)
    cut = shapely.clip_by_rect(geometry, minx, miny, maxx, maxy)
    polygons = [g for g in shapely.get_parts(cut) if g.geom_type == "Polygon" and not g.is_empty]
    return shapely.MultiPolygon(polygons) if polygons else shapely.MultiPolygon()


_OUTLINES: "OrderedDict[tuple[int, Frame], tuple[Shapes, list[DistrictShape]]]" = OrderedDict()


def _outlines(shapes: Shapes, frame: Frame) -> list[DistrictShape]:
    """The districts' SVG paths in this frame, drawn once per frame and set of shapes
    (the set is kept per areas version): every search of the city has the same frame."""
    key = (id(shapes), frame)
    hit = _OUTLINES.get(key)
    if hit is not None and hit[0] is shapes:
        return hit[1]
    drawn = []
    for slug, name, geometry in shapes:
        label = frame.point(*_label_point(geometry))
        drawn.append(DistrictShape(slug, name, frame.path(_in_view(geometry, frame)), *label))
    _OUTLINES[key] = (shapes, drawn)
    while len(_OUTLINES) > 256:
        _OUTLINES.popitem(last=False)
    return drawn  # shared: callers make a tuple of it


def build_map(
    shapes: Shapes,
    hits: Sequence[Hit],
    *,
    bounds: Sequence[float] | None = None,
    current: str | None = None,
    place: Place | None = None,
    radius_m: float | None = None,
    area: BaseGeometry | None = None,
    zoom_to_current: bool = False,
    points: tuple[list[MapPoint], int] | None = None,
    counted: Callable[[int], list[tuple[int, int, int, float, float]]] | None = None,
    total: int = 0,
) -> SvgMap:
    """Everything the SVG template needs, in SVG units: one marker per point, or
    counts per grid cell when there are more than ``MAX_MARKERS`` points
    (``counted(size)`` gives them per cell from the database; ``total`` is then the
    number of matches, for those without a point)."""
    if zoom_to_current and current:
        chosen = [g for slug, _n, g in shapes if slug == current]
        if chosen:
            bounds = chosen[0].bounds
    if bounds is None and shapes:
        bounds = envelope([g for _s, _n, g in shapes])
    found, without_point = (
        ([], 0) if counted is not None else points if points is not None else points_of_hits(hits)
    )
    if bounds is None and found:
        bounds = shapely.MultiPoint([(p.x, p.y) for p in found]).bounds
    frame = Frame.around(bounds or (0.0, 0.0, 1.0, 1.0))

    district_shapes = _outlines(shapes, frame)

    markers: list[Marker] = []
    cells: tuple[Cell, ...] = ()
    if counted is not None:
        size = cell_size(frame.width / frame.scale)
        groups = counted(size)
        cells = cells_of(groups, size, frame.point, utm_to_wgs)
        without_point = total - sum(n for _i, _j, n, _x, _y in groups)
    elif len(found) > MAX_MARKERS:
        cells = grid_cells(found, frame.width / frame.scale, frame.point, utm_to_wgs)
    else:
        # approximate points underneath, so an exact one is never hidden by one
        for p in sorted(found, key=lambda p: p.precision != "approximate"):
            markers.append(
                Marker(
                    p.offer_id,
                    p.name,
                    p.category,
                    *frame.point(p.x, p.y),
                    p.distance_m,
                    p.precision == "approximate",
                )
            )
    return SvgMap(
        frame=frame,
        districts=tuple(district_shapes),
        markers=tuple(markers),
        not_on_map=without_point,
        current=current,
        area_d=frame.path(area) if area is not None else None,
        origin=frame.point(place.x, place.y) if place is not None and not place.is_city else None,
        radius=round(radius_m * frame.scale, 1) if radius_m else None,
        cells=cells,
        legend=legend([m.category for m in markers]),
        approximate=sum(m.approximate for m in markers),
        origin_is_centre=place is not None and place.kind == "stadtteil",
    )


def search_map(
    session: Session, result: SearchResult, *, current: str | None = None, every_match: bool = False
) -> SvgMap:
    """The map of a search result: its offers on the district boundaries.

    The map shows what was searched: the circle of a radius search, a postcode area
    (drawn as its polygon), the chosen district (highlighted), else the whole city.
    """
    place = result.place
    if current is None:
        current = result.filters.bezirk or (place.district if place else None) or None
    area = None
    bounds: Sequence[float] | None = None
    if place is not None and result.radius_m:
        r = result.radius_m
        bounds = (place.x - r, place.y - r, place.x + r, place.y + r)
    elif place is not None and place.plz:
        area = postcode_area(session, place.plz)
        bounds = area.bounds if area is not None else None
    districts = district_shapes(session)
    if bounds is None and not districts:
        bounds = static_gazetteer(session).city.bounds
    # A map of every match: their points when the map page ranked them all, else (many
    # matches) their counts per cell, from the database.
    points = (
        points_of_ranked(session, result.ranked) if len(result.ranked) > len(result.hits) else None
    )
    counted = None
    if (
        every_match
        and points is None
        and result.total > max(len(result.hits), MAX_MARKERS)
        and result.matches is not None
    ):
        matches = result.matches

        def counted(size: int) -> list[tuple[int, int, int, float, float]]:
            return cell_counts(session, matches, size, result.ranking)

    return build_map(
        districts,
        result.hits,
        bounds=bounds,
        current=current,
        place=place,
        radius_m=result.radius_m,
        area=area,
        points=points,
        counted=counted,
        total=result.total,
        zoom_to_current=bounds is None and current is not None,
    )


def districts_map(session: Session) -> SvgMap:
    """The district boundaries alone (e.g. while the search parameters need fixing)."""
    districts = district_shapes(session)
    bounds = None if districts else static_gazetteer(session).city.bounds
    return build_map(districts, [], bounds=bounds)

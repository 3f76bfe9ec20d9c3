"""Everything the coverage computation reads, in one pass over the database: the
districts of a level and the Stadtbezirke (EPSG:25832), the offers of each planning
kind with their points and places, the residents, the loaded grid, the schools and
the published figures. The computation itself (``app.planning.coverage``) then needs
no session."""

import json
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlmodel import Session

from app.geo.crs import to_metric
from app.models import District, Location, Offer, OfferCategory
from app.planning import grid as gridmod
from app.planning.indicators import Published, published
from app.planning.kinds import KINDS
from app.planning.levels import TOP_LEVEL, level_rows, levels
from app.planning.population import PopulationTable
from app.planning.schools import SchoolPoint, primary_schools


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    level: str
    number: int | None
    parent: str | None
    area_km2: float | None
    geojson: str | None  # EPSG:4326, for maps and GeoJSON
    shape: BaseGeometry  # EPSG:25832


@dataclass
class OfferPoints:
    """The offers of one category (not archived): arrays in the same order."""

    ids: np.ndarray
    names: list[str]
    district: list[str | None]  # the Stadtbezirk the catalogue placed it in
    x: np.ndarray  # NaN: no point
    y: np.ndarray
    capacity: np.ndarray  # NaN: not known
    capacity_u3: np.ndarray

    @property
    def has_point(self) -> np.ndarray:
        return ~np.isnan(self.x)


@dataclass
class Snapshot:
    level: str
    levels: list[str]
    top: list[Area]
    areas: list[Area]  # the chosen level
    offers: dict[str, OfferPoints]  # category -> offers
    population: PopulationTable
    grid_cells: list[tuple[float, float, int]] = field(default_factory=list)
    grid_source: str | None = None
    schools: list[SchoolPoint] = field(default_factory=list)
    indicators: list[Published] = field(default_factory=list)


def _areas(rows: list[District]) -> list[Area]:
    return [
        Area(
            d.slug,
            d.name,
            d.level,
            d.number,
            d.parent_slug,
            d.area_km2,
            d.geometry,
            shapely.make_valid(to_metric(shape(json.loads(d.geometry)))),
        )
        for d in rows
        if d.geometry
    ]


def _offers(session: Session) -> dict[str, OfferPoints]:
    categories = sorted({k.category for k in KINDS})
    rows = session.execute(
        select(
            OfferCategory.category,
            Offer.id,
            Offer.name,
            Offer.district_slug,
            Offer.capacity,
            Offer.capacity_u3,
            Location.x,
            Location.y,
        )
        .join(Offer, Offer.id == OfferCategory.offer_id)
        .outerjoin(Location, Location.id == Offer.location_id)
        .where(Offer.archived_at.is_(None), OfferCategory.category.in_(categories))
        .order_by(OfferCategory.category, Offer.id)
    ).all()
    grouped: dict[str, list] = {c: [] for c in categories}
    for row in rows:
        grouped[row[0]].append(row[1:])

    def column(items: list, i: int) -> np.ndarray:
        return np.array([np.nan if r[i] is None else r[i] for r in items], dtype=float)

    return {
        c: OfferPoints(
            np.array([r[0] for r in items], dtype=np.int64),
            [r[1] for r in items],
            [r[2] for r in items],
            column(items, 5),
            column(items, 6),
            column(items, 3),
            column(items, 4),
        )
        for c, items in grouped.items()
    }


def take_snapshot(session: Session, level: str = TOP_LEVEL) -> Snapshot:
    top = _areas(list(level_rows(session, TOP_LEVEL)))
    chosen = top if level == TOP_LEVEL else _areas(list(level_rows(session, level)))
    cells, grid_source = gridmod.loaded_cells(session)
    return Snapshot(
        level=level,
        levels=levels(session),
        top=top,
        areas=chosen,
        offers=_offers(session),
        population=PopulationTable.load(session),
        grid_cells=cells,
        grid_source=grid_source,
        schools=primary_schools(session),
        indicators=published(session),
    )

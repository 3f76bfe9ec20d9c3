"""Everything the coverage computation reads, in one pass over the database: the
districts of a level and the Stadtbezirke (EPSG:25832), the offers of each planning
kind with their points and places, the residents, the loaded grid, the schools and
the published figures. The computation itself (``app.planning.coverage``) then needs
no session."""

import json
from dataclasses import dataclass, field
from datetime import date

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
    # 1: known to take children under 3 (stated ages below 36 months, or U3 places
    # entered); 0: known not to; NaN: not known (typical ages of the kind only)
    takes_u3: np.ndarray = field(default_factory=lambda: np.empty(0))

    @property
    def has_point(self) -> np.ndarray:
        return ~np.isnan(self.x)

    def subset(self, keep: np.ndarray) -> "OfferPoints":
        """The offers where ``keep`` (a boolean array) is true."""
        return OfferPoints(
            self.ids[keep],
            [n for n, k in zip(self.names, keep, strict=True) if k],
            [d for d, k in zip(self.district, keep, strict=True) if k],
            self.x[keep],
            self.y[keep],
            self.capacity[keep],
            self.capacity_u3[keep],
            self.takes_u3[keep] if len(self.takes_u3) else self.takes_u3,
        )


def takes_under_3(
    age_min: int | None,
    age_min_months: int | None,
    typical: bool,
    capacity_u3: int | None,
) -> float:
    """Whether an offer is known to take children under 3 (1.0), known not to (0.0),
    or not known (NaN): from U3 places when entered, else from stated (not typical)
    ages."""
    if capacity_u3 is not None:
        return 1.0 if capacity_u3 > 0 else 0.0
    if typical:
        return np.nan
    if age_min_months is not None:
        return 1.0 if age_min_months < 36 else 0.0
    if age_min is not None:
        return 1.0 if age_min < 3 else 0.0
    return np.nan


@dataclass
class Snapshot:
    level: str
    levels: list[str]
    top: list[Area]
    areas: list[Area]  # the chosen level
    offers: dict[str, OfferPoints]  # category -> offers
    population: PopulationTable
    grid_cells: list[tuple] = field(default_factory=list)  # x, y, residents, <18, 65+
    grid_source: str | None = None
    grid_date: date | None = None
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
            Offer.age_min,
            Offer.age_min_months,
            Offer.age_is_typical,
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
            np.array([takes_under_3(r[7], r[8], bool(r[9]), r[4]) for r in items], dtype=float),
        )
        for c, items in grouped.items()
    }


def take_snapshot(session: Session, level: str = TOP_LEVEL) -> Snapshot:
    top = _areas(list(level_rows(session, TOP_LEVEL)))
    chosen = top if level == TOP_LEVEL else _areas(list(level_rows(session, level)))
    loaded = gridmod.loaded_cells(session)
    return Snapshot(
        level=level,
        levels=levels(session),
        top=top,
        areas=chosen,
        offers=_offers(session),
        population=PopulationTable.load(session),
        grid_cells=loaded.cells,
        grid_source=loaded.source,
        grid_date=loaded.reference_date,
        schools=primary_schools(session),
        indicators=published(session),
    )

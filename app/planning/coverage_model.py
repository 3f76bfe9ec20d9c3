"""The coverage table's figures as data: per district and kind (``KindMeasures``,
``AreaCoverage``), per kind (``KindInfo``, ``KindCells``) and the whole table
(``Coverage``). ``app.planning.coverage`` computes and caches them."""

from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import shapely

from app.planning.indicators import Published
from app.planning.kinds import PlanningKind
from app.planning.population import NO_DATA, Figure
from app.planning.ranking import Gap
from app.planning.schools import Need
from app.planning.snapshot import OfferPoints

MEASURES = ("angebote", "je_1000", "plaetze_je_100", "erreichbar_500", "erreichbar_1000", "zugang")
GAP_MEASURES = MEASURES[1:]
REACH_LIMITS = (500, 1000)


@dataclass
class KindMeasures:
    offers: int = 0
    placed: int = 0  # with a point: these count for reach and the index
    population: Figure = NO_DATA
    places: int = 0
    places_known: int = 0
    per_1000: float | None = None
    places_per_100: float | None = None
    reach_500: float | None = None
    reach_1000: float | None = None
    access: float | None = None  # 2SFCA, per 1,000 of the target group
    gap: Gap = field(default_factory=lambda: Gap(None, None, None))
    # Kinds counted only where known (U3): offers of the category whose status is
    # known, and all offers of the category; ``unknown``: none is known, so no figure.
    status_known: int | None = None
    candidates: int = 0
    unknown: bool = False

    def value(self, measure: str) -> float | None:
        if self.unknown:
            return None
        return {
            "angebote": float(self.offers),
            "je_1000": self.per_1000,
            "plaetze_je_100": self.places_per_100,
            "erreichbar_500": self.reach_500,
            "erreichbar_1000": self.reach_1000,
            "zugang": self.access,
        }[measure]


@dataclass
class AreaCoverage:
    slug: str
    name: str
    level: str
    number: int | None
    parent: str | None
    area_km2: float | None
    geojson: str | None
    residents: Figure
    kinds: dict[str, KindMeasures]
    need: Need
    cells: int = 0


@dataclass(frozen=True)
class KindCells:
    """One kind's per-cell figures: walking metres to the nearest offer, the target
    residents, the accessibility index."""

    walk: np.ndarray
    population: np.ndarray
    access: np.ndarray


@dataclass(frozen=True)
class KindInfo:
    kind: PlanningKind
    offers: int
    placed: int
    places_known: int
    supply: str  # "places" when every placed offer has its places, else "offers"
    status_known: int | None = None  # only-known kinds: offers whose status is known
    candidates: int = 0  # only-known kinds: all offers of the category


@dataclass
class Coverage:
    level: str
    levels: list[str]
    areas: list[AreaCoverage]
    city: AreaCoverage
    kinds: dict[str, KindInfo]
    computed_at: datetime
    seconds: float
    grid_cells: int
    grid_size: int
    weighted_by: str | None  # source of loaded grid counts; None: spread evenly
    detour: float
    catchment: float
    indicators: list[Published]
    schools: int  # Grundschulen in the school table
    offers: dict[str, OfferPoints] = field(repr=False, default_factory=dict)
    shapes: dict[str, shapely.Geometry] = field(repr=False, default_factory=dict)
    population_years: list[int] = field(default_factory=list)
    grid_date: date | None = None
    # how each target group was spread over the loaded grid: band -> grid column
    spread_columns: dict = field(default_factory=dict)
    # city-wide walking reach with the residents spread evenly instead (kind slug ->
    # (share within 500 m, within 1,000 m)); only when a grid is loaded
    even_reach: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    # per kind, the arrays a what-if scenario updates incrementally (app.planning.scenario)
    cells: dict[str, "KindCells"] = field(repr=False, default_factory=dict)
    grid_xy: np.ndarray = field(repr=False, default_factory=lambda: np.empty((0, 2)))
    level_index: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0, dtype=int))

    def get(self, slug: str) -> AreaCoverage | None:
        return next((a for a in self.areas if a.slug == slug), None)

    @property
    def estimated(self) -> bool:
        """Whether any target-group figure on the page is an estimate."""
        return any(m.population.estimated for a in self.areas for m in a.kinds.values())

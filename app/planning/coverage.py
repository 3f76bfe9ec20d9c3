"""The coverage table: for each district of a level and each planning kind, the
offers, offers per 1,000 of the target group, places per 100, walking reach within
500 m and 1,000 m, the accessibility index (2SFCA) and the gap ranking; the city's
values beside them; the schools' social index as the need indicator.

``coverage(session, level)`` is the one function behind the page and every export.
It is cached per database, level, settings and the version counters of offers, areas
and planning inputs, so it is recomputed the moment any of them changes (in every
worker: the counters live in the database). ``compute`` is the pure part.
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import shapely
from sqlmodel import Session

from app.config import Settings, get_settings
from app.db import state
from app.models.planning import CITY
from app.planning import fca, reach
from app.planning import grid as gridmod
from app.planning.indicators import Published
from app.planning.kinds import ALL_AGES, KINDS, Band, PlanningKind
from app.planning.levels import TOP_LEVEL
from app.planning.population import NO_DATA, Figure
from app.planning.ranking import Gap, gap_ranking
from app.planning.schools import Need, need_per_area, summarise
from app.planning.snapshot import OfferPoints, Snapshot, take_snapshot

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


def _round(value: float, digits: int) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def _area_index(
    points: OfferPoints, snap: Snapshot, grid_owner: list[shapely.Geometry]
) -> np.ndarray:
    """The index (in ``snap.areas``) of each offer's district; -1 for none."""
    if snap.level == TOP_LEVEL:
        index = {a.slug: i for i, a in enumerate(snap.areas)}
        return np.array([index.get(d, -1) for d in points.district], dtype=int)
    owner = np.full(len(points.ids), -1, dtype=int)
    has = points.has_point
    if has.any():
        pts = gridmod.Grid(points.x[has], points.y[has], np.zeros(has.sum(), dtype=int), 1)
        owner[has] = gridmod.locate(pts, grid_owner)
    return owner


def _population(
    snap: Snapshot,
    grid: gridmod.Grid,
    level_index: np.ndarray,
    weights: np.ndarray | None,
    group: Band,
) -> tuple[list[Figure], np.ndarray]:
    """Target residents per area of the level, and spread over the cells."""
    figures = [snap.population.figure(a.slug, group) for a in snap.areas]
    if snap.level == TOP_LEVEL or all(f.value is not None for f in figures):
        values = np.array([np.nan if f.value is None else f.value for f in figures])
        return figures, gridmod.spread(level_index, values, weights)
    top = [snap.population.figure(a.slug, group) for a in snap.top]
    values = np.array([np.nan if f.value is None else f.value for f in top])
    cells = gridmod.spread(grid.area, values, weights)
    sums = np.bincount(
        np.where(level_index >= 0, level_index, 0),
        weights=np.where(level_index >= 0, cells, 0.0),
        minlength=len(snap.areas),
    )
    parents = {a.slug: (a.name, f) for a, f in zip(snap.top, top, strict=True)}
    spread_figures = []
    for area, total in zip(snap.areas, sums, strict=True):
        parent_name, parent = parents.get(area.parent or "", ("", NO_DATA))
        spread_figures.append(
            NO_DATA
            if parent.value is None
            else Figure(
                float(total), parent.year, "spread", parent.source, parent.share_year, parent_name
            )
        )
    return spread_figures, cells


def _city_figure(snap: Snapshot, figures: list[Figure], group: Band) -> Figure:
    official = snap.population.official(CITY, group)
    if official is not None:
        return official
    if figures and all(f.value is not None for f in figures):
        return Figure(
            sum(f.value for f in figures),
            figures[0].year,
            "estimate" if any(f.estimated for f in figures) else "official",
            figures[0].source,
            figures[0].share_year,
        )
    return snap.population.figure(CITY, group)


def _ratio(part: float, whole: float | None, per: float) -> float | None:
    return None if not whole else part / whole * per


def _kind_measures(
    kind: PlanningKind,
    points: OfferPoints,
    owner: np.ndarray,
    figures: list[Figure],
    city_figure: Figure,
    cells_pop: np.ndarray,
    grid: gridmod.Grid,
    level_index: np.ndarray,
    settings: Settings,
    geometry: dict,
) -> tuple[list[KindMeasures], KindMeasures, KindInfo]:
    n = len(figures)
    status_counts = None
    candidates = np.zeros(n, dtype=int)
    if kind.only_known:
        known_status = ~np.isnan(points.takes_u3)
        inside_all = owner >= 0
        safe_all = np.where(inside_all, owner, 0)
        status_counts = np.bincount(safe_all[inside_all & known_status], minlength=n)
        candidates = np.bincount(safe_all[inside_all], minlength=n)
        city_status, city_candidates = int(known_status.sum()), len(points.ids)
        keep = points.takes_u3 == 1
        points, owner = points.subset(keep), owner[keep]
    places = points.capacity_u3 if kind.places_field == "capacity_u3" else points.capacity
    inside = owner >= 0
    safe = np.where(inside, owner, 0)
    has = points.has_point
    counts = np.bincount(safe[inside], minlength=n)
    placed = np.bincount(safe[inside & has], minlength=n)
    known = ~np.isnan(places)
    known_counts = np.bincount(safe[inside & known], minlength=n)
    place_sums = np.bincount(safe[inside & known], weights=places[inside & known], minlength=n)

    xy = np.column_stack((points.x[has], points.y[has]))
    shared = kind.slug if kind.only_known else kind.category
    if shared not in geometry:  # distances depend on the offers only: share them
        geometry[shared] = reach.nearest_walk(grid.xy, xy, settings.planning_detour_factor)
    walk = geometry[shared]
    shares = {
        limit: reach.share_within(walk, cells_pop, level_index, n, limit) for limit in REACH_LIMITS
    }
    supply_places = bool(has.any()) and bool(known[has].all())
    supply = places[has] if supply_places else np.ones(int(has.sum()))
    access_cells = fca.two_step_fca(
        grid.xy,
        cells_pop,
        xy,
        supply,
        catchment=settings.planning_catchment_m,
        detour=settings.planning_detour_factor,
    )
    access = fca.area_mean(access_cells, cells_pop, level_index, n) * 1000

    def measures(
        offers: int,
        placed_n: int,
        figure: Figure,
        place_sum: float,
        known_n: int,
        r500: float,
        r1000: float,
        acc: float,
        status: int | None = None,
        candidates_n: int = 0,
    ) -> KindMeasures:
        pop = figure.value
        if status == 0:  # nothing known about any offer of the category: no figure
            return KindMeasures(
                population=figure, status_known=0, candidates=int(candidates_n), unknown=True
            )
        return KindMeasures(
            offers=int(offers),
            placed=int(placed_n),
            population=figure,
            places=int(place_sum),
            places_known=int(known_n),
            per_1000=_round(_ratio(offers, pop, 1000), 2) if pop is not None else None,
            places_per_100=(
                _round(_ratio(place_sum, pop, 100), 1) if pop is not None and known_n else None
            ),
            reach_500=_round(r500, 3) if pop is not None else None,
            reach_1000=_round(r1000, 3) if pop is not None else None,
            access=_round(acc, 2) if pop is not None else None,
            status_known=status,
            candidates=int(candidates_n),
        )

    rows = [
        measures(
            counts[i],
            placed[i],
            figures[i],
            place_sums[i],
            known_counts[i],
            shares[500][i],
            shares[1000][i],
            access[i],
            None if status_counts is None else int(status_counts[i]),
            int(candidates[i]),
        )
        for i in range(n)
    ]
    total_pop = cells_pop.sum()
    city_shares = {
        limit: (cells_pop[walk <= limit].sum() / total_pop if total_pop else np.nan)
        for limit in REACH_LIMITS
    }
    city_access = (access_cells * cells_pop).sum() / total_pop * 1000 if total_pop else np.nan
    city = measures(
        len(points.ids),
        int(has.sum()),
        city_figure,
        float(np.nansum(places)),
        int(known.sum()),
        city_shares[500],
        city_shares[1000],
        city_access,
        None if status_counts is None else city_status,
        city_candidates if status_counts is not None else 0,
    )
    gaps = gap_ranking({m: [r.value(m) for r in rows] for m in GAP_MEASURES}, n)
    for row, gap in zip(rows, gaps, strict=True):
        row.gap = gap
    info = KindInfo(
        kind,
        len(points.ids),
        int(has.sum()),
        int(known.sum()),
        "places" if supply_places else "offers",
        None if status_counts is None else city_status,
        city_candidates if status_counts is not None else 0,
    )
    return rows, city, info, KindCells(walk, cells_pop, access_cells)


def compute(snap: Snapshot, settings: Settings) -> Coverage:
    """The coverage of ``snap`` (pure: no database)."""
    started = time.perf_counter()
    grid = gridmod.build_grid([a.shape for a in snap.top], settings.planning_grid_m)
    level_shapes = [a.shape for a in snap.areas]
    level_index = grid.area if snap.level == TOP_LEVEL else gridmod.locate(grid, level_shapes)
    n = len(snap.areas)

    groups = {k.ages for k in KINDS} | {ALL_AGES}
    columns = {g: gridmod.weight_column(g, snap.grid_cells) for g in groups}
    weights = {c: gridmod.cell_weights(grid, snap.grid_cells, c) for c in set(columns.values())}
    population = {g: _population(snap, grid, level_index, weights[columns[g]], g) for g in groups}
    even = (
        {g: _population(snap, grid, level_index, None, g)[1] for g in groups}
        if snap.grid_cells
        else {}
    )
    even_reach: dict[str, tuple[float | None, float | None]] = {}
    all_cells: dict[str, KindCells] = {}
    residents, _ = population[ALL_AGES]

    per_area: list[dict[str, KindMeasures]] = [{} for _ in range(n)]
    city_kinds: dict[str, KindMeasures] = {}
    infos: dict[str, KindInfo] = {}
    owners: dict[str, np.ndarray] = {}
    geometry: dict = {}
    for kind in KINDS:
        points = snap.offers[kind.category]
        if kind.category not in owners:
            owners[kind.category] = _area_index(points, snap, level_shapes)
        figures, cells_pop = population[kind.ages]
        rows, city, info, kind_cells = _kind_measures(
            kind,
            points,
            owners[kind.category],
            figures,
            _city_figure(snap, figures, kind.ages),
            cells_pop,
            grid,
            level_index,
            settings,
            geometry,
        )
        for i, row in enumerate(rows):
            per_area[i][kind.slug] = row
        city_kinds[kind.slug] = city
        infos[kind.slug] = info
        all_cells[kind.slug] = kind_cells
        if even and not city.unknown:
            even_reach[kind.slug] = _city_reach(kind_cells.walk, even[kind.ages])

    school_owner = _school_areas(snap, level_shapes)
    needs = need_per_area(snap.schools, school_owner, n)
    cells_per_area = np.bincount(level_index[level_index >= 0], minlength=n)
    areas = [
        AreaCoverage(
            a.slug,
            a.name,
            a.level,
            a.number,
            a.parent,
            a.area_km2,
            a.geojson,
            residents[i],
            per_area[i],
            needs[i],
            int(cells_per_area[i]),
        )
        for i, a in enumerate(snap.areas)
    ]
    city = AreaCoverage(
        CITY,
        "Bochum",
        "stadt",
        None,
        None,
        round(sum(a.shape.area for a in snap.top) / 1e6, 3),
        None,
        _city_figure(snap, residents, ALL_AGES),
        city_kinds,
        summarise(snap.schools),
        len(grid),
    )
    return Coverage(
        level=snap.level,
        levels=snap.levels,
        areas=areas,
        city=city,
        kinds=infos,
        computed_at=datetime.now(UTC),
        seconds=time.perf_counter() - started,
        grid_cells=len(grid),
        grid_size=grid.size,
        weighted_by=snap.grid_source,
        detour=settings.planning_detour_factor,
        catchment=settings.planning_catchment_m,
        indicators=snap.indicators,
        schools=len(snap.schools),
        offers=snap.offers,
        shapes={a.slug: a.shape for a in snap.areas},
        population_years=snap.population.years(),
        grid_date=snap.grid_date,
        spread_columns=columns if snap.grid_cells else {},
        even_reach=even_reach,
        cells=all_cells,
        grid_xy=grid.xy,
        level_index=level_index,
    )


def _city_reach(walk: np.ndarray, cells_pop: np.ndarray) -> tuple[float | None, float | None]:
    total = cells_pop.sum()
    if not total:
        return None, None
    r500, r1000 = (cells_pop[walk <= limit].sum() / total for limit in REACH_LIMITS)
    return _round(r500, 3), _round(r1000, 3)


def _school_areas(snap: Snapshot, shapes: list[shapely.Geometry]) -> np.ndarray:
    index = {a.slug: i for i, a in enumerate(snap.areas)}
    owner = np.array(
        [index.get(s.district_slug, -1) if snap.level == TOP_LEVEL else -1 for s in snap.schools],
        dtype=int,
    )
    located = [i for i, s in enumerate(snap.schools) if s.x is not None and s.y is not None]
    if located:
        xs = np.array([snap.schools[i].x for i in located])
        ys = np.array([snap.schools[i].y for i in located])
        found = gridmod.locate(gridmod.Grid(xs, ys, np.zeros(len(xs), dtype=int), 1), shapes)
        for i, area in zip(located, found, strict=True):
            if area >= 0:
                owner[i] = area
    return owner


_cache: dict[tuple, Coverage] = {}
CACHE_SIZE = 8


def coverage(
    session: Session, level: str = TOP_LEVEL, settings: Settings | None = None
) -> Coverage:
    """The cached coverage of ``level``; recomputed when offers, areas or planning
    inputs change (their version counters are part of the key)."""
    settings = settings or get_settings()
    versions = state.versions(session)
    key = (
        session.get_bind().engine.url.render_as_string(hide_password=True),
        level,
        versions.get(state.OFFERS),
        versions.get(state.AREAS),
        versions.get(state.PLANNING),
        settings.planning_detour_factor,
        settings.planning_catchment_m,
        settings.planning_grid_m,
    )
    found = _cache.get(key)
    if found is not None:
        return found
    result = compute(take_snapshot(session, level), settings)
    if len(_cache) >= CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[key] = result
    return result


def clear_cache() -> None:
    _cache.clear()

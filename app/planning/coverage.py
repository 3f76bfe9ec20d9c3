"""The coverage table: for each district of a level and each planning kind, the
offers, offers per 1,000 of the target group, places per 100, walking reach within
500 m and 1,000 m, the accessibility index (2SFCA) and the gap ranking; the city's
values beside them; the schools' social index as the need indicator (the figures as
data: app.planning.coverage_model). ``coverage(session, level)`` is the one function
behind the page and every export, cached per database, level, settings and the version
counters of offers, areas and planning inputs, so it is recomputed the moment any of
them changes (in every worker: the counters live in the database); ``compute`` pure.
"""

import time
from datetime import UTC, datetime

import numpy as np
import shapely
from sqlmodel import Session

from app.config import Settings, get_settings
from app.db import state
from app.models.planning import CITY
from app.planning import fca, reach
from app.planning import grid as gridmod
from app.planning.coverage_model import (
    GAP_MEASURES,
    REACH_LIMITS,
    AreaCoverage,
    Coverage,
    KindCells,
    KindInfo,
    KindMeasures,
)
from app.planning.kinds import ALL_AGES, KINDS, Band, PlanningKind
from app.planning.levels import TOP_LEVEL
from app.planning.population import NO_DATA, Figure
from app.planning.ranking import gap_ranking
from app.planning.schools import need_per_area, school_areas, summarise
from app.planning.snapshot import OfferPoints, Snapshot, take_snapshot


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

    school_owner = school_areas(
        snap.schools, [a.slug for a in snap.areas], snap.level == TOP_LEVEL, level_shapes
    )
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

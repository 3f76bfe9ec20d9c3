"""One district's planning profile: residents by target group (year, official or
estimated), offers and every measure per kind beside the city's value, the published
figures for the district, and the nearest offers just outside it."""

from dataclasses import dataclass

import numpy as np
import shapely

from app.planning.coverage_model import AreaCoverage, Coverage, KindMeasures
from app.planning.indicators import Published
from app.planning.kinds import ALL_AGES, KINDS, Band, PlanningKind
from app.planning.population import Figure

NEARBY_PER_KIND = 3


@dataclass(frozen=True)
class AgeFigure:
    ages: Band
    target: object
    figure: Figure


@dataclass(frozen=True)
class KindProfile:
    kind: PlanningKind
    district: KindMeasures
    city: KindMeasures


@dataclass(frozen=True)
class Nearby:
    offer_id: int
    name: str
    kind: PlanningKind
    walk_m: float  # estimated walking metres to the district's boundary


@dataclass(frozen=True)
class Profile:
    area: AreaCoverage
    city: AreaCoverage
    ages: list[AgeFigure]
    kinds: list[KindProfile]
    published: list[Published]
    nearby: list[Nearby]


def _ages(area: AreaCoverage) -> list[AgeFigure]:
    seen: dict[Band, AgeFigure] = {}
    for kind in KINDS:
        if kind.ages not in seen:
            seen[kind.ages] = AgeFigure(kind.ages, kind.target, area.kinds[kind.slug].population)
    ordered = sorted(seen.values(), key=lambda a: (a.ages[0], a.ages[1] or 999))
    return [AgeFigure(ALL_AGES, None, area.residents), *ordered]


def nearby_outside(cov: Coverage, slug: str) -> list[Nearby]:
    """Per kind, the nearest offers outside the district within the catchment's
    walking distance of its boundary."""
    shape = cov.shapes.get(slug)
    if shape is None:
        return []
    shapely.prepare(shape)
    found = []
    seen_categories: set[str] = set()
    for kind in KINDS:
        if kind.category in seen_categories:
            continue
        seen_categories.add(kind.category)
        points = cov.offers.get(kind.category)
        if points is None or not len(points.ids):
            continue
        has = points.has_point
        idx = np.flatnonzero(has)
        x, y = points.x[idx], points.y[idx]
        outside = ~shapely.contains_xy(shape, x, y)
        idx, x, y = idx[outside], x[outside], y[outside]
        walk = shapely.distance(shape, shapely.points(x, y)) * cov.detour
        near = np.argsort(walk)[:NEARBY_PER_KIND]
        found += [
            Nearby(int(points.ids[idx[i]]), points.names[idx[i]], kind, float(walk[i]))
            for i in near
            if walk[i] <= cov.catchment
        ]
    return found


def district_profile(cov: Coverage, slug: str) -> Profile | None:
    area = cov.get(slug)
    if area is None:
        return None
    kinds = [KindProfile(k, area.kinds[k.slug], cov.city.kinds[k.slug]) for k in KINDS]
    published = [i for i in cov.indicators if i.area_slug == slug]
    return Profile(area, cov.city, _ages(area), kinds, published, nearby_outside(cov, slug))

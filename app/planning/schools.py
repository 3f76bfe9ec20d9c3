"""The need indicator beside the supply measures: the NRW school social index (1 = low,
9 = high social burden) of the Grundschulen in each district, weighted by pupils, and
the number of Startchancen schools. Reads the ``school`` table that the schools
importer fills (the state directory matched to the city's school POIs)."""

from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy import select
from sqlmodel import Session

from app.models import School
from app.planning import grid as gridmod

PRIMARY = "grundschule"


@dataclass(frozen=True)
class Need:
    schools: int = 0  # Grundschulen in the area
    with_index: int = 0  # of them with a published index and pupil count
    pupils: int = 0  # pupils of those
    mean_index: float | None = None  # pupil-weighted mean social index
    startchancen: int = 0


@dataclass(frozen=True)
class SchoolPoint:
    x: float | None
    y: float | None
    district_slug: str | None
    pupils: int | None
    social_index: int | None
    startchancen: bool


def primary_schools(session: Session) -> list[SchoolPoint]:
    rows = session.exec(select(School)).scalars()
    return [
        SchoolPoint(s.x, s.y, s.district_slug, s.pupils, s.social_index, s.startchancen)
        for s in rows
        if s.school_type.strip().lower().startswith(PRIMARY)
    ]


def need_per_area(schools: list[SchoolPoint], area: np.ndarray, n_areas: int) -> list[Need]:
    """``area``: the index of each school's area (-1: none). One ``Need`` per area."""
    result = []
    for index in range(n_areas):
        mine = [s for s, a in zip(schools, area, strict=True) if a == index]
        result.append(summarise(mine))
    return result


def summarise(schools: list[SchoolPoint]) -> Need:
    indexed = [s for s in schools if s.social_index is not None and s.pupils]
    pupils = sum(s.pupils or 0 for s in indexed)
    mean = (
        sum((s.pupils or 0) * (s.social_index or 0) for s in indexed) / pupils if pupils else None
    )
    return Need(len(schools), len(indexed), pupils, mean, sum(1 for s in schools if s.startchancen))


def school_areas(
    schools: list, area_slugs: list[str], by_district: bool, shapes: list[shapely.Geometry]
) -> np.ndarray:
    """For each school, the index of the area it lies in (-1: none): by its point where
    it has one, else by its district when the areas are the districts."""
    index = {slug: i for i, slug in enumerate(area_slugs)}
    owner = np.array(
        [index.get(s.district_slug, -1) if by_district else -1 for s in schools], dtype=int
    )
    located = [i for i, s in enumerate(schools) if s.x is not None and s.y is not None]
    if located:
        xs = np.array([schools[i].x for i in located])
        ys = np.array([schools[i].y for i in located])
        found = gridmod.locate(gridmod.Grid(xs, ys, np.zeros(len(xs), dtype=int), 1), shapes)
        for i, area in zip(located, found, strict=True):
            if area >= 0:
                owner[i] = area
    return owner

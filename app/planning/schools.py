"""The need indicator beside the supply measures: the NRW school social index (1 = low,
9 = high social burden) of the Grundschulen in each district, weighted by pupils, and
the number of Startchancen schools. Reads the ``school`` table that the schools
importer fills (the state directory matched to the city's school POIs)."""

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlmodel import Session

from app.models import School

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

"""What the planning view stands on, as staff see it before they load a newer table:
population figures per year and source, published indicator tables, district levels
and the population grid. Read-only; the loaders live beside their tables."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import District, GridCell, PlanningIndicator, PopulationFigure


@dataclass(frozen=True)
class PopulationTable:
    year: int
    source: str
    loaded_by: str
    figures: int
    areas: int
    loaded_at: datetime


@dataclass(frozen=True)
class IndicatorTable:
    name: str
    indicators: int
    unmatched: int
    loaded_at: datetime


@dataclass(frozen=True)
class DistrictLevel:
    level: str
    districts: int
    with_polygon: int


@dataclass(frozen=True)
class GridTable:
    year: int
    source: str
    cells: int


@dataclass(frozen=True)
class PlanningInputs:
    population: list[PopulationTable]
    indicators: list[IndicatorTable]
    levels: list[DistrictLevel]
    grid: list[GridTable]


def loaded_inputs(session: Session) -> PlanningInputs:
    """Every loaded planning table, newest year first."""
    population = [
        PopulationTable(*row)
        for row in session.exec(
            select(
                PopulationFigure.year,
                PopulationFigure.source,
                PopulationFigure.loaded_by,
                func.count(),
                func.count(func.distinct(PopulationFigure.area_slug)),
                func.max(PopulationFigure.loaded_at),
            )
            .group_by(PopulationFigure.year, PopulationFigure.source, PopulationFigure.loaded_by)
            .order_by(PopulationFigure.year.desc(), PopulationFigure.source)
        ).all()
    ]
    indicators = [
        IndicatorTable(*row)
        for row in session.exec(
            select(
                PlanningIndicator.table_name,
                func.count(),
                func.count() - func.count(PlanningIndicator.area_slug),
                func.max(PlanningIndicator.loaded_at),
            )
            .group_by(PlanningIndicator.table_name)
            .order_by(PlanningIndicator.table_name)
        ).all()
    ]
    levels = [
        DistrictLevel(*row)
        for row in session.exec(
            select(District.level, func.count(), func.count(District.geometry))
            .group_by(District.level)
            .order_by(District.level)
        ).all()
    ]
    grid = [
        GridTable(*row)
        for row in session.exec(
            select(GridCell.year, GridCell.source, func.count())
            .group_by(GridCell.year, GridCell.source)
            .order_by(GridCell.year.desc())
        ).all()
    ]
    return PlanningInputs(population, indicators, levels, grid)

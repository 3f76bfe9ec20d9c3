"""The planning view's inputs: residents per area, age group and year; published
indicators; a population grid (when one is loaded); the Grundschulen with their
social index.

Every figure carries its source. The planning view never stores what it computes:
coverage is derived from these tables and the catalogue (``app.planning``).
"""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow

CITY = "bochum"  # ``area_slug`` of figures for the whole city


class PopulationFigure(SQLModel, table=True):
    """Residents of one area (a district slug, or ``CITY``) in one age band and year.

    The band is ``age_from`` to under ``age_to`` years; ``age_to`` None is open
    (``0``–None: all residents)."""

    __tablename__ = "population_figure"
    __table_args__ = (
        UniqueConstraint("area_slug", "age_from", "age_to", "year", name="uq_population_figure"),
    )
    id: int | None = Field(default=None, primary_key=True)
    area_slug: str = Field(max_length=80, index=True)
    age_from: int = Field(ge=0, le=120)
    age_to: int | None = Field(default=None, ge=1, le=121)
    year: int = Field(ge=1900, le=2100)
    reference_date: date | None = None  # the Stichtag, when the source gives it
    residents: int = Field(ge=0)
    source: str = Field(max_length=500)
    loaded_by: str = Field(default="setup", max_length=40)  # "setup", "script", "upload"
    loaded_at: datetime = Field(default_factory=utcnow)


class PlanningIndicator(SQLModel, table=True):
    """A published figure (e.g. the city's Kita shortage per Stadtbezirk), as stated
    by its source; ``value`` is the number where the text holds one."""

    __tablename__ = "planning_indicator"
    id: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=100, index=True)  # the loaded table it came from
    line: int  # its line in that table
    topic: str | None = Field(default=None, max_length=60)
    period: str = Field(max_length=200)
    level: str | None = Field(default=None, max_length=60)
    area: str = Field(max_length=200)  # as the source names it
    area_slug: str | None = Field(default=None, max_length=80)  # the matched district
    indicator: str = Field(max_length=200)
    value: float | None = None
    value_text: str = Field(max_length=100)
    unit: str | None = Field(default=None, max_length=40)
    source: str = Field(max_length=1000)
    source_date: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=1000)
    loaded_at: datetime = Field(default_factory=utcnow)


class GridCell(SQLModel, table=True):
    """Residents per grid cell (e.g. the Zensus 100 m grid), centre in EPSG:25832.

    When cells are loaded, the planning view spreads each district's residents in
    proportion to them instead of evenly over the district's area."""

    __tablename__ = "grid_cell"
    id: int | None = Field(default=None, primary_key=True)
    x: float
    y: float
    size_m: int = Field(default=100)
    residents: int = Field(ge=0)
    # Residents of the cell by age class where the grid has them (the Zensus 2011
    # grid: under 18 and 65 and over; None: not in the source for this cell).
    under_18: int | None = Field(default=None, ge=0)
    over_65: int | None = Field(default=None, ge=0)
    year: int
    reference_date: date | None = None  # the grid's Stichtag (Zensus 2011: 9 May 2011)
    source: str = Field(max_length=500)

"""The Zielvereinbarung of the audit "Familiengerechte Kommune": Handlungsfelder,
strategic goals and goals, measures (numbered n / n.m / n.m.k as the city's own
agreement), their dated progress notes and the goals' indicators; every change of
any of them in ``goal_change`` (before and after, like ``offer_change``). Nothing is
hard-deleted: an entry is archived and can be restored."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow

STATUSES = ("geplant", "begonnen", "umgesetzt", "verschoben", "aufgegeben")
INDICATOR_SOURCES = ("planung", "zahl")  # a planning measure, or an entered figure
ENTITIES = ("field", "goal", "measure", "indicator", "note")


class GoalField(SQLModel, table=True):
    """A Handlungsfeld (configurable; the audit's six are the default)."""

    __tablename__ = "goal_field"
    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(ge=1, le=99, unique=True)
    name: str = Field(max_length=200)
    version: int = 1
    archived_at: datetime | None = None


class Goal(SQLModel, table=True):
    """A strategic goal or a goal (Ziel n.m) of a Handlungsfeld."""

    __tablename__ = "goal"
    __table_args__ = (UniqueConstraint("field_id", "number", name="uq_goal_number"),)
    id: int | None = Field(default=None, primary_key=True)
    field_id: int = Field(foreign_key="goal_field.id", index=True)
    number: int = Field(ge=1, le=999)
    strategic: bool = False
    text: str = Field(max_length=2000)
    version: int = 1
    archived_at: datetime | None = None


class Measure(SQLModel, table=True):
    """A measure (Maßnahme n.m.k) of a goal."""

    __tablename__ = "goal_measure"
    __table_args__ = (UniqueConstraint("goal_id", "number", name="uq_goal_measure_number"),)
    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    number: int = Field(ge=1, le=999)
    text: str = Field(max_length=2000)
    responsible: str = Field(default="", max_length=300)  # office or provider
    partners: str = Field(default="", max_length=1000)
    # district slugs (none: city-wide), linked offer ids, planning kind slugs
    districts: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    offer_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    start_date: date | None = None
    due_date: date | None = None
    budget_eur: float | None = Field(default=None, ge=0)
    status: str = Field(default="geplant", max_length=20)  # STATUSES
    decision_ref: str = Field(default="", max_length=200)  # council decision (Drucksache)
    decision_date: date | None = None
    version: int = 1
    archived_at: datetime | None = None


class MeasureNote(SQLModel, table=True):
    """A dated progress note on a measure."""

    __tablename__ = "goal_note"
    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="goal_measure.id", index=True)
    noted_on: date
    text: str = Field(max_length=2000)
    actor: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    archived_at: datetime | None = None


class Indicator(SQLModel, table=True):
    """How a goal is measured: a planning measure for a kind and district (its current
    value computed), or a figure entered with its date; baseline and target."""

    __tablename__ = "goal_indicator"
    id: int | None = Field(default=None, primary_key=True)
    goal_id: int = Field(foreign_key="goal.id", index=True)
    label: str = Field(max_length=300)
    source_kind: str = Field(default="planung", max_length=20)  # INDICATOR_SOURCES
    kind_slug: str | None = Field(default=None, max_length=40)
    measure_key: str | None = Field(default=None, max_length=40)
    area_slug: str | None = Field(default=None, max_length=80)  # None: the city
    unit: str = Field(default="", max_length=40)
    baseline_value: float | None = None
    baseline_date: date | None = None
    target_value: float | None = None
    target_date: date | None = None
    current_value: float | None = None  # entered figures only
    current_date: date | None = None
    source: str = Field(default="", max_length=500)
    version: int = 1
    archived_at: datetime | None = None


class GoalChange(SQLModel, table=True):
    """One change of one entry of the agreement: the fields before and after."""

    __tablename__ = "goal_change"
    __table_args__ = (Index("ix_goal_change_entity", "entity", "entity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    entity: str = Field(max_length=20)  # ENTITIES
    entity_id: int
    version: int
    changed_at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=200)
    channel: str = Field(max_length=20)  # "page", "import"
    action: str = Field(max_length=20)  # create, update, archive, restore
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

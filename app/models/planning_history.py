"""Dated snapshots of the planning view ("Stand festhalten"): every measure of every
kind per district, as computed when a person (or the monthly job) recorded it. The
view itself stores nothing; these rows are what was published on a day."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow


class PlanningSnapshot(SQLModel, table=True):
    __tablename__ = "planning_snapshot"
    id: int | None = Field(default=None, primary_key=True)
    taken_on: date = Field(index=True)
    taken_at: datetime = Field(default_factory=utcnow)
    level: str = Field(max_length=40)
    actor: str = Field(max_length=200)
    # area slug (and "bochum") -> kind slug -> measure key -> value (None: no figure)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    names: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

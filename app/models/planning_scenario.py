"""Saved what-if scenarios (/planung/szenario/{id}): a name, the hypothetical sites
(each as its URL part, ``app.planning.scenario.Site.param``), who saved it and when.
The figures are never stored: a saved scenario is recomputed on the current data.
Every change in ``planning_scenario_change`` (before and after, like ``offer_change``);
nothing is hard-deleted: a scenario is withdrawn (archived) and can be restored."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow


class Scenario(SQLModel, table=True):
    __tablename__ = "planning_scenario"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    note: str = Field(default="", max_length=2000)
    sites: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    changed_at: datetime = Field(default_factory=utcnow)
    version: int = 1
    archived_at: datetime | None = None


class ScenarioChange(SQLModel, table=True):
    """One change of one saved scenario: the fields before and after."""

    __tablename__ = "planning_scenario_change"
    __table_args__ = (Index("ix_planning_scenario_change_scenario", "scenario_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    scenario_id: int = Field(foreign_key="planning_scenario.id")
    version: int
    changed_at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=200)
    channel: str = Field(max_length=20)
    action: str = Field(max_length=20)  # create, update, archive, restore
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

"""What a valid entry of the agreement is: one input model per kind of entry, each
field's rule once (used by the staff pages and the CSV/XLSX import alike)."""

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.models.goals import INDICATOR_SOURCES, STATUSES
from app.planning.coverage_model import MEASURES
from app.planning.kinds import KIND_SLUGS

Text = Field(min_length=1, max_length=2000)
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        value = _strip(value)
        if isinstance(value, str) and _DECIMAL_COMMA.match(value):
            return value.replace(",", ".")  # "0,2" as typed in German
        return None if value == "" else value


class FieldIn(EntryIn):
    number: int = Field(ge=1, le=99)
    name: str = Field(min_length=1, max_length=200)


class GoalIn(EntryIn):
    field_id: int
    number: int = Field(ge=1, le=999)
    strategic: bool = False
    text: str = Text


class MeasureIn(EntryIn):
    goal_id: int
    number: int = Field(ge=1, le=999)
    text: str = Text
    responsible: str | None = Field("", max_length=300)
    partners: str | None = Field("", max_length=1000)
    districts: list[str] = Field(default_factory=list)
    offer_ids: list[int] = Field(default_factory=list)
    kinds: list[Literal[KIND_SLUGS]] = Field(default_factory=list)  # type: ignore[valid-type]
    start_date: date | None = None
    due_date: date | None = None
    budget_eur: float | None = Field(None, ge=0, le=1e10)
    status: Literal[STATUSES] = "geplant"  # type: ignore[valid-type]
    decision_ref: str | None = Field("", max_length=200)
    decision_date: date | None = None

    @field_validator("responsible", "partners", "decision_ref", mode="after")
    @classmethod
    def _text_default(cls, value: str | None) -> str:
        return value or ""

    @field_validator("districts", "offer_ids", "kinds", mode="before")
    @classmethod
    def _list(cls, value: object) -> object:
        if value is None:
            return []
        if isinstance(value, str):
            return [v.strip() for v in value.replace(";", ",").split(",") if v.strip()]
        return value

    @model_validator(mode="after")
    def _dates(self) -> "MeasureIn":
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValueError("due_date: liegt vor dem Beginn")
        return self


class IndicatorIn(EntryIn):
    goal_id: int
    label: str = Field(min_length=1, max_length=300)
    source_kind: Literal[INDICATOR_SOURCES] = "planung"  # type: ignore[valid-type]
    kind_slug: Literal[KIND_SLUGS] | None = None  # type: ignore[valid-type]
    measure_key: Literal[MEASURES] | None = None  # type: ignore[valid-type]
    area_slug: str | None = Field(None, max_length=80)
    unit: str | None = Field("", max_length=40)
    baseline_value: float | None = None
    baseline_date: date | None = None
    target_value: float | None = None
    target_date: date | None = None
    current_value: float | None = None
    current_date: date | None = None
    source: str | None = Field("", max_length=500)

    @field_validator("unit", "source", mode="after")
    @classmethod
    def _text_default(cls, value: str | None) -> str:
        return value or ""

    @model_validator(mode="after")
    def _planning(self) -> "IndicatorIn":
        if self.source_kind == "planung" and (not self.kind_slug or not self.measure_key):
            raise ValueError("kind_slug: eine Kennzahl der Planung braucht Art und Maß")
        return self


class NoteIn(EntryIn):
    measure_id: int
    noted_on: date
    text: str = Text


MODELS: dict[str, type[EntryIn]] = {
    "field": FieldIn,
    "goal": GoalIn,
    "measure": MeasureIn,
    "indicator": IndicatorIn,
    "note": NoteIn,
}

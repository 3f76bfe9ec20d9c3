"""The agreement as the public page, its twins and the staff page show it: one query
function (``agreement``) behind HTML, JSON, CSV and XLSX, filtered by Handlungsfeld
and district; each indicator with its baseline, target and current value and the
date that value was computed or entered."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlmodel import Session

from app.goals.indicators import CurrentValue, baseline_value, current_value
from app.i18n import lazy_gettext as _l
from app.models import District
from app.models.goals import STATUSES, Goal, GoalField, Indicator, Measure, MeasureNote
from app.models.planning import CITY


class GoalsParams(BaseModel):
    """The query parameters of /ziele and its twins (all optional)."""

    model_config = ConfigDict(extra="ignore")

    feld: int | None = Field(None, ge=1, le=99, description="number of a Handlungsfeld")
    bezirk: str | None = Field(
        None, max_length=80, pattern=r"^[a-z0-9-]+$", description="district slug"
    )


FIELD_MESSAGES = {
    "feld": _l("Dieses Handlungsfeld gibt es nicht."),
    "bezirk": _l("Diesen Bezirk gibt es nicht."),
}


@dataclass(frozen=True)
class GoalsQuery:
    feld: int | None = None
    bezirk: str | None = None
    archived: bool = False  # staff: archived entries too

    def query_string(self) -> str:
        return urlencode(
            [(k, v) for k, v in (("feld", self.feld), ("bezirk", self.bezirk)) if v is not None]
        )


@dataclass
class MeasureView:
    measure: Measure
    number: str
    notes: list[MeasureNote]
    district_names: list[str]

    @property
    def city_wide(self) -> bool:
        return not self.measure.districts


@dataclass
class IndicatorView:
    indicator: Indicator
    area_name: str
    current: CurrentValue
    baseline: CurrentValue


@dataclass
class GoalView:
    goal: Goal
    number: str
    measures: list[MeasureView]
    indicators: list[IndicatorView]


@dataclass
class FieldView:
    field: GoalField
    goals: list[GoalView]

    @property
    def strategic(self) -> list[GoalView]:
        return [g for g in self.goals if g.goal.strategic]

    @property
    def operative(self) -> list[GoalView]:
        return [g for g in self.goals if not g.goal.strategic]


@dataclass
class Agreement:
    query: GoalsQuery
    fields: list[FieldView]
    districts: dict[str, str]  # slug -> name (Stadtbezirke)
    all_fields: list[GoalField] = field(default_factory=list)

    @property
    def measures(self) -> list[MeasureView]:
        return [m for f in self.fields for g in f.goals for m in g.measures]

    @property
    def indicators(self) -> list[IndicatorView]:
        return [i for f in self.fields for g in f.goals for i in g.indicators]

    def status_counts(self) -> dict[str, int]:
        counts = Counter(m.measure.status for m in self.measures)
        return {s: counts.get(s, 0) for s in STATUSES}


def parse_goals_query(
    session: Session, values: dict[str, str]
) -> tuple["GoalsQuery", dict[str, str]]:
    """The query and an error per bad parameter (whose default is used)."""
    errors: dict[str, str] = {}
    data = {k: v for k, v in values.items() if k in GoalsParams.model_fields and v != ""}
    try:
        params = GoalsParams(**data)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0])
            errors[name] = str(FIELD_MESSAGES.get(name, _l("Ungültiger Wert.")))
            data.pop(name, None)
        params = GoalsParams(**data)
    if params.bezirk is not None:
        known = session.execute(select(District.slug).where(District.slug == params.bezirk)).first()
        if known is None:
            errors["bezirk"] = str(FIELD_MESSAGES["bezirk"])
            params.bezirk = None
    if params.feld is not None:
        known = session.execute(select(GoalField.id).where(GoalField.number == params.feld)).first()
        if known is None:
            errors["feld"] = str(FIELD_MESSAGES["feld"])
            params.feld = None
    return GoalsQuery(params.feld, params.bezirk), errors


def _live(table, archived: bool):  # noqa: ANN001, ANN202
    query = select(table)
    return query if archived else query.where(table.archived_at.is_(None))


def agreement(session: Session, query: GoalsQuery, today: date | None = None) -> Agreement:
    """The agreement, filtered: ``feld`` keeps one Handlungsfeld; ``bezirk`` keeps the
    measures for that district and the city-wide ones, and the indicators of that
    district and of the city."""
    districts = {
        d.slug: d.name
        for d in session.execute(
            select(District).where(District.level == "stadtbezirk").order_by(District.number)
        ).scalars()
    }
    all_fields = list(
        session.execute(_live(GoalField, query.archived).order_by(GoalField.number)).scalars()
    )
    fields = [f for f in all_fields if query.feld is None or f.number == query.feld]
    goals = list(session.execute(_live(Goal, query.archived).order_by(Goal.number)).scalars())
    measures = list(
        session.execute(_live(Measure, query.archived).order_by(Measure.number)).scalars()
    )
    indicators = list(
        session.execute(_live(Indicator, query.archived).order_by(Indicator.id)).scalars()
    )
    notes = list(
        session.execute(
            select(MeasureNote)
            .where(MeasureNote.archived_at.is_(None))
            .order_by(MeasureNote.noted_on, MeasureNote.id)
        ).scalars()
    )
    notes_of: dict[int, list[MeasureNote]] = {}
    for note in notes:
        notes_of.setdefault(note.measure_id, []).append(note)
    views = []
    for f in fields:
        goal_views = []
        for g in (g for g in goals if g.field_id == f.id):
            number = f"{f.number}.{g.number}"
            mviews = [
                MeasureView(
                    m,
                    f"{number}.{m.number}",
                    notes_of.get(m.id, []),
                    [districts.get(s, s) for s in m.districts],
                )
                for m in measures
                if m.goal_id == g.id
                and (query.bezirk is None or not m.districts or query.bezirk in m.districts)
            ]
            iviews = [
                IndicatorView(
                    i,
                    districts.get(i.area_slug or "", "Bochum")
                    if i.area_slug not in (None, CITY)
                    else "Bochum",
                    current_value(session, i),
                    baseline_value(session, i),
                )
                for i in indicators
                if i.goal_id == g.id
                and (query.bezirk is None or i.area_slug in (None, CITY, query.bezirk))
            ]
            if query.bezirk is not None and not mviews and not iviews:
                continue
            goal_views.append(GoalView(g, number, mviews, iviews))
        views.append(FieldView(f, goal_views))
    return Agreement(query, views, districts, all_fields)

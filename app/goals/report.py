"""The yearly implementation report: for one year, the measures' status changes and
progress notes of that year (from the change log and the notes), what was completed,
and each indicator then (its baseline) and now, with their dates."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from app.goals.read import Agreement, GoalsQuery, MeasureView, agreement
from app.models.goals import GoalChange, MeasureNote


@dataclass(frozen=True)
class StatusChange:
    measure: MeasureView
    on: date
    before: str | None
    after: str


@dataclass
class YearReport:
    year: int
    agreement: Agreement
    changes: list[StatusChange] = field(default_factory=list)
    notes: list[tuple[MeasureView, MeasureNote]] = field(default_factory=list)

    @property
    def completed(self) -> list[MeasureView]:
        done = {c.measure.measure.id for c in self.changes if c.after == "umgesetzt"}
        return [m for m in self.agreement.measures if m.measure.id in done]


def year_report(session: Session, year: int) -> YearReport:
    current = agreement(session, GoalsQuery())
    measures = {m.measure.id: m for m in current.measures}
    report = YearReport(year, current)
    changes = session.execute(
        select(GoalChange)
        .where(GoalChange.entity == "measure")
        .order_by(GoalChange.changed_at, GoalChange.id)
    ).scalars()
    for change in changes:
        if change.changed_at.year != year or change.entity_id not in measures:
            continue
        if change.action == "create":
            report.changes.append(
                StatusChange(
                    measures[change.entity_id],
                    change.changed_at.date(),
                    None,
                    change.after.get("status", "geplant"),
                )
            )
        elif "status" in change.after:
            report.changes.append(
                StatusChange(
                    measures[change.entity_id],
                    change.changed_at.date(),
                    change.before.get("status"),
                    change.after["status"],
                )
            )
    for m in current.measures:
        for note in m.notes:
            if note.noted_on.year == year:
                report.notes.append((m, note))
    report.notes.sort(key=lambda p: (p[1].noted_on, p[0].number))
    return report

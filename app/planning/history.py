"""The planning view over time: "Stand festhalten" stores today's computation as a
dated snapshot (every measure of every kind per district and for the city); any
stored date can be shown, two dates compared per district, and a goal's indicator
takes its current value (the newest snapshot) and its baseline (the snapshot of its
baseline date) from them."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from app.db import state
from app.models.planning import CITY
from app.models.planning_history import PlanningSnapshot
from app.planning.coverage import coverage
from app.planning.coverage_model import MEASURES, Coverage
from app.planning.levels import TOP_LEVEL
from app.planning.table import measure_value

SNAPSHOTS = "planning_snapshots"  # the catalogue_state counter of the snapshots


def record(
    session: Session, actor: str, level: str = TOP_LEVEL, today: date | None = None
) -> PlanningSnapshot:
    """Store the current computation of ``level`` as today's snapshot (a second one on
    the same day replaces the first). The caller commits."""
    cov = coverage(session, level)
    today = today or date.today()
    data = {a.slug: _values(a) for a in cov.areas}
    data[CITY] = _values(cov.city)
    names = {a.slug: a.name for a in cov.areas}
    old = session.execute(
        select(PlanningSnapshot).where(
            PlanningSnapshot.taken_on == today, PlanningSnapshot.level == level
        )
    ).scalar_one_or_none()
    state.bump(session, SNAPSHOTS)  # cached pages that show snapshots are rebuilt
    if old is not None:
        old.data, old.names, old.actor = data, names, actor
        session.add(old)
        session.flush()
        return old
    snap = PlanningSnapshot(taken_on=today, level=level, actor=actor, data=data, names=names)
    session.add(snap)
    session.flush()
    return snap


def _values(area) -> dict:  # noqa: ANN001
    return {
        slug: {key: measure_value(m, key) for key in MEASURES} | {"gap_rank": m.gap.rank}
        for slug, m in area.kinds.items()
    }


def stored_dates(session: Session, level: str = TOP_LEVEL) -> list[date]:
    return list(
        session.execute(
            select(PlanningSnapshot.taken_on)
            .where(PlanningSnapshot.level == level)
            .order_by(PlanningSnapshot.taken_on)
        ).scalars()
    )


def at(session: Session, on: date, level: str = TOP_LEVEL) -> PlanningSnapshot | None:
    """The snapshot of ``on``, or the newest one before it."""
    return session.execute(
        select(PlanningSnapshot)
        .where(PlanningSnapshot.level == level, PlanningSnapshot.taken_on <= on)
        .order_by(PlanningSnapshot.taken_on.desc())
        .limit(1)
    ).scalar_one_or_none()


def value_of(snap: PlanningSnapshot, area: str | None, kind: str, measure: str) -> float | None:
    return (snap.data.get(area or CITY) or {}).get(kind, {}).get(measure)


@dataclass(frozen=True)
class ChangeRow:
    slug: str
    name: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 3)


def compare(
    first: PlanningSnapshot, second: PlanningSnapshot, kind: str, measure: str
) -> list[ChangeRow]:
    """Per district (then the city), the value at each date and the change."""
    names = {**first.names, **second.names}
    slugs = [s for s in names] + [CITY]
    return [
        ChangeRow(
            s,
            names.get(s, "Bochum"),
            value_of(first, s, kind, measure),
            value_of(second, s, kind, measure),
        )
        for s in slugs
    ]


def live(cov: Coverage) -> dict:
    """The current computation in the snapshot's shape (to compare against now)."""
    data = {a.slug: _values(a) for a in cov.areas}
    data[CITY] = _values(cov.city)
    return data


@dataclass(frozen=True)
class StoredCell:
    value: float | None
    other: float | None = None  # the value at the compared date

    @property
    def change(self) -> float | None:
        if self.value is None or self.other is None:
            return None
        return round(self.value - self.other, 3)


@dataclass(frozen=True)
class StoredRow:
    slug: str
    name: str
    cells: dict[str, StoredCell]  # kind slug -> cell
    is_city: bool = False


@dataclass(frozen=True)
class StoredView:
    """/planung at a stored date: ``shown`` is the snapshot of ``asked`` (or the newest
    before it); with ``other`` each cell also holds that snapshot's value and the
    change from it."""

    asked: date
    shown: PlanningSnapshot
    measure: str
    rows: list[StoredRow]
    other_asked: date | None = None
    other: PlanningSnapshot | None = None


def stored_view(
    session: Session,
    asked: date,
    measure: str,
    kinds: list[str],
    other_asked: date | None = None,
) -> StoredView | None:
    """The snapshot figures of ``measure`` per district and kind (None: no snapshot on
    or before ``asked``)."""
    shown = at(session, asked)
    if shown is None:
        return None
    other = at(session, other_asked) if other_asked else None
    names = dict(shown.names)
    rows = []
    for slug in [*names, CITY]:
        cells = {
            k: StoredCell(
                value_of(shown, slug, k, measure),
                value_of(other, slug, k, measure) if other is not None else None,
            )
            for k in kinds
        }
        rows.append(StoredRow(slug, names.get(slug, "Bochum"), cells, slug == CITY))
    return StoredView(asked, shown, measure, rows, other_asked, other)

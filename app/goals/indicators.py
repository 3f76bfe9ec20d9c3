"""An indicator's values. For a planning measure: the current value is the newest
stored snapshot's ("Stand festhalten", with its date) or, before any snapshot, the
value the planning view computes now (with the time it was computed); the baseline is
the one entered, or else the snapshot of the baseline date. For an entered figure:
the figures and dates as entered."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.models.goals import Indicator
from app.models.planning import CITY


@dataclass(frozen=True)
class CurrentValue:
    value: float | None
    on: date | None
    basis: str  # "snapshot", "computed", "entered", "none"


NONE = CurrentValue(None, None, "none")


def current_value(session: Session, indicator: Indicator) -> CurrentValue:
    if indicator.source_kind != "planung":
        if indicator.current_value is None:
            return NONE
        return CurrentValue(indicator.current_value, indicator.current_date, "entered")
    from app.planning import history

    if not indicator.kind_slug or not indicator.measure_key:
        return NONE
    snap = history.at(session, date.today())
    if snap is not None:
        value = history.value_of(
            snap, indicator.area_slug, indicator.kind_slug, indicator.measure_key
        )
        return CurrentValue(value, snap.taken_on, "snapshot" if value is not None else "none")
    from app.planning.coverage import coverage
    from app.planning.table import measure_value

    cov = coverage(session)
    area = cov.city if indicator.area_slug in (None, "", CITY) else cov.get(indicator.area_slug)
    if area is None or indicator.kind_slug not in area.kinds:
        return NONE
    value = measure_value(area.kinds[indicator.kind_slug], indicator.measure_key)
    return CurrentValue(value, cov.computed_at.date(), "computed" if value is not None else "none")


def baseline_value(session: Session, indicator: Indicator) -> CurrentValue:
    """The baseline as entered, or for a planning measure without an entered value the
    snapshot of its baseline date (or the newest before it)."""
    if indicator.baseline_value is not None:
        return CurrentValue(indicator.baseline_value, indicator.baseline_date, "entered")
    if indicator.source_kind != "planung" or indicator.baseline_date is None:
        return NONE
    if not indicator.kind_slug or not indicator.measure_key:
        return NONE
    from app.planning import history

    snap = history.at(session, indicator.baseline_date)
    if snap is None:
        return NONE
    value = history.value_of(snap, indicator.area_slug, indicator.kind_slug, indicator.measure_key)
    return CurrentValue(value, snap.taken_on, "snapshot") if value is not None else NONE

"""An indicator's current value: for a planning measure, the value the planning view
computes now for its kind and district (with the time it was computed); for an
entered figure, the figure and its date as entered."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from app.models.goals import Indicator
from app.models.planning import CITY


@dataclass(frozen=True)
class CurrentValue:
    value: float | None
    on: date | None
    basis: str  # "computed", "entered", "none"


def current_value(session: Session, indicator: Indicator) -> CurrentValue:
    if indicator.source_kind != "planung":
        if indicator.current_value is None:
            return CurrentValue(None, None, "none")
        return CurrentValue(indicator.current_value, indicator.current_date, "entered")
    from app.planning.coverage import coverage
    from app.planning.table import measure_value

    cov = coverage(session)
    area = cov.city if indicator.area_slug in (None, "", CITY) else cov.get(indicator.area_slug)
    if area is None or indicator.kind_slug not in area.kinds or not indicator.measure_key:
        return CurrentValue(None, None, "none")
    value = measure_value(area.kinds[indicator.kind_slug], indicator.measure_key)
    return CurrentValue(value, cov.computed_at.date(), "computed" if value is not None else "none")

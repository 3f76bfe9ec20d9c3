"""What every /planung route needs: the parsed query (with its errors), the cached
coverage of the chosen level and the one table built from them."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from app.i18n import gettext as _
from app.numbers import format_date
from app.planning import history
from app.planning.coverage import coverage
from app.planning.coverage_model import MEASURES, Coverage
from app.planning.kinds import KIND_BY_SLUG, KINDS, PlanningKind
from app.planning.levels import levels
from app.planning.query import PlanningQuery, parse_query
from app.planning.table import PlanningTable, planning_table


@dataclass(frozen=True)
class PlanningView:
    query: PlanningQuery
    errors: dict[str, str]
    coverage: Coverage
    table: PlanningTable
    stored: history.StoredView | None = None  # ?stand=: a stored snapshot, not today
    dates: list[date] = field(default_factory=list)  # the stored snapshot dates

    @property
    def kind(self) -> PlanningKind:
        return KIND_BY_SLUG[self.query.art]


def planning_view(session: Session, values: Mapping[str, str]) -> PlanningView:
    """The view for the query parameters ``values`` (the last value of each)."""
    query, errors = parse_query(dict(values), levels(session))
    cov = coverage(session, query.ebene)
    dates = history.stored_dates(session)
    stored = None
    if query.stand and query.mass in MEASURES:
        stored = history.stored_view(
            session,
            date.fromisoformat(query.stand),
            query.mass,
            [k.slug for k in KINDS],
            date.fromisoformat(query.vergleich) if query.vergleich else None,
        )
        if stored is None:
            errors["stand"] = (
                _(
                    "Für den %(date)s ist kein Stand gespeichert; der erste ist vom %(first)s.",
                    date=format_date(date.fromisoformat(query.stand)),
                    first=format_date(dates[0]),
                )
                if dates
                else _("Es ist noch kein Stand festgehalten.")
            )
        elif query.vergleich and stored.other is None:
            errors["vergleich"] = _(
                "Für den %(date)s ist kein Stand gespeichert.",
                date=format_date(date.fromisoformat(query.vergleich)),
            )
    elif query.stand:
        errors["mass"] = _("Gespeicherte Stände enthalten den Schulsozialindex nicht.")
    return PlanningView(
        query, errors, cov, planning_table(cov, query, errors), stored=stored, dates=dates
    )

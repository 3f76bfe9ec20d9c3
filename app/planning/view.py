"""What every /planung route needs: the parsed query (with its errors), the cached
coverage of the chosen level and the one table built from them."""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from app.planning.coverage import Coverage, coverage
from app.planning.kinds import KIND_BY_SLUG, PlanningKind
from app.planning.levels import levels
from app.planning.query import PlanningQuery, parse_query
from app.planning.table import PlanningTable, planning_table


@dataclass(frozen=True)
class PlanningView:
    query: PlanningQuery
    errors: dict[str, str]
    coverage: Coverage
    table: PlanningTable

    @property
    def kind(self) -> PlanningKind:
        return KIND_BY_SLUG[self.query.art]


def planning_view(session: Session, values: Mapping[str, str]) -> PlanningView:
    """The view for the query parameters ``values`` (the last value of each)."""
    query, errors = parse_query(dict(values), levels(session))
    cov = coverage(session, query.ebene)
    return PlanningView(query, errors, cov, planning_table(cov, query, errors))

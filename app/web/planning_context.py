"""What every /planung route needs: the parsed query (with its errors), the cached
coverage of the chosen level, the one table built from them, and the map."""

from dataclasses import dataclass

from fastapi import Request
from sqlmodel import Session

from app.i18n import gettext as _
from app.maps.choropleth import SMALL_SPREAD, Choropleth, build_choropleth
from app.planning.coverage import AreaCoverage, Coverage, coverage
from app.planning.kinds import KIND_BY_SLUG, PlanningKind
from app.planning.levels import TOP_LEVEL, levels
from app.planning.query import CLASS_LABELS, MEASURE_LABELS, NEED, PlanningQuery, parse_query
from app.planning.table import PlanningTable, format_value, measure_value, planning_table
from app.web.numbers import format_date, format_datetime


@dataclass(frozen=True)
class PlanningView:
    query: PlanningQuery
    errors: dict[str, str]
    coverage: Coverage
    table: PlanningTable

    @property
    def kind(self) -> PlanningKind:
        return KIND_BY_SLUG[self.query.art]


def planning_view(request: Request, session: Session) -> PlanningView:
    values = {k: request.query_params.getlist(k)[-1] for k in request.query_params}
    query, errors = parse_query(values, levels(session))
    cov = coverage(session, query.ebene)
    return PlanningView(query, errors, cov, planning_table(cov, query, errors))


def map_title(view: PlanningView) -> str:
    if view.query.mass == NEED:
        return _("Schulsozialindex der Grundschulen (Mittel nach Schülerzahl)")
    return _("%(measure)s: %(kind)s", measure=MEASURE_LABELS[view.query.mass], kind=view.kind.label)


def choropleth(view: PlanningView) -> Choropleth:
    query, cov = view.query, view.coverage
    values: dict[str, tuple[float | None, str]] = {}
    for area in cov.areas:
        if query.mass == NEED:
            value = None if area.need.mean_index is None else round(area.need.mean_index, 2)
        else:
            value = measure_value(area.kinds[query.art], query.mass)
        values[area.slug] = (value, format_value(value, query.mass))
    return build_choropleth(
        [(a.slug, a.name, a.geojson) for a in cov.areas if a.geojson],
        values,
        scheme=query.klassen,
        title=map_title(view),
        method=str(CLASS_LABELS[query.klassen]),
        fmt=lambda v: format_value(v, query.mass),
        no_data=_("keine Daten") if query.mass != NEED else _("keine Schuldaten"),
        small_spread=_(
            "eine Klasse, weil die Werte weniger als %(share)s %% des größten Werts "
            "auseinanderliegen",
            share=round(SMALL_SPREAD * 100),
        ),
    )


def gap_rows(cov: Coverage, kind: str) -> list[AreaCoverage]:
    """The areas in the order of the kind's gap ranking (ranked ones only)."""
    ranked = [a for a in cov.areas if a.kinds[kind].gap.rank is not None]
    return sorted(ranked, key=lambda a: a.kinds[kind].gap.rank)


def ranking_title(cov: Coverage, kind: str) -> str:
    """The ranking's heading: a gap ranking only where places are known for every
    placed offer; otherwise it ranks buildings and says so."""
    info = cov.kinds[kind]
    if info.supply == "places":
        return _("Rangfolge der Lücken: %(kind)s", kind=info.kind.label)
    return _(
        "Rangfolge nach Zahl der Einrichtungen, nicht nach Plätzen: %(kind)s",
        kind=info.kind.label,
    )


def level_label(level: str) -> str:
    return _("Stadtbezirke") if level == TOP_LEVEL else level.replace("-", " ").title()


# Functions the planning templates call.
PAGE_HELPERS = {
    "measure": measure_value,
    "value_text": format_value,
    "datetime_text": format_datetime,
    "date_text": format_date,
    "level_label": level_label,
    "ranking_title": ranking_title,
}

"""What the /planung pages show beyond the planning view (``app.planning.view``): the
map's title and classes, the gap order, and the helpers the templates call."""

from app.i18n import gettext as _
from app.maps.choropleth import SMALL_SPREAD, Choropleth, build_choropleth
from app.numbers import format_date, format_datetime
from app.planning.coverage_model import AreaCoverage, Coverage
from app.planning.levels import TOP_LEVEL
from app.planning.query import CLASS_LABELS, MEASURE_LABELS, NEED
from app.planning.table import format_value, measure_value
from app.planning.view import PlanningView

__all__ = ["PAGE_HELPERS", "PlanningView", "choropleth", "gap_rows", "map_title"]


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

"""The search filters, each declared once (``app.search.declare`` says what a
declaration holds and derives the rest: ``Filters``, the parser, the OpenAPI model).

A new filter is one class here, added to ``FILTERS``, and its form field in
``templates/components/filter_fields/``. The text (``q``) and the place (``nahe``,
``lat``/``lon``, ``umkreis``) also rank the results, so ``search_offers`` applies them
itself; every other filter's SQL is its ``condition``.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement

from app.search.declare import (
    Filter,
    FilterErrors,
    Known,
    Parser,
    Query,
    filter_set,
    query_model,
)
from app.search.filters.hours import OpenAt
from app.search.filters.offer import Costs, Delivery, Kinds, Languages, Text
from app.search.filters.page import Language, Page
from app.search.filters.people import Accessible, Age, AgeMonths
from app.search.filters.place import (
    DEFAULT_RADIUS_M,
    Area,
    Coordinate,
    Near,
    Radius,
    district_condition,
)

__all__ = [
    "DEFAULT_RADIUS_M",
    "FILTERS",
    "FORM_FIELDS",
    "FilterErrors",
    "Filters",
    "SearchQuery",
    "conditions",
    "district_condition",
    "parse_filters",
    "unknowns",
]

# The order is that of the form, the URLs and "you searched for".
FILTERS: tuple[Filter, ...] = (
    Text(),
    Kinds(),
    Area(),
    Age(),
    AgeMonths(),
    OpenAt(),
    Costs(),
    Languages(),
    Delivery(),
    Accessible(),
    Near(),
    Coordinate("lat", 90, "Breite (WGS84), zusammen mit lon"),
    Coordinate("lon", 180, "Länge (WGS84), zusammen mit lat"),
    Radius(),
    Page(),
    Language(),
)


class Filters(filter_set(FILTERS)):  # type: ignore[misc]
    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_near(self) -> bool:
        return bool(self.nahe) or self.has_point

    @property
    def radius_m(self) -> int:
        return self.umkreis if self.umkreis is not None else DEFAULT_RADIUS_M


SearchQuery = query_model(
    FILTERS,
    "The search parameters of ``/angebote``, ``/karte`` and their twins (a URL contract):"
    " documented in the OpenAPI schema from the declarations in ``app.search.filters``.",
)


def _pair_coordinates(values: dict[str, Any], errors: dict[str, str]) -> None:
    if ("lat" in values) != ("lon" in values):
        errors["lat"] = Filters.by_name["lat"].message(None)


_parse = Parser(Filters, SearchQuery, _pair_coordinates)


def parse_filters(pairs: Iterable[tuple[str, str]], known_districts: Sequence[str]) -> Filters:
    """Read the search parameters; raise ``FilterErrors`` naming every bad one.

    Every value is checked by the rules of ``SearchQuery``; what the user typed is kept
    in ``Filters.raw`` so the form shows it again beside its message.
    """
    return _parse(pairs, Known(districts=known_districts))


# The form's fields, one template each (``components/filters.html`` includes them).
FORM_FIELDS = tuple(f for f in FILTERS if f.template)


def conditions(filters: Filters, ctx: Query) -> list[ColumnElement[bool]]:
    """The SQL conditions of every filter that has one."""
    found = (f.condition(filters[f.name], ctx) for f in FILTERS if f.kept)
    return [c for c in found if c is not None]


def unknowns(filters: Filters, ctx: Query) -> list[tuple[str, ColumnElement[bool]]]:
    """(name, condition) of the offers kept although a filter's fact is unknown."""
    found = ((f.name, f.unknown(filters[f.name], ctx)) for f in FILTERS if f.kept)
    return [(name, c) for name, c in found if c is not None]

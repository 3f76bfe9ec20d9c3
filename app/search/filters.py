"""The search filters, each declared once (``app.search.declare`` says what a
declaration holds and derives the rest: ``Filters``, the parser, the OpenAPI model).

A new filter is one class here, added to ``FILTERS``, and its form field in
``templates/components/filter_fields/``. The text (``q``) and the place (``nahe``,
``lat``/``lon``, ``umkreis``) also rank the results, so ``search_offers`` applies them
itself; every other filter's SQL is its ``condition``.
"""

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import ColumnElement, and_, exists, or_
from sqlmodel import select

from app.catalogue.categories import BY_SLUG, SLUGS
from app.i18n import gettext as _
from app.models import District, Offer, OfferCategory
from app.search.declare import (
    BadValue,
    Clock,
    Described,
    Filter,
    FilterErrors,
    Known,
    Parser,
    filter_set,
    query_model,
)
from app.search.wording import format_distance

__all__ = ["FilterErrors", "Filters", "SearchQuery", "parse_filters"]

DEFAULT_RADIUS_M = 2000
MAX_RADIUS_M = 50_000
MAX_QUERY_LENGTH = 200
MAX_PAGE = 100_000
MAX_AGE = 120

_TRUE = {"1", "true", "ja", "on", "yes"}
_FALSE = {"", "0", "false", "nein", "off", "no"}


def district_condition(slug: str) -> ColumnElement[bool]:
    """Offers of the district ``slug`` or of one of its children."""
    child = select(District.slug).where(District.parent_slug == slug)
    return or_(Offer.district_slug == slug, Offer.district_slug.in_(child))


class Text(Filter):
    name = "q"
    template = "components/filter_fields/q.html"

    def field(self) -> Any:
        return Field("", max_length=MAX_QUERY_LENGTH, description="Suchbegriff (Wortanfänge)")

    def message(self, given: Any) -> str:
        return _("Der Suchbegriff ist zu lang (höchstens %(n)s Zeichen).", n=MAX_QUERY_LENGTH)

    def fallback(self, given: Any) -> Any:
        return str(given)[:MAX_QUERY_LENGTH]

    def sentence(self, value: str, ctx: Described) -> str | None:
        return _("mit „%(q)s“", q=value) if value else None

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        if not filters.q:
            return []
        return [(_("Suchbegriff „%(q)s“ entfernen", q=filters.q), filters.without("q"))]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        # Not a link: a shorter word is for the parent to choose.
        return (_("ein anderes oder kürzeres Wort, zum Beispiel nur den Anfang eines Namens"), "")


class Kinds(Filter):
    """The kinds of offer; "you searched for" names them with the number
    (``app.search.wording.describe``)."""

    name = "kategorie"
    annotation = list[Literal[SLUGS]]  # type: ignore[valid-type]
    default = ()
    many = True
    template = "components/filter_fields/kategorie.html"

    def field(self) -> Any:
        return Field(default_factory=list, description="Art des Angebots (wiederholbar)")

    def message(self, given: Any) -> str:
        unknown = next((v for v in given if v not in SLUGS), "")
        return _("Die Kategorie „%(value)s“ gibt es nicht.", value=unknown)

    def fallback(self, given: Any) -> Any:
        return [v for v in given if v in SLUGS]

    def condition(self, value: tuple[str, ...], clock: Clock) -> ColumnElement[bool] | None:
        if not value:
            return None
        return exists().where(OfferCategory.offer_id == Offer.id, OfferCategory.category.in_(value))

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        return [
            (_("%(kind)s entfernen", kind=BY_SLUG[k].plural), filters.without("kategorie", k))
            for k in filters.kategorie
        ]


class Area(Filter):
    name = "bezirk"
    template = "components/filter_fields/bezirk.html"

    def field(self) -> Any:
        return Field(
            "",
            max_length=80,
            pattern=r"^\s*[a-z0-9-]*\s*$",
            description="Bezirk (Kurzname wie auf /bezirke)",
        )

    def message(self, given: Any) -> str:
        return _("Den Bezirk gibt es nicht.")

    def check(self, value: str, known: Known) -> str | None:
        if value and value not in known.districts:
            return _("Den Bezirk „%(value)s“ gibt es nicht.", value=value)
        return None

    def condition(self, value: str, clock: Clock) -> ColumnElement[bool] | None:
        return district_condition(value) if value else None

    def sentence(self, value: str, ctx: Described) -> str | None:
        if not value:
            return None
        return _("in %(district)s", district=ctx.districts.get(value, value))

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        if not filters.bezirk:
            return []
        name = ctx.districts.get(filters.bezirk, filters.bezirk)
        return [(_("Bezirk %(name)s entfernen", name=name), filters.without("bezirk"))]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (_("in allen Bezirken suchen"), filters.without("bezirk"))


class Near(Filter):
    """The place as typed; with ``lat``/``lon`` (the browser's location) and
    ``umkreis`` one filter: "in der Nähe"."""

    name = "nahe"
    template = "components/near_fields.html"

    def field(self) -> Any:
        return Field(
            "",
            max_length=MAX_QUERY_LENGTH,
            description="Postleitzahl, Straße, Stadtteil oder Bezirk",
        )

    def message(self, given: Any) -> str:
        return _("Der Ort ist zu lang (höchstens %(n)s Zeichen).", n=MAX_QUERY_LENGTH)

    def fallback(self, given: Any) -> Any:
        return str(given)[:MAX_QUERY_LENGTH]

    def count(self, filters: Any) -> int:
        return int(filters.is_near)

    def removed(self, filters: Any) -> dict[str, Any]:
        return {"nahe": "", "lat": None, "lon": None, "umkreis": None}

    def sentence(self, value: str, ctx: Described) -> str | None:
        result, districts, place = ctx.result, ctx.districts, ctx.place
        near = result.place
        radius = format_distance(result.radius_m or result.filters.radius_m)
        if near is not None and near.is_city:
            return _("in ganz Bochum")
        if near is not None and near.kind == "stadtteil" and not place:
            return _(
                "im Umkreis von %(radius)s um den Ortsmittelpunkt von %(place)s",
                radius=radius,
                place=near.label,
            )
        if near is not None and result.radius_m is None and near.plz:
            return _(
                "im Postleitzahlgebiet %(plz)s (nach Entfernung von seiner Mitte)", plz=near.plz
            )
        if near is not None and result.radius_m is None and near.district:
            return _(
                "im Stadtbezirk %(district)s (nach Entfernung von seiner Mitte)",
                district=districts.get(near.district, near.label),
            )
        if place or near is not None:
            return _(
                "im Umkreis von %(radius)s um %(place)s",
                radius=radius,
                place=place or near.label,
            )
        return None

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        if not filters.is_near:
            return []
        label = (
            _("Ort „%(place)s“ entfernen", place=filters.nahe)
            if filters.nahe
            else _("Standort entfernen")
        )
        return [(label, filters.without("nahe"))]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return None  # the page offers a wider radius instead (it knows the place)


class Coordinate(Filter):
    """``lat`` and ``lon``: the browser's location, always together."""

    annotation = float | None
    default = None
    keep_typed = True
    error_key = "lat"

    def __init__(self, name: str, limit: int, description: str) -> None:
        self.name = name
        self.limit = limit
        self.description = description

    def field(self) -> Any:
        return Field(
            None,
            ge=-self.limit,
            le=self.limit,
            allow_inf_nan=False,
            description=self.description,
        )

    def message(self, given: Any) -> str:
        return _(
            "Breite (lat) und Länge (lon) müssen beide als Dezimalzahlen "
            "angegeben werden, zum Beispiel lat=51.48&lon=7.22."
        )

    def clears(self) -> tuple[str, ...]:
        return ("lat", "lon")

    def count(self, filters: Any) -> int:
        return 0  # counted once, as "nahe"

    def strings(self, value: Any, filters: Any) -> list[str]:
        if filters.nahe or not filters.has_point:
            return []
        return [f"{value:.6f}"]


class Radius(Filter):
    name = "umkreis"
    annotation = int | None
    default = None
    keep_typed = True

    def field(self) -> Any:
        return Field(None, ge=1, le=MAX_RADIUS_M, description="Umkreis in Metern")

    def message(self, given: Any) -> str:
        return _(
            "Der Umkreis muss eine Zahl in Metern zwischen 1 und %(max)s sein.", max=MAX_RADIUS_M
        )

    def count(self, filters: Any) -> int:
        return 0  # counted once, as "nahe"

    def strings(self, value: Any, filters: Any) -> list[str]:
        return [str(value)] if filters.is_near and value is not None else []


class Age(Filter):
    name = "alter"
    annotation = int | None
    default = None
    keep_typed = True
    template = "components/filter_fields/alter.html"

    def field(self) -> Any:
        return Field(None, ge=0, le=MAX_AGE, description="Alter in Jahren")

    def message(self, given: Any) -> str:
        return _("Das Alter muss eine ganze Zahl in Jahren sein, zum Beispiel 3.")

    def is_set(self, value: Any) -> bool:
        return value is not None

    def condition(self, value: int | None, clock: Clock) -> ColumnElement[bool] | None:
        if value is None:
            return None
        return and_(
            or_(Offer.age_min.is_(None), Offer.age_min <= value),
            or_(Offer.age_max.is_(None), Offer.age_max >= value),
        )

    def unknown(self, value: int | None, clock: Clock) -> ColumnElement[bool] | None:
        if value is None:
            return None
        return and_(Offer.age_min.is_(None), Offer.age_max.is_(None))

    def unknown_label(self) -> str:
        return _("Alter nicht angegeben")

    def sentence(self, value: int | None, ctx: Described) -> str | None:
        return None if value is None else _("für %(age)s-Jährige", age=value)

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        if filters.alter is None:
            return []
        return [(_("Alter %(age)s entfernen", age=filters.alter), filters.without("alter"))]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (_("ohne Altersangabe suchen"), filters.without("alter"))


class Accessible(Filter):
    name = "barrierefrei"
    annotation = bool
    default = False
    template = "components/filter_fields/barrierefrei.html"

    def field(self) -> Any:
        return Field(False, description="nur Angebote mit Angaben zur Barrierefreiheit")

    def read(self, strings: list[str]) -> Any:
        value = (strings or [""])[-1].strip().lower()
        if value not in _TRUE | _FALSE:
            raise BadValue(_("„Nur barrierefreie Angebote“ ist 1 (ja) oder 0 (nein)."))
        return value in _TRUE

    def strings(self, value: Any, filters: Any) -> list[str]:
        return ["1"] if value else []

    def condition(self, value: bool, clock: Clock) -> ColumnElement[bool] | None:
        return Offer.barrier_free.is_(True) if value else None

    def sentence(self, value: bool, ctx: Described) -> str | None:
        return _("barrierefrei") if value else None

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        if not filters.barrierefrei:
            return []
        return [(_("„barrierefrei“ entfernen"), filters.without("barrierefrei"))]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (
            _("auch Angebote ohne Angabe zur Barrierefreiheit"),
            filters.without("barrierefrei"),
        )


class Page(Filter):
    name = "seite"
    annotation = int
    default = 1
    keep_typed = True

    def field(self) -> Any:
        return Field(1, ge=1, le=MAX_PAGE, description="Seite der Ergebnisliste")

    def message(self, given: Any) -> str:
        return _("Die Seite muss eine Zahl ab 1 sein.")

    def is_set(self, value: Any) -> bool:
        return value != 1

    def count(self, filters: Any) -> int:
        return 0


class Language(Filter):
    """The page's language: documented and checked here, read by the middleware."""

    name = "lang"
    annotation = Literal["de", "en"] | None
    default = None
    kept = False

    def field(self) -> Any:
        return Field(None, description="Sprache der Seite")

    def message(self, given: Any) -> str:
        return _("Die Sprache muss „de“ oder „en“ sein.")


# The order is that of the form, the URLs and "you searched for".
FILTERS: tuple[Filter, ...] = (
    Text(),
    Kinds(),
    Area(),
    Age(),
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


def conditions(filters: Filters, clock: Clock) -> list[ColumnElement[bool]]:
    """The SQL conditions of every filter that has one."""
    found = (f.condition(filters[f.name], clock) for f in FILTERS if f.kept)
    return [c for c in found if c is not None]


def unknowns(filters: Filters, clock: Clock) -> list[tuple[str, ColumnElement[bool]]]:
    """(name, condition) of the offers kept although a filter's fact is unknown."""
    found = ((f.name, f.unknown(filters[f.name], clock)) for f in FILTERS if f.kept)
    return [(name, c) for name, c in found if c is not None]

"""Where: the district and the place (typed, or the browser's point, and the radius)."""

from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, or_
from sqlmodel import select

from app.i18n import gettext as _
from app.models import District, Offer
from app.search.declare import Described, Filter, Known, Query
from app.search.filters.base import MAX_QUERY_LENGTH
from app.search.wording import format_distance

DEFAULT_RADIUS_M = 2000
MAX_RADIUS_M = 50_000


def district_condition(slug: str) -> ColumnElement[bool]:
    """Offers of the district ``slug`` or of one of its children."""
    child = select(District.slug).where(District.parent_slug == slug)
    return or_(Offer.district_slug == slug, Offer.district_slug.in_(child))


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

    def condition(self, value: str, ctx: Query) -> ColumnElement[bool] | None:
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

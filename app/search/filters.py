"""The search filters, each declared once (``app.search.declare`` says what a
declaration holds and derives the rest: ``Filters``, the parser, the OpenAPI model).

A new filter is one class here, added to ``FILTERS``, and its form field in
``templates/components/filter_fields/``. The text (``q``) and the place (``nahe``,
``lat``/``lon``, ``umkreis``) also rank the results, so ``search_offers`` applies them
itself; every other filter's SQL is its ``condition``.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints
from sqlalchemy import ColumnElement, and_, exists, func, or_
from sqlmodel import select

from app.catalogue import languages, opening
from app.catalogue.categories import BY_SLUG, SLUGS
from app.catalogue.hours import WEEKDAYS
from app.i18n import gettext as _
from app.i18n import ngettext
from app.models import District, Offer, OfferCategory
from app.search.declare import (
    UNSET,
    BadValue,
    Described,
    Filter,
    FilterErrors,
    Known,
    Parser,
    Query,
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

    def condition(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool] | None:
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

    def condition(self, value: int | None, ctx: Query) -> ColumnElement[bool] | None:
        if value is None:
            return None
        return and_(
            or_(Offer.age_min.is_(None), Offer.age_min <= value),
            or_(Offer.age_max.is_(None), Offer.age_max >= value),
        )

    def unknown(self, value: int | None, ctx: Query) -> ColumnElement[bool] | None:
        if value is None:
            return None
        return and_(Offer.age_min.is_(None), Offer.age_max.is_(None))

    def unknown_label(self) -> str:
        return _("Alter nicht angegeben")

    def sentence(self, value: int | None, ctx: Described) -> str | None:
        if value == 0:
            return _("für Babys unter 1 Jahr")
        return None if value is None else _("für %(age)s-Jährige", age=value)

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        if filters.alter is None:
            return []
        return [(_("Alter %(age)s entfernen", age=filters.alter), filters.without("alter"))]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (_("ohne Altersangabe suchen"), filters.without("alter"))


def _accessibility_facts() -> dict[str, tuple[Any, str]]:
    """The values of ``barrierefrei``: "1" the summary, the rest one fact each."""
    return {
        "1": (Offer.barrier_free, _("barrierefrei")),
        "stufenlos": (Offer.step_free_entrance, _("mit stufenlosem Eingang")),
        "wc": (Offer.accessible_toilet, _("mit barrierefreiem WC")),
        "aufzug": (Offer.lift, _("mit Aufzug")),
        "induktionsschleife": (Offer.induction_loop, _("mit Induktionsschleife")),
        "leichte-sprache": (Offer.easy_language, _("mit Informationen in Leichter Sprache")),
    }


ACCESSIBILITY_VALUES = ("1", "stufenlos", "wc", "aufzug", "induktionsschleife", "leichte-sprache")


class Accessible(Filter):
    """``barrierefrei=1``: the summary; ``barrierefrei=aufzug`` (repeatable): each
    structured fact. Every value asked for must be stated as present."""

    name = "barrierefrei"
    annotation = list[Literal[ACCESSIBILITY_VALUES]]  # type: ignore[valid-type]
    default = ()
    many = True
    template = "components/filter_fields/barrierefrei.html"

    def field(self) -> Any:
        return Field(
            default_factory=list,
            description="1: nur barrierefreie Angebote; stufenlos, wc, aufzug, "
            "induktionsschleife, leichte-sprache: je eine Angabe (wiederholbar)",
        )

    def normalise(self, value: Any) -> Any:
        if value is True:
            return ("1",)
        if value in (False, None):
            return ()
        return (value,) if isinstance(value, str) else tuple(value)

    def read(self, strings: list[str]) -> Any:
        values = []
        for s in strings:
            v = s.strip().lower()
            if v in _TRUE:
                values.append("1")
            elif v in _FALSE:
                continue
            elif v in ACCESSIBILITY_VALUES:
                values.append(v)
            else:
                raise BadValue(self.message(v))
        return values

    def labels(self) -> dict[str, str]:
        """The form's words for each fact."""
        return {
            "stufenlos": _("Stufenloser Eingang"),
            "wc": _("Barrierefreies WC"),
            "aufzug": _("Aufzug"),
            "induktionsschleife": _("Induktionsschleife"),
            "leichte-sprache": _("Informationen in Leichter Sprache"),
        }

    def message(self, given: Any) -> str:
        return _(
            "„Barrierefrei“ ist 1 (ja), 0 (nein) oder eine Angabe: stufenlos, wc, aufzug, "
            "induktionsschleife, leichte-sprache."
        )

    def condition(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool] | None:
        if not value:
            return None
        facts = _accessibility_facts()
        return and_(*(facts[v][0].is_(True) for v in value))

    def sentence(self, value: tuple[str, ...], ctx: Described) -> str | None:
        facts = _accessibility_facts()
        return " ".join(str(facts[v][1]) for v in value) or None

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        facts = _accessibility_facts()
        return [
            (
                _("„barrierefrei“ entfernen")
                if v == "1"
                else _("„%(fact)s“ entfernen", fact=facts[v][1]),
                filters.without("barrierefrei", v),
            )
            for v in filters.barrierefrei
        ]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (
            _("auch Angebote ohne Angabe zur Barrierefreiheit"),
            filters.without("barrierefrei"),
        )


WEEKDAY_SLUGS = ("mo", "di", "mi", "do", "fr", "sa", "so")
_OPEN = re.compile(r"^(jetzt|mo|di|mi|do|fr|sa|so)(?:-([01]\d|2[0-3]):([0-5]\d))?$")


class OpenAt(Filter):
    """``geoeffnet=jetzt``, ``=mo`` … ``=so`` (the next such day), ``=mo-10:00``: open
    at that moment in Europe/Berlin, with exceptions and NRW holidays. Offers without
    hours are listed apart ("Öffnungszeiten unbekannt")."""

    name = "geoeffnet"
    clock = True
    template = "components/filter_fields/geoeffnet.html"

    def field(self) -> Any:
        return Field(
            "",
            max_length=20,
            pattern=r"^\s*(jetzt|mo|di|mi|do|fr|sa|so)(-([01]\d|2[0-3]):[0-5]\d)?\s*$",
            description="jetzt, ein Wochentag (mo … so) oder Wochentag und Uhrzeit "
            "(mo-10:00): geöffnet zu dieser Zeit (Europe/Berlin)",
        )

    def read(self, strings: list[str]) -> Any:
        value = super().read(strings)
        return value if value is UNSET else value.lower()

    def message(self, given: Any) -> str:
        return _(
            "„Geöffnet“ ist jetzt, ein Wochentag (mo, di, mi, do, fr, sa, so) oder ein "
            "Wochentag mit Uhrzeit, zum Beispiel mo-10:00."
        )

    def check(self, value: str, known: Known) -> str | None:
        if value.startswith("jetzt-"):
            return self.message(value)
        return None

    def moment(self, value: str, now: datetime) -> tuple[date, time | None]:
        """The day and time (None: any time of the day) ``value`` asks about."""
        m = _OPEN.match(value)
        assert m is not None
        if m.group(1) == "jetzt":
            return now.date(), now.time()
        ahead = (WEEKDAY_SLUGS.index(m.group(1)) - now.weekday()) % 7
        if m.group(2) is None:
            return now.date() + timedelta(days=ahead), None
        at = time(int(m.group(2)), int(m.group(3)))
        if ahead == 0 and at < now.time().replace(second=0, microsecond=0):
            ahead = 7
        return now.date() + timedelta(days=ahead), at

    def condition(self, value: str, ctx: Query) -> ColumnElement[bool] | None:
        if not value:
            return None
        return or_(opening.open_sql(*self.moment(value, ctx.now)), opening.no_hours_sql())

    def unknown(self, value: str, ctx: Query) -> ColumnElement[bool] | None:
        return opening.no_hours_sql() if value else None

    def unknown_label(self) -> str:
        return _("Öffnungszeiten unbekannt")

    def words(self, value: str) -> str:
        m = _OPEN.match(value)
        if m is None:
            return value
        if m.group(1) == "jetzt":
            return _("jetzt geöffnet")
        day = WEEKDAYS[WEEKDAY_SLUGS.index(m.group(1))]
        if m.group(2) is None:
            return _("geöffnet am %(day)s", day=day)
        return _("geöffnet am %(day)s um %(time)s", day=day, time=f"{m.group(2)}:{m.group(3)}")

    def sentence(self, value: str, ctx: Described) -> str | None:
        return self.words(value) if value else None

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        if not filters.geoeffnet:
            return []
        label = _("„%(what)s“ entfernen", what=self.words(filters.geoeffnet))
        return [(label, filters.without("geoeffnet"))]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (_("auch geschlossene Angebote"), filters.without("geoeffnet"))


class Costs(Filter):
    """``kosten=frei``: free of charge, as staff set it (``costs_kind``); offers whose
    costs are not stated are listed apart."""

    name = "kosten"
    annotation = Literal["frei"] | None
    default = None
    template = "components/filter_fields/kosten.html"

    def field(self) -> Any:
        return Field(None, description="frei: nur kostenlose Angebote")

    def message(self, given: Any) -> str:
        return _("„Kosten“ ist frei (nur kostenlose Angebote).")

    def condition(self, value: str | None, ctx: Query) -> ColumnElement[bool] | None:
        if value is None:
            return None
        return or_(Offer.costs_kind == value, Offer.costs_kind.is_(None))

    def unknown(self, value: str | None, ctx: Query) -> ColumnElement[bool] | None:
        return Offer.costs_kind.is_(None) if value else None

    def unknown_label(self) -> str:
        return _("Kosten nicht angegeben")

    def sentence(self, value: str | None, ctx: Described) -> str | None:
        return _("kostenlos") if value else None

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        return [(_("„kostenlos“ entfernen"), filters.without("kosten"))] if filters.kosten else []

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (_("auch Angebote mit Kosten"), filters.without("kosten"))


class Languages(Filter):
    """``sprache=tr`` (ISO 639-1, repeatable): offers given in one of these languages;
    offers that name no language are listed apart."""

    name = "sprache"
    annotation = list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]]
    default = ()
    many = True
    template = "components/filter_fields/sprache.html"

    def field(self) -> Any:
        return Field(
            default_factory=list,
            description="Sprache des Angebots, Code nach ISO 639-1 wie tr, ar, uk "
            "(wiederholbar: eine davon)",
        )

    def read(self, strings: list[str]) -> Any:
        return [s.strip().lower() for s in strings if s.strip()]

    def message(self, given: Any) -> str:
        bad = next((v for v in given if not languages.is_code(v)), given[0] if given else "")
        return _(
            "„%(value)s“ ist kein Sprachcode nach ISO 639-1 (zum Beispiel tr für Türkisch).",
            value=bad,
        )

    def check(self, value: tuple[str, ...], known: Known) -> str | None:
        bad = [v for v in value if not languages.is_code(v)]
        return self.message(bad) if bad else None

    def choices(self, session: Any) -> Any:
        return [(code, languages.label(code)) for code in languages.codes_in_use(session)]

    def condition(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool] | None:
        if not value:
            return None
        names = [n for code in value for n in languages.names_of(code)]
        return or_(
            ctx.backend.list_has_any(Offer.languages, names),
            ~ctx.backend.list_has_any(Offer.languages, None),
        )

    def unknown(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool] | None:
        return ~ctx.backend.list_has_any(Offer.languages, None) if value else None

    def unknown_label(self) -> str:
        return _("Sprachen nicht angegeben")

    def sentence(self, value: tuple[str, ...], ctx: Described) -> str | None:
        if not value:
            return None
        return _("auf %(languages)s", languages=", ".join(languages.label(c) for c in value))

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        return [
            (
                _("Sprache %(name)s entfernen", name=languages.label(c)),
                filters.without("sprache", c),
            )
            for c in filters.sprache
        ]


def delivery_labels() -> dict[str, str]:
    return {
        "vor-ort": _("vor Ort"),
        "online": _("online"),
        "telefon": _("am Telefon"),
        "aufsuchend": _("kommt zu Ihnen (aufsuchend)"),
    }


class Delivery(Filter):
    """``angebotsform=vor-ort|online|telefon|aufsuchend`` (repeatable: one of them);
    offers whose form staff have not set are listed apart."""

    name = "angebotsform"
    annotation = list[Literal["vor-ort", "online", "telefon", "aufsuchend"]]
    default = ()
    many = True
    template = "components/filter_fields/angebotsform.html"

    def field(self) -> Any:
        return Field(
            default_factory=list,
            description="vor-ort, online, telefon, aufsuchend (kommt zur Familie); "
            "wiederholbar: eine davon",
        )

    def message(self, given: Any) -> str:
        return _("Die Angebotsform ist vor-ort, online, telefon oder aufsuchend.")

    def labels(self) -> dict[str, str]:
        return delivery_labels()

    def condition(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool] | None:
        if not value:
            return None
        return or_(
            ctx.backend.list_has_any(Offer.delivery, list(value)),
            ~ctx.backend.list_has_any(Offer.delivery, None),
        )

    def unknown(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool] | None:
        return ~ctx.backend.list_has_any(Offer.delivery, None) if value else None

    def unknown_label(self) -> str:
        return _("Angebotsform nicht angegeben")

    def sentence(self, value: tuple[str, ...], ctx: Described) -> str | None:
        if not value:
            return None
        labels = delivery_labels()
        return " / ".join(labels[v] for v in value)

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        labels = delivery_labels()
        return [
            (_("„%(what)s“ entfernen", what=labels[v]), filters.without("angebotsform", v))
            for v in filters.angebotsform
        ]


MAX_AGE_MONTHS = 216


class AgeMonths(Filter):
    """``alter_monate=4``: a baby's or toddler's age in months; offers stating ages in
    months are matched by them, the others by their years."""

    name = "alter_monate"
    annotation = int | None
    default = None
    keep_typed = True
    template = "components/filter_fields/alter_monate.html"

    def field(self) -> Any:
        return Field(None, ge=0, le=MAX_AGE_MONTHS, description="Alter in Monaten (für Babys)")

    def message(self, given: Any) -> str:
        return _(
            "Das Alter in Monaten ist eine ganze Zahl von 0 bis %(max)s, zum Beispiel 4.",
            max=MAX_AGE_MONTHS,
        )

    def is_set(self, value: Any) -> bool:
        return value is not None

    def condition(self, value: int | None, ctx: Query) -> ColumnElement[bool] | None:
        if value is None:
            return None
        youngest = func.coalesce(Offer.age_min_months, Offer.age_min * 12)
        oldest = func.coalesce(Offer.age_max_months, Offer.age_max * 12 + 11)
        return and_(
            or_(youngest.is_(None), youngest <= value),
            or_(oldest.is_(None), oldest >= value),
        )

    def unknown(self, value: int | None, ctx: Query) -> ColumnElement[bool] | None:
        if value is None:
            return None
        return and_(Offer.age_min.is_(None), Offer.age_max.is_(None))

    def unknown_label(self) -> str:
        return _("Alter nicht angegeben")

    def sentence(self, value: int | None, ctx: Described) -> str | None:
        if value is None:
            return None
        return ngettext("für Kinder von %(num)s Monat", "für Kinder von %(num)s Monaten", value)

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        if filters.alter_monate is None:
            return []
        label = ngettext(
            "Alter %(num)s Monat entfernen", "Alter %(num)s Monate entfernen", filters.alter_monate
        )
        return [(label, filters.without("alter_monate"))]

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (_("ohne Alter in Monaten suchen"), filters.without("alter_monate"))


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

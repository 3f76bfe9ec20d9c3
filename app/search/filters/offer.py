"""What: the words, the kinds of offer, the costs, the languages and the form of the offer."""

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints
from sqlalchemy import ColumnElement, exists, select

from app.catalogue import languages
from app.i18n import gettext as _
from app.models import Offer, OfferCategory
from app.models.categories import BY_SLUG, SLUGS
from app.search.declare import Described, Filter, Known, Query
from app.search.filters.base import MAX_QUERY_LENGTH, ListedApart


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
        """The same offers either way: kinds with few offers (``ctx.rare_kinds``)
        as the list of their offers, which the database reads by its kind index and
        starts from (a search for playgrounds near a point among 100,000 Kitas: 42 ->
        12 ms); a common kind as a test of each candidate (as a list, the 100,000 Kitas
        would be gathered first: 42 -> 144 ms)."""
        if not value:
            return None
        if set(value) <= ctx.rare_kinds:
            return Offer.id.in_(
                select(OfferCategory.offer_id).where(OfferCategory.category.in_(value))
            )
        return exists().where(OfferCategory.offer_id == Offer.id, OfferCategory.category.in_(value))

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        return [
            (_("%(kind)s entfernen", kind=BY_SLUG[k].plural), filters.without("kategorie", k))
            for k in filters.kategorie
        ]


class Costs(ListedApart):
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

    def matches(self, value: str, ctx: Query) -> ColumnElement[bool]:
        return Offer.costs_kind == value

    def missing(self, value: str, ctx: Query) -> ColumnElement[bool]:
        return Offer.costs_kind.is_(None)

    def unknown_label(self) -> str:
        return _("Kosten nicht angegeben")

    def sentence(self, value: str | None, ctx: Described) -> str | None:
        return _("kostenlos") if value else None

    def chips(self, filters: Any, ctx: Described) -> list[tuple[str, str]]:
        return [(_("„kostenlos“ entfernen"), filters.without("kosten"))] if filters.kosten else []

    def relax(self, filters: Any) -> tuple[str, str] | None:
        return (_("auch Angebote mit Kosten"), filters.without("kosten"))


class Languages(ListedApart):
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

    def matches(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool]:
        names = [n for code in value for n in languages.names_of(code)]
        return ctx.backend.list_has_any(Offer.languages, names)

    def missing(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool]:
        return ~ctx.backend.list_has_any(Offer.languages, None)

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


class Delivery(ListedApart):
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

    def matches(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool]:
        return ctx.backend.list_has_any(Offer.delivery, list(value))

    def missing(self, value: tuple[str, ...], ctx: Query) -> ColumnElement[bool]:
        return ~ctx.backend.list_has_any(Offer.delivery, None)

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

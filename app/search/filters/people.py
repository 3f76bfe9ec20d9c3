"""Who: the child's age (in years or months) and the accessibility a family needs."""

from typing import Any, Literal

from pydantic import Field
from sqlalchemy import ColumnElement, and_, func, or_

from app.i18n import gettext as _
from app.i18n import ngettext
from app.models import Offer
from app.search.declare import UNSET, BadValue, Described, Filter, Query
from app.search.filters.base import FALSE_WORDS, TRUE_WORDS, ListedApart

MAX_AGE = 120
MAX_AGE_MONTHS = 216


class AgeRange(ListedApart):
    """An age the offer's range must hold; a range open at one end holds every age on
    that side, and offers that state no age at all are listed apart."""

    annotation = int | None
    default = None
    keep_typed = True

    def bounds(self) -> tuple[Any, Any]:
        """The offer's youngest and oldest age, in this filter's unit."""
        raise NotImplementedError

    def read(self, strings: list[str]) -> Any:
        # A whole number as declared ("4"); pydantic would also take "4.0" or "0.0"
        # (found by `make fuzz`: the schema says integer, the answer was a 200).
        value = super().read(strings)
        if value is not UNSET and not (value.isascii() and value.isdigit()):
            raise BadValue(self.message(value))
        return value

    def is_set(self, value: Any) -> bool:
        return value is not None

    def condition(self, value: int | None, ctx: Query) -> ColumnElement[bool] | None:
        # The open bounds already keep the offers without an age: no second OR.
        return None if value is None else self.matches(value, ctx)

    def matches(self, value: int, ctx: Query) -> ColumnElement[bool]:
        youngest, oldest = self.bounds()
        return and_(
            or_(youngest.is_(None), youngest <= value),
            or_(oldest.is_(None), oldest >= value),
        )

    def missing(self, value: int, ctx: Query) -> ColumnElement[bool]:
        return and_(Offer.age_min.is_(None), Offer.age_max.is_(None))

    def unknown_label(self) -> str:
        return _("Alter nicht angegeben")


class Age(AgeRange):
    name = "alter"
    template = "components/filter_fields/alter.html"

    def field(self) -> Any:
        return Field(None, ge=0, le=MAX_AGE, description="Alter in Jahren")

    def message(self, given: Any) -> str:
        return _("Das Alter muss eine ganze Zahl in Jahren sein, zum Beispiel 3.")

    def bounds(self) -> tuple[Any, Any]:
        return Offer.age_min, Offer.age_max

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


class AgeMonths(AgeRange):
    """``alter_monate=4``: a baby's or toddler's age in months; offers stating ages in
    months are matched by them, the others by their years."""

    name = "alter_monate"
    template = "components/filter_fields/alter_monate.html"

    def field(self) -> Any:
        return Field(None, ge=0, le=MAX_AGE_MONTHS, description="Alter in Monaten (für Babys)")

    def message(self, given: Any) -> str:
        return _(
            "Das Alter in Monaten ist eine ganze Zahl von 0 bis %(max)s, zum Beispiel 4.",
            max=MAX_AGE_MONTHS,
        )

    def bounds(self) -> tuple[Any, Any]:
        return (
            func.coalesce(Offer.age_min_months, Offer.age_min * 12),
            func.coalesce(Offer.age_max_months, Offer.age_max * 12 + 11),
        )

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
YES_NO_WORDS = tuple(sorted((TRUE_WORDS | FALSE_WORDS) - {"", "1"}))


class Accessible(Filter):
    """``barrierefrei=1``: the summary; ``barrierefrei=aufzug`` (repeatable): each
    structured fact. Every value asked for must be stated as present."""

    name = "barrierefrei"
    # The words for yes and no are accepted too (read maps them), so the schema says so.
    annotation = list[Literal[ACCESSIBILITY_VALUES + YES_NO_WORDS]]  # type: ignore[valid-type]
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
            if v in TRUE_WORDS:
                values.append("1")
            elif v in FALSE_WORDS:
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

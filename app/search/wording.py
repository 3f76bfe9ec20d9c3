"""The search in words, and distances as people read them.

"12 Kitas in Wattenscheid für 3-Jährige", "1,2 km", "etwa 16 Minuten zu Fuß".
"""

from typing import TYPE_CHECKING

from babel.numbers import format_decimal

from app.i18n import get_locale, ngettext
from app.i18n import gettext as _
from app.models.categories import BY_SLUG
from app.numbers import format_number
from app.search.declare import Described

if TYPE_CHECKING:
    from app.search.result import SearchResult


def describe(result: "SearchResult", districts: dict[str, str], place: str | None = None) -> str:
    """The search in words: "12 Kitas in Wattenscheid für 3-Jährige": the number and
    the kinds, then each set filter's own words (its ``sentence``). The number is that
    of the offers known to match; those listed apart (a fact the filter asks about is
    unknown) are counted after it: "184 Angebote jetzt geöffnet, dazu 100 gesondert
    (Öffnungszeiten unbekannt)", as the page lists them."""
    f = result.filters
    n = result.known_total
    if result.total_at_least:
        # The count stopped there (a search around a phone's position): "mehr als 1.000".
        more = _("mehr als %(num)s", num=format_number(n))
        if len(f.kategorie) == 1:
            what = f"{more} {BY_SLUG[f.kategorie[0]].plural}"
        else:
            what = _("%(more)s Angebote", more=more)
    elif len(f.kategorie) == 1:
        cat = BY_SLUG[f.kategorie[0]]
        what = f"{n} {cat.label if n == 1 else cat.plural}"
    else:
        what = ngettext("%(num)s Angebot", "%(num)s Angebote", n)
    if len(f.kategorie) > 1:
        what += " (" + ", ".join(str(BY_SLUG[k].plural) for k in f.kategorie) + ")"
    ctx = Described(result, districts, place)
    words = (d.sentence(f[d.name], ctx) for d in f.declared if d.kept)
    sentence = " ".join([what, *(w for w in words if w)])
    if not result.apart_total:
        return sentence
    labels = result.apart_labels
    label = labels[0][0] if len(labels) == 1 else _("Nicht alle Angaben bekannt")
    apart = _("dazu %(num)s gesondert (%(label)s)", num=result.apart_total, label=label)
    return f"{sentence}, {apart}"


def format_distance(metres: float) -> str:
    """In the page's locale: "850 m", "1,2 km" (German) or "1.2 km" (English)."""
    if metres < 1000:
        return f"{int(round(metres, -1))} m"
    return format_decimal(round(metres / 1000, 1), format="0.0", locale=get_locale()) + " km"


WALKING_SPEED_KMH = 4.5


def walking_minutes(metres: float) -> int:
    """Estimated walking time at 4.5 km/h (straight line; real paths are longer)."""
    return max(1, round(metres / (WALKING_SPEED_KMH * 1000 / 60)))


def _no_facts() -> dict[str, str]:
    """ "Für keine Kita …": German needs the article of each kind."""
    return {
        "begruessungsteam": _("Für kein Begrüßungsteam liegen Angaben zur Barrierefreiheit vor."),
        "familienbildung": _(
            "Für keine Familienbildungsstätte liegen Angaben zur Barrierefreiheit vor."
        ),
        "kinderbuero": _(
            "Für kein Kinder- und Familienbüro liegen Angaben zur Barrierefreiheit vor."
        ),
        "kita": _("Für keine Kita liegen Angaben zur Barrierefreiheit vor."),
        "familienzentrum": _("Für kein Familienzentrum liegen Angaben zur Barrierefreiheit vor."),
        "ogs": _("Für keine Offene Ganztagsschule liegen Angaben zur Barrierefreiheit vor."),
        "jugendfreizeithaus": _(
            "Für kein Jugendfreizeithaus liegen Angaben zur Barrierefreiheit vor."
        ),
        "seniorenbuero": _("Für kein Seniorenbüro liegen Angaben zur Barrierefreiheit vor."),
        "beratung": _("Für keine Beratungsstelle liegen Angaben zur Barrierefreiheit vor."),
        "spielplatz": _("Für keinen Spielplatz liegen Angaben zur Barrierefreiheit vor."),
        "sonstiges": _("Für kein sonstiges Angebot liegen Angaben zur Barrierefreiheit vor."),
    }


def no_accessibility_facts(kinds: tuple[str, ...]) -> str:
    """Why "nur barrierefreie Angebote" found nothing: no offer of the chosen kinds has
    any accessibility fact (not: they all lack access)."""
    if len(kinds) == 1:
        return _no_facts()[kinds[0]]
    if kinds:
        return _("Für keines der Angebote dieser Arten liegen Angaben zur Barrierefreiheit vor.")
    return _("Für kein Angebot liegen Angaben zur Barrierefreiheit vor.")

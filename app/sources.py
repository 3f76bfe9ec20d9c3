"""How a source reads: its publisher and date ("WAZ, 12.03.2024") instead of a URL
that, cut short, looks like every other one; the full URL stays behind the label.

The publisher comes from a known map of hosts (``PUBLISHERS``; the Funke app's
webview by its newspaper's path, e.g. ``/nrw-waz/`` -> WAZ), else it is the host name
without ``www.``. The date is the source's date as the data gives it: an ISO date
(``2024-03-12`` -> ``12.03.2024``), a month (``2024-02`` -> ``Februar 2024``) or a
year; a date the data marks as not given ("nicht angegeben (2025)") reads as "ohne
Datum", with the year the note names in brackets.

A link needs a subscription ("Bezahlschranke") when its URL says so (``paid=true``,
as the Funke webview's links do) or its host is one whose local articles are mostly
for subscribers (``PAYWALLED``: the Funke newspapers WAZ, WR, WP, NRZ, IKZ, their
app webview, and the Ruhr Nachrichten). The host decides, not the single article:
some articles there are free, so the note says the link may need a subscription.

Within one list, page or export, two different links never read the same: where the
data give several links of one publisher and date (three WAZ articles "ohne Datum"),
each says what its link itself says (``distinct``): the words of its URL's slug as
they stand there ("WAZ: „Kita in Bochum Ueber 1000 Plaetze fehlen auch im Ue3
Bereich“, ohne Datum"; a slug's "ue" is not turned back into "ü": "aktuelle" would
become "aktülle"), else its article number, else its address; still alike, the host
and then the query follow. Nothing is guessed: no date, no title that the link does
not carry. ``SourceNames`` applies it to all sources of a page and its exports.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

from app.i18n import get_locale
from app.i18n import gettext as _

FUNKE_WEBVIEW = "app-webview.sparknews.funkemedien.de"

# host (without "www.") -> publisher, as a reader knows it
PUBLISHERS: dict[str, str] = {
    "waz.de": "WAZ",
    "wr.de": "Westfälische Rundschau",
    "wp.de": "Westfalenpost",
    "nrz.de": "NRZ",
    "ikz-online.de": "IKZ",
    "derwesten.de": "DerWesten",
    "ruhrnachrichten.de": "Ruhr Nachrichten",
    "radiobochum.de": "Radio Bochum",
    "lokalkompass.de": "Lokalkompass",
    "bochumer-zeitung.com": "Bochumer Zeitung",
    "bochum-journal.de": "Bochum Journal",
    "hallobo.de": "halloBO",
    "bochum.de": "Stadt Bochum",
    "bostatis.bochum.de": "Stadt Bochum, Statistik",
    "it.nrw": "IT.NRW",
    "schulministerium.nrw": "Schulministerium NRW",
    "efre.nrw.de": "EFRE.NRW",
    "de.wikipedia.org": "Wikipedia",
    "de.m.wikipedia.org": "Wikipedia",
    "en.wikipedia.org": "Wikipedia",
    "openstreetmap.org": "OpenStreetMap",
    "caritas-bochum.de": "Caritas Bochum",
    "diakonie-ruhr.de": "Diakonie Ruhr",
    "awo-ruhr-mitte.de": "AWO Ruhr-Mitte",
    "kirchenkreis-bochum.de": "Ev. Kirchenkreis Bochum",
    "bistum-essen.de": "Bistum Essen",
    "ruhr-uni-bochum.de": "Ruhr-Universität Bochum",
    "akafoe.de": "AKAFÖ",
    "jugendring-bochum.de": "Jugendring Bochum",
    "drk-bochum.de": "DRK Bochum",
    "kjf-online.de": "Kinder- und Jugendfreizeithäuser Bochum",
}
# The newspaper of a Funke app webview link, by its first path segment.
FUNKE_PAPERS: dict[str, str] = {
    "nrw-waz": "WAZ",
    "nrw-wr": "Westfälische Rundschau",
    "nrw-wp": "Westfalenpost",
    "nrw-nrz": "NRZ",
    "nrw-ikz": "IKZ",
}
# A repository's owner that is a publisher (the city's open data on GitHub).
GITHUB_OWNERS: dict[str, str] = {"stadtbochum": "Stadt Bochum, Open Data"}
PAYWALLED = frozenset(
    {FUNKE_WEBVIEW, "waz.de", "wr.de", "wp.de", "nrz.de", "ikz-online.de", "ruhrnachrichten.de"}
)

_ISO_DAY = re.compile(r"^(\d{4})-(\d\d)-(\d\d)\b")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d\d)\b")
_YEAR = re.compile(r"^(\d{4})\b")
_NOT_GIVEN = re.compile(r"^(nicht angegeben|o\. ?D\.|ohne Datum)\s*(\((?P<hint>[^)]*)\))?", re.I)
_HINT_YEAR = re.compile(r"^(?:ca\. )?(\d{4})(?:-\d\d(?:-\d\d)?)?$")
# A slug's file ending and trailing article number ("…-id230670594.html", "…-2403082").
_SLUG_END = re.compile(r"(?:[-_](?:id)?\d{5,})?(?:\.(?:html?|php|aspx?))?$", re.I)
_SLUG_SPLIT = re.compile(r"[-_+\s]+")
_ARTICLE = re.compile(r"(?:\barticle|[-_]id)(\d{5,})\b", re.I)
# How far ``distinct`` goes to tell links apart: nothing, what the link says, that
# and its host, its whole address with the query.
_LEVELS = 4


@dataclass(frozen=True)
class SourceLink:
    url: str
    publisher: str
    date: str | None  # "12.03.2024", "Februar 2024", "2024", "ohne Datum (2025)"; None: unknown
    paywall: bool
    detail: str = ""  # what the link says, where its publisher and date do not suffice

    @property
    def label(self) -> str:
        """ "WAZ, 12.03.2024"; the publisher alone when the date is unknown; with what
        the link says where that tells it from another ("WAZ: „…“, ohne Datum")."""
        if self.detail:
            if self.date:
                return _(
                    "%(publisher)s: %(detail)s, %(date)s",
                    publisher=self.publisher,
                    detail=self.detail,
                    date=self.date,
                )
            return _("%(publisher)s: %(detail)s", publisher=self.publisher, detail=self.detail)
        return f"{self.publisher}, {self.date}" if self.date else self.publisher

    @property
    def note(self) -> str:
        """What a reader must know before following the link ("" if nothing)."""
        return _("Bezahlschranke möglich") if self.paywall else ""

    @property
    def text(self) -> str:
        """The label with its note, for plain-text exports."""
        return f"{self.label} ({self.note})" if self.note else self.label


def _host(url: str) -> str:
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def publisher(url: str) -> str:
    """The publisher of ``url`` as a reader knows it; the host name if unknown."""
    host = _host(url)
    parts = [p for p in urlsplit(url.strip()).path.split("/") if p] if host else []
    if host == FUNKE_WEBVIEW:
        return FUNKE_PAPERS.get(parts[0] if parts else "", "Funke Mediengruppe")
    if host == "github.com" and parts and parts[0].lower() in GITHUB_OWNERS:
        return GITHUB_OWNERS[parts[0].lower()]
    for candidate in (host, host.split(".", 1)[-1]):
        if candidate in PUBLISHERS:
            return PUBLISHERS[candidate]
    return host or url.strip()


def needs_subscription(url: str) -> bool:
    host = _host(url)
    try:
        paid = parse_qs(urlsplit(url.strip()).query).get("paid", [""])[0].lower() == "true"
    except ValueError:
        paid = False
    return paid or host in PAYWALLED


def date_text(source_date: str | None) -> str | None:
    """The source's date as a reader reads it (see the module's docstring)."""
    text = (source_date or "").strip()
    if not text:
        return None
    if m := _ISO_DAY.match(text):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return m[1]
        return day.strftime("%d.%m.%Y") if get_locale() == "de" else day.isoformat()
    if m := _ISO_MONTH.match(text):
        if 1 <= int(m[2]) <= 12:
            return f"{_month(int(m[2]))} {m[1]}"
        return m[1]
    if m := _YEAR.match(text):
        return m[1]
    if m := _NOT_GIVEN.match(text):
        hint = _HINT_YEAR.match((m["hint"] or "").strip())
        if hint:
            return _("ohne Datum (%(year)s)", year=hint[1])
        return _("ohne Datum")
    return None


def _month(n: int) -> str:
    names = (
        _("Januar"),
        _("Februar"),
        _("März"),
        _("April"),
        _("Mai"),
        _("Juni"),
        _("Juli"),
        _("August"),
        _("September"),
        _("Oktober"),
        _("November"),
        _("Dezember"),
    )
    return names[n - 1]


def source_link(url: str, source_date: str | None = None) -> SourceLink:
    """How ``url`` reads: publisher, date (from ``source_date``), subscription."""
    return SourceLink(url.strip(), publisher(url), date_text(source_date), needs_subscription(url))


def sources_of(urls: list[str], source_date: str | None = None) -> list[SourceLink]:
    """The links of one entry, told apart (``distinct``). The entry's date belongs to a
    link only when the entry has exactly one (an entry's date text names several
    sources' dates at once)."""
    urls = [u for u in urls if u and u.strip()]
    return distinct(source_link(u, source_date if len(urls) == 1 else None) for u in urls)


def link_says(url: str, level: int = 1) -> str:
    """What ``url`` itself says, to tell it from a link with the same publisher and
    date: at ``level`` 1 its slug's words in quotes, else its article number, else its
    address; at 2 that with its host; at 3 its whole address with the query."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = _host(url)
    path = parts.path if parts.query else parts.path.rstrip("/")
    address = host + path + (f"?{parts.query}" if parts.query else "")
    if level >= 3:
        return address
    segments = [unquote(p) for p in parts.path.split("/") if p]
    words = _SLUG_SPLIT.split(_SLUG_END.sub("", segments[-1])) if segments else []
    words = [w for w in words if w]
    if len(words) >= 2 and any(w.isalpha() for w in words):
        said = _("„%(title)s“", title=" ".join(words))
    elif m := _ARTICLE.search(parts.path):
        said = _("Artikel %(number)s", number=m[1])
    else:
        return address
    return f"{said} ({host})" if level == 2 and host else said


def distinct(links: Iterable[SourceLink]) -> list[SourceLink]:
    """The links of one list, page or export, in their order, where no two different
    URLs read the same: a URL whose label another URL's label repeats says what the
    link says (``link_says``), in all its places, as far as it needs to."""
    links = list(links)
    level: dict[str, int] = {s.url: 0 for s in links}

    def told(s: SourceLink) -> SourceLink:
        return replace(s, detail=link_says(s.url, level[s.url])) if level[s.url] else s

    for _pass in range(_LEVELS):
        urls_of: dict[str, set[str]] = {}
        for s in links:
            urls_of.setdefault(told(s).label, set()).add(s.url)
        alike = {u for urls in urls_of.values() if len(urls) > 1 for u in urls}
        alike = {u for u in alike if level[u] < _LEVELS - 1}
        if not alike:
            break
        for u in alike:
            level[u] += 1
    return [told(s) for s in links]


class SourceNames:
    """How each source of one page and its exports reads, told apart from the other
    sources given (``distinct``): built from all (url, date) pairs the page shows
    or could show, called with one of them. A pair not given reads on its own."""

    def __init__(self, pairs: Iterable[tuple[str, str | None]]) -> None:
        given = list(dict.fromkeys((u.strip(), d) for u, d in pairs if u and u.strip()))
        told = distinct(source_link(u, d) for u, d in given)
        self._links = dict(zip(given, told, strict=True))

    @classmethod
    def of(
        cls, items: Iterable[object], url: str = "source", date: str = "source_date"
    ) -> "SourceNames":
        """The names of the sources of ``items`` (their attributes ``url`` and ``date``):
        the planning page, its report and XLSX name them from all of the city's
        published figures, so that a source reads the same in each; an offer's page
        from all its sourced facts."""
        return cls((getattr(i, url), getattr(i, date)) for i in items)

    def __call__(self, url: str, source_date: str | None = None) -> SourceLink:
        found = self._links.get(((url or "").strip(), source_date))
        return found or source_link(url, source_date)

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
"""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlsplit

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


@dataclass(frozen=True)
class SourceLink:
    url: str
    publisher: str
    date: str | None  # "12.03.2024", "Februar 2024", "2024", "ohne Datum (2025)"; None: unknown
    paywall: bool

    @property
    def label(self) -> str:
        """ "WAZ, 12.03.2024"; the publisher alone when the date is unknown."""
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
    """The links of one entry. The entry's date belongs to a link only when the entry
    has exactly one (an entry's date text names several sources' dates at once)."""
    urls = [u for u in urls if u and u.strip()]
    return [source_link(u, source_date if len(urls) == 1 else None) for u in urls]

"""The search parameters as one object: ``Filters`` parses the query string, names
every bad parameter (``FilterErrors``) and turns itself back into URLs.

The SQL conditions live in ``app.search.query``; the sentence describing a search in
``app.search.wording``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.catalogue.categories import SLUGS
from app.i18n import gettext as _

DEFAULT_RADIUS_M = 2000
MAX_RADIUS_M = 50_000
MAX_QUERY_LENGTH = 200


class FilterErrors(Exception):
    """Bad query parameters, keyed by the parameter's name."""

    def __init__(self, errors: dict[str, str], filters: "Filters") -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.filters = filters


@dataclass(frozen=True)
class Filters:
    q: str = ""
    kategorie: tuple[str, ...] = ()
    bezirk: str = ""
    alter: int | None = None
    barrierefrei: bool = False
    seite: int = 1
    # Near-me search: ``nahe`` is the place as typed, or the browser's ``lat``/``lon``.
    # ``umkreis`` None means "not chosen": a postcode or district then keeps its area,
    # anything else gets the default radius.
    nahe: str = ""
    lat: float | None = None
    lon: float | None = None
    umkreis: int | None = None
    # What the parser could not read, kept so the form shows the input as typed.
    raw: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def is_empty(self) -> bool:
        return not (
            self.q
            or self.kategorie
            or self.bezirk
            or self.alter is not None
            or self.barrierefrei
            or self.has_point
            or self.nahe
        )

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_near(self) -> bool:
        return bool(self.nahe) or self.has_point

    @property
    def active_count(self) -> int:
        """How many filters are set (each kind counts; a place and its radius once)."""
        return (
            bool(self.q)
            + len(self.kategorie)
            + bool(self.bezirk)
            + (self.alter is not None)
            + self.barrierefrei
            + self.is_near
        )

    @property
    def radius_m(self) -> int:
        return self.umkreis if self.umkreis is not None else DEFAULT_RADIUS_M

    def params(self, **changes: object) -> list[tuple[str, str]]:
        """The query string pairs of these filters, with ``changes`` applied."""
        f = replace(self, **changes) if changes else self
        pairs: list[tuple[str, str]] = []
        if f.q:
            pairs.append(("q", f.q))
        pairs += [("kategorie", k) for k in f.kategorie]
        if f.bezirk:
            pairs.append(("bezirk", f.bezirk))
        if f.alter is not None:
            pairs.append(("alter", str(f.alter)))
        if f.barrierefrei:
            pairs.append(("barrierefrei", "1"))
        if f.nahe:
            pairs.append(("nahe", f.nahe))
        elif f.has_point:
            pairs += [("lat", f"{f.lat:.6f}"), ("lon", f"{f.lon:.6f}")]
        if (f.nahe or f.has_point) and f.umkreis is not None:
            pairs.append(("umkreis", str(f.umkreis)))
        if f.seite != 1:
            pairs.append(("seite", str(f.seite)))
        return pairs

    def query_string(self, **changes: object) -> str:
        return urlencode(self.params(**changes))

    def without(self, name: str, value: str | None = None) -> str:
        """Query string with one filter (or one category) removed, back on page 1."""
        if name == "kategorie" and value is not None:
            return self.query_string(
                kategorie=tuple(k for k in self.kategorie if k != value), seite=1
            )
        empty: dict[str, object] = {
            "q": "",
            "kategorie": (),
            "bezirk": "",
            "alter": None,
            "barrierefrei": False,
            "nahe": "",
            "lat": None,
            "lon": None,
        }
        changes = {name: empty[name], "seite": 1}
        if name in ("nahe", "lat", "lon"):
            changes.update(nahe="", lat=None, lon=None, umkreis=None)
        return self.query_string(**changes)


MAX_PAGE = 100_000
MAX_AGE = 120


class SearchQuery(BaseModel):
    """The search parameters of ``/angebote``, ``/karte`` and their twins (a URL
    contract): documented in the OpenAPI schema from here, and checked by
    ``parse_filters`` against these same rules."""

    model_config = ConfigDict(extra="ignore")

    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="Suchbegriff (Wortanfänge)")
    kategorie: list[Literal[SLUGS]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="Art des Angebots (wiederholbar)"
    )
    bezirk: str = Field(
        "",
        max_length=80,
        pattern=r"^\s*[a-z0-9-]*\s*$",
        description="Bezirk (Kurzname wie auf /bezirke)",
    )
    alter: int | None = Field(None, ge=0, le=MAX_AGE, description="Alter in Jahren")
    barrierefrei: bool = Field(False, description="nur Angebote mit Angaben zur Barrierefreiheit")
    nahe: str = Field(
        "", max_length=MAX_QUERY_LENGTH, description="Postleitzahl, Straße, Stadtteil oder Bezirk"
    )
    lat: float | None = Field(
        None, ge=-90, le=90, allow_inf_nan=False, description="Breite (WGS84), zusammen mit lon"
    )
    lon: float | None = Field(
        None, ge=-180, le=180, allow_inf_nan=False, description="Länge (WGS84), zusammen mit lat"
    )
    umkreis: int | None = Field(None, ge=1, le=MAX_RADIUS_M, description="Umkreis in Metern")
    seite: int = Field(1, ge=1, le=MAX_PAGE, description="Seite der Ergebnisliste")
    lang: Literal["de", "en"] | None = Field(None, description="Sprache der Seite")


def _messages() -> dict[str, str]:
    """What the page says about a bad parameter, by its name."""
    return {
        "q": _("Der Suchbegriff ist zu lang (höchstens %(n)s Zeichen).", n=MAX_QUERY_LENGTH),
        "nahe": _("Der Ort ist zu lang (höchstens %(n)s Zeichen).", n=MAX_QUERY_LENGTH),
        "bezirk": _("Den Bezirk gibt es nicht."),
        "alter": _("Das Alter muss eine ganze Zahl in Jahren sein, zum Beispiel 3."),
        "seite": _("Die Seite muss eine Zahl ab 1 sein."),
        "lat": _(
            "Breite (lat) und Länge (lon) müssen beide als Dezimalzahlen "
            "angegeben werden, zum Beispiel lat=51.48&lon=7.22."
        ),
        "umkreis": _(
            "Der Umkreis muss eine Zahl in Metern zwischen 1 und %(max)s sein.", max=MAX_RADIUS_M
        ),
        "lang": _("Die Sprache muss „de“ oder „en“ sein."),
        "barrierefrei": _("„Nur barrierefreie Angebote“ ist 1 (ja) oder 0 (nein)."),
    }


_TRUE = {"1", "true", "ja", "on", "yes"}
_FALSE = {"", "0", "false", "nein", "off", "no"}
_SIMPLE = ("q", "bezirk", "alter", "nahe", "lat", "lon", "umkreis", "seite", "lang")


def parse_filters(pairs: Iterable[tuple[str, str]], known_districts: Sequence[str]) -> Filters:
    """Read the search parameters; raise ``FilterErrors`` naming every bad one.

    Every value is checked by the rules of ``SearchQuery``; what the user typed is kept
    in ``Filters.raw`` so the form shows it again beside its message.
    """
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    errors: dict[str, str] = {}
    messages = _messages()
    raw: dict[str, str] = {}
    values: dict[str, object] = {}
    for name in _SIMPLE:
        value = (params.get(name) or [""])[-1].strip()
        if value:
            values[name] = value
            if name in ("alter", "seite", "lat", "lon", "umkreis"):
                raw[name] = value
    values["kategorie"] = [v.strip() for v in params.get("kategorie", []) if v.strip()]
    accessible = (params.get("barrierefrei") or [""])[-1].strip().lower()
    if accessible not in _TRUE | _FALSE:
        errors["barrierefrei"] = messages["barrierefrei"]
    values["barrierefrei"] = accessible in _TRUE
    if ("lat" in values) != ("lon" in values):
        errors["lat"] = messages["lat"]
    try:
        query = SearchQuery.model_validate(values)
    except ValidationError as exc:
        bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        for name in sorted(bad):
            if name == "kategorie":
                unknown = next((v for v in values["kategorie"] if v not in SLUGS), "")
                errors[name] = _("Die Kategorie „%(value)s“ gibt es nicht.", value=unknown)
            else:
                key = "lat" if name == "lon" else name
                errors[key] = messages.get(key, key)
        clean = {k: v for k, v in values.items() if k not in bad}
        if "kategorie" in bad:
            clean["kategorie"] = [v for v in values["kategorie"] if v in SLUGS]
        for name in ("q", "nahe"):
            if name in bad:
                clean[name] = str(values[name])[:MAX_QUERY_LENGTH]
        query = SearchQuery.model_validate(clean)
    if query.bezirk and query.bezirk not in known_districts:
        errors["bezirk"] = _("Den Bezirk „%(value)s“ gibt es nicht.", value=query.bezirk)
        query = query.model_copy(update={"bezirk": ""})
    if "lat" in errors:
        query = query.model_copy(update={"lat": None, "lon": None})
    q = query
    filters = Filters(
        q=q.q,
        kategorie=tuple(dict.fromkeys(q.kategorie)),
        bezirk=q.bezirk,
        alter=q.alter,
        barrierefrei=q.barrierefrei,
        seite=q.seite,
        nahe=q.nahe,
        lat=q.lat,
        lon=q.lon,
        umkreis=q.umkreis,
        raw=raw,
    )
    if errors:
        raise FilterErrors(errors, filters)
    return filters

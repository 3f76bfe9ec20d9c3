"""The search parameters as one object: ``Filters`` parses the query string, names
every bad parameter (``FilterErrors``) and turns itself back into URLs.

The SQL conditions live in ``app.search.query``; the sentence describing a search in
``app.search.wording``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

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
        return not (self.q or self.kategorie or self.bezirk or self.alter is not None
                    or self.barrierefrei or self.has_point or self.nahe)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def is_near(self) -> bool:
        return bool(self.nahe) or self.has_point

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
            return self.query_string(kategorie=tuple(k for k in self.kategorie if k != value),
                                     seite=1)
        empty: dict[str, object] = {"q": "", "kategorie": (), "bezirk": "", "alter": None,
                                    "barrierefrei": False, "nahe": "", "lat": None, "lon": None}
        changes = {name: empty[name], "seite": 1}
        if name in ("nahe", "lat", "lon"):
            changes.update(nahe="", lat=None, lon=None, umkreis=None)
        return self.query_string(**changes)


def _one(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name) or [""]
    return values[-1].strip()


def parse_filters(pairs: Iterable[tuple[str, str]], known_districts: Sequence[str]) -> Filters:
    """Read the search parameters; raise ``FilterErrors`` naming every bad one."""
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    errors: dict[str, str] = {}
    raw: dict[str, str] = {}

    q = _one(params, "q")
    if len(q) > MAX_QUERY_LENGTH:
        errors["q"] = _("Der Suchbegriff ist zu lang (höchstens %(n)s Zeichen).",
                        n=MAX_QUERY_LENGTH)
        q = q[:MAX_QUERY_LENGTH]

    kategorie: list[str] = []
    for value in params.get("kategorie", []):
        value = value.strip()
        if not value:
            continue
        if value not in SLUGS:
            errors["kategorie"] = _("Die Kategorie „%(value)s“ gibt es nicht.", value=value)
        elif value not in kategorie:
            kategorie.append(value)

    bezirk = _one(params, "bezirk")
    if bezirk and bezirk not in known_districts:
        errors["bezirk"] = _("Den Bezirk „%(value)s“ gibt es nicht.", value=bezirk)
        bezirk = ""

    alter: int | None = None
    raw_alter = _one(params, "alter")
    if raw_alter:
        raw["alter"] = raw_alter
        if raw_alter.isdigit() and int(raw_alter) <= 120:
            alter = int(raw_alter)
        else:
            errors["alter"] = _("Das Alter muss eine ganze Zahl in Jahren sein, "
                                "zum Beispiel 3.")

    barrierefrei = _one(params, "barrierefrei").lower() in ("1", "true", "ja", "on")

    seite = 1
    raw_seite = _one(params, "seite")
    if raw_seite:
        raw["seite"] = raw_seite
        if raw_seite.isdigit() and int(raw_seite) >= 1:
            seite = int(raw_seite)
        else:
            errors["seite"] = _("Die Seite muss eine Zahl ab 1 sein.")

    lat = lon = None
    raw_lat, raw_lon = _one(params, "lat"), _one(params, "lon")
    if raw_lat or raw_lon:
        raw.update(lat=raw_lat, lon=raw_lon)
        try:
            lat, lon = float(raw_lat), float(raw_lon)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
        except ValueError:
            errors["lat"] = _("Breite (lat) und Länge (lon) müssen beide als Dezimalzahlen "
                              "angegeben werden, zum Beispiel lat=51.48&lon=7.22.")
            lat = lon = None

    umkreis: int | None = None
    raw_umkreis = _one(params, "umkreis")
    if raw_umkreis:
        raw["umkreis"] = raw_umkreis
        if raw_umkreis.isdigit() and 1 <= int(raw_umkreis) <= MAX_RADIUS_M:
            umkreis = int(raw_umkreis)
        else:
            errors["umkreis"] = _("Der Umkreis muss eine Zahl in Metern zwischen 1 und "
                                  "%(max)s sein.", max=MAX_RADIUS_M)

    filters = Filters(q=q, kategorie=tuple(kategorie), bezirk=bezirk, alter=alter,
                      barrierefrei=barrierefrei, seite=seite, nahe=_one(params, "nahe"),
                      lat=lat, lon=lon, umkreis=umkreis, raw=raw)
    if errors:
        raise FilterErrors(errors, filters)
    return filters


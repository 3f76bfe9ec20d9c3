"""Where is "44866"? Offline geocoding for the near-me search, from the real data.

The gazetteer knows three kinds of place, all in EPSG:25832:

* the 18 postcode areas (OSM polygons): a postcode resolves to its area's centroid, and
  the search then keeps the offers whose location lies in that polygon
  (``Location.plz_area``, set by point-in-polygon at import);
* the six Stadtbezirke: a name resolves to its polygon's centroid, and the search keeps
  the district's offers;
* the streets of the imported offers: a street resolves to the mean of its known
  addresses (an address with a known house number to that address).

The data has no polygons of Ortsteile or statistical districts; their names (from the
population tables) only lead to a suggestion of the Stadtbezirk they belong to.

An external Nominatim-compatible geocoder can be switched on by a setting. It is asked
for addresses (not for postcodes or district names); when it fails the gazetteer
answers instead, with a notice saying so.
"""

import csv
import difflib
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func
from sqlmodel import Session, select

from app.config import get_settings
from app.geo.areas import METRIC, load_postcode_areas, load_stadtbezirke, utm_to_wgs, wgs_to_utm
from app.i18n import gettext as _
from app.models.catalogue import Location, Offer

log = logging.getLogger(__name__)

STATISTICAL_DISTRICTS_FILE = "population/bochum_population_statistische_bezirke.csv"
USER_AGENT = "Familienwegweiser-Bochum/0.1 (public family-services directory)"
# A geocoder answer further than this from the city is not a place in or near Bochum.
MAX_OUTSIDE_M = 10_000

_POSTCODE = re.compile(r"\b(\d{5})\b")
_HOUSE_NUMBER = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[a-zA-Z]?(?:\s*[-–/]\s*\d+\s*[a-zA-Z]?)?)\s*$"
)
_STREET_WORD = re.compile(r"(strasse|str\.?)(?=[\s\-.,]|$)")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "é": "e"})
_NOISE = re.compile(r"[\s\-.,/'’()]+")


def normalise(text: str) -> str:
    """A key that ignores case, umlaut spelling, spaces and "Straße"/"Str."/"str"."""
    folded = text.casefold().translate(_FOLD)  # casefold turns ß into ss
    folded = _STREET_WORD.sub("str", folded)
    return _NOISE.sub("", folded)


def split_house_number(address: str) -> tuple[str, str | None]:
    """ "Hüller Str. 12 a" -> ("Hüller Str.", "12a")."""
    match = _HOUSE_NUMBER.match(address.strip())
    if not match:
        return address.strip(), None
    return match["street"].strip(" ,"), re.sub(r"\s+", "", match["number"]).lower()


@dataclass(frozen=True)
class Place:
    """A resolved place: a point in EPSG:25832 and, for areas, the area it stands for."""

    label: str  # as shown to the user: "44866", "Wattenscheid", "Hüller Str."
    kind: str  # "postcode" | "district" | "street" | "address" | "geocoder" | "point"
    x: float
    y: float
    plz: str | None = None  # a postcode area: the search keeps offers inside it
    district: str | None = None  # a Stadtbezirk slug: the search keeps its offers
    found_as: str | None = None  # the external geocoder's name for the place
    notice: str | None = None  # shown on the page, e.g. the geocoder did not answer

    @property
    def is_area(self) -> bool:
        return self.plz is not None or self.district is not None

    def public(self) -> dict[str, Any]:
        lon, lat = utm_to_wgs(self.x, self.y)
        return {"label": self.label, "kind": self.kind, "lat": lat, "lon": lon,
                "postcode": self.plz, "district": self.district, "found_as": self.found_as,
                "notice": self.notice}


class PlaceNotFound(Exception):
    """The place could not be found; ``message`` says so in words, with suggestions."""

    def __init__(self, query: str, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.query = query
        self.message = message
        self.suggestions = suggestions


class GeocoderUnavailable(Exception):
    """The external geocoder timed out, failed or answered nonsense."""


# --- the static part: postcodes and districts from the boundary files -------------------

@dataclass(frozen=True)
class Area:
    key: str  # postcode or district slug
    name: str
    x: float
    y: float
    geometry: BaseGeometry  # EPSG:25832


@dataclass(frozen=True)
class StaticGazetteer:
    postcodes: dict[str, Area]
    districts: dict[str, Area]  # normalised name or slug -> area
    # normalised Ortsteil name -> (name as written, Stadtbezirk slug)
    quarters: dict[str, tuple[str, str]]
    city: BaseGeometry  # union of the postcode areas, EPSG:25832


@lru_cache(maxsize=4)
def static_gazetteer(data_dir: Path) -> StaticGazetteer:
    """Postcode areas and Stadtbezirke with their centroids (computed in EPSG:25832)."""
    plz_frame = load_postcode_areas(data_dir).to_crs(METRIC)
    postcodes = {
        row.plz: Area(row.plz, row.plz, round(c.x, 2), round(c.y, 2), row.geometry)
        for row, c in zip(plz_frame.itertuples(), plz_frame.geometry.centroid, strict=True)
    }
    district_frame = load_stadtbezirke(data_dir).to_crs(METRIC)
    districts: dict[str, Area] = {}
    by_number: dict[int, str] = {}
    for row, c in zip(district_frame.itertuples(), district_frame.geometry.centroid,
                      strict=True):
        area = Area(row.slug, row.name, round(c.x, 2), round(c.y, 2), row.geometry)
        for key in (row.name, row.slug, f"Bochum-{row.name}", f"Bochum {row.name}"):
            districts[normalise(key)] = area
        by_number[int(row.number)] = row.slug
    quarters: dict[str, tuple[str, str]] = {}
    path = data_dir / STATISTICAL_DISTRICTS_FILE
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                slug = by_number.get(int(row["stadtbezirk_nr"]))
                for part in re.split(r"[/]", row["statistischer_bezirk"]):
                    if slug and part.strip() and normalise(part) not in districts:
                        quarters[normalise(part)] = (part.strip(), slug)
    return StaticGazetteer(postcodes=postcodes, districts=districts, quarters=quarters,
                           city=plz_frame.geometry.union_all())


def postcode_area(data_dir: Path, plz: str) -> BaseGeometry | None:
    area = static_gazetteer(data_dir).postcodes.get(plz)
    return area.geometry if area else None


# --- the dynamic part: streets of the imported offers -----------------------------------

@dataclass
class Street:
    name: str  # the most frequent spelling
    x: float
    y: float
    addresses: dict[str, tuple[float, float]] = field(default_factory=dict)


def build_streets(rows: list[tuple[str, float, float]]) -> dict[str, Street]:
    """Group (address, x, y) rows by normalised street; the middle is the mean point."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    numbers: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    for address, x, y in rows:
        street, number = split_house_number(address)
        key = normalise(street)
        if len(key) < 3:
            continue
        points[key].append((x, y))
        spellings[key][street] += 1
        if number:
            numbers[key].setdefault(number, (x, y))
    return {
        key: Street(
            name=spellings[key].most_common(1)[0][0],
            x=round(sum(p[0] for p in pts) / len(pts), 2),
            y=round(sum(p[1] for p in pts) / len(pts), 2),
            addresses=numbers[key],
        )
        for key, pts in points.items()
    }


_street_cache: dict[str, tuple[tuple[Any, ...], dict[str, Street]]] = {}


def street_index(session: Session) -> dict[str, Street]:
    """The streets of the offers' locations, rebuilt only when the catalogue changed."""
    n, max_id = session.exec(select(func.count(Location.id), func.max(Location.id))).one()
    changed = session.exec(select(func.max(Offer.updated_at))).one()
    bind = session.get_bind()
    url = bind.engine.url.render_as_string(hide_password=True)
    version = (n, max_id, str(changed))
    cached = _street_cache.get(url)
    if cached and cached[0] == version:
        return cached[1]
    rows = session.exec(
        select(Location.street, Location.x, Location.y).where(
            Location.street.is_not(None), Location.x.is_not(None), Location.y.is_not(None))
    ).all()
    streets = build_streets([(s, float(x), float(y)) for s, x, y in rows])
    _street_cache[url] = (version, streets)
    return streets


# --- the external geocoder --------------------------------------------------------------

@dataclass(frozen=True)
class Geocoder:
    """A Nominatim-compatible ``/search`` endpoint answering JSON."""

    url: str
    timeout: float = 3.0

    def lookup(self, query: str) -> tuple[float, float, str] | None:
        """(lon, lat, display name) of the best match, or None when nothing matched."""
        q = query if "bochum" in query.casefold() else f"{query}, Bochum"
        params = {"q": q, "format": "jsonv2", "limit": "1", "countrycodes": "de",
                  "accept-language": "de"}
        try:
            response = httpx.get(self.url, params=params, timeout=self.timeout,
                                 headers={"User-Agent": USER_AGENT})
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise GeocoderUnavailable(f"{exc.__class__.__name__}: {exc}") from exc
        if not isinstance(data, list):
            raise GeocoderUnavailable("answer is not a JSON list")
        if not data:
            return None
        try:
            best = data[0]
            return float(best["lon"]), float(best["lat"]), str(best.get("display_name") or q)
        except (KeyError, TypeError, ValueError) as exc:
            raise GeocoderUnavailable(f"unexpected answer: {exc}") from exc


def get_geocoder() -> Geocoder | None:
    """The configured external geocoder, or None (the default: offline only)."""
    settings = get_settings()
    if not settings.geocoder_url:
        return None
    return Geocoder(settings.geocoder_url, settings.geocoder_timeout)


# --- resolving what the user typed ------------------------------------------------------

def _not_found(query: str, candidates: dict[str, str], key: str,
               reason: str | None = None) -> PlaceNotFound:
    close = difflib.get_close_matches(key, list(candidates), n=5, cutoff=0.6)
    suggestions = list(dict.fromkeys(candidates[c] for c in close))
    message = reason or _("Den Ort „%(query)s“ haben wir nicht gefunden.", query=query)
    if suggestions:
        message += " " + _("Meinten Sie: %(names)s?", names=", ".join(suggestions))
    else:
        message += " " + _("Geben Sie bitte eine Bochumer Postleitzahl (zum Beispiel 44866), "
                           "einen Straßennamen oder einen Stadtbezirk ein.")
    return PlaceNotFound(query, message, suggestions)


def _candidates(static: StaticGazetteer, streets: dict[str, Street]) -> dict[str, str]:
    names: dict[str, str] = {key: street.name for key, street in streets.items()}
    names.update({normalise(a.name): a.name for a in static.districts.values()})
    names.update({plz: plz for plz in static.postcodes})
    return names


def _streets_starting(streets: dict[str, Street], key: str) -> list[Street]:
    return [s for k, s in streets.items() if k.startswith(key)] if len(key) >= 4 else []


def _loose_street(streets: dict[str, Street], key: str) -> Street | None:
    """ "Hüller" finds "Hüller Str.", and a beginning finds the one street it begins."""
    if key + "str" in streets:
        return streets[key + "str"]
    starts = _streets_starting(streets, key)
    return starts[0] if len(starts) == 1 else None


def resolve(session: Session, query: str, *, data_dir: Path,
            geocoder: Geocoder | None = None) -> Place:
    """Turn what the user typed into a ``Place``; raise ``PlaceNotFound`` with suggestions."""
    static = static_gazetteer(data_dir)
    text = re.sub(r"\s+", " ", query).strip()
    rest = re.sub(r"\bbochum\b", " ", text, flags=re.IGNORECASE)
    postcode_match = _POSTCODE.search(rest)
    postcode = postcode_match.group(1) if postcode_match else None
    if postcode:
        rest = rest.replace(postcode, " ")
    rest = rest.strip(" ,")

    key = normalise(rest)
    district = static.districts.get(key) if key else None
    if postcode and (not rest or district is not None):
        area = static.postcodes.get(postcode)
        if area is None:
            raise _not_found(text, {p: p for p in static.postcodes}, postcode, _(
                "Die Postleitzahl %(plz)s liegt nicht in Bochum.", plz=postcode))
        return Place(label=postcode, kind="postcode", x=area.x, y=area.y, plz=postcode)
    if district is not None:
        return Place(label=district.name, kind="district", x=district.x, y=district.y,
                     district=district.key)

    notice = None
    if geocoder is not None:
        try:
            found = geocoder.lookup(text)
        except GeocoderUnavailable as exc:
            log.warning("geocoder failed for %r: %s", text, exc)
            found = None
            notice = _("Der Adressdienst hat nicht rechtzeitig geantwortet. Wir haben den Ort "
                       "deshalb in unserem eigenen Verzeichnis gesucht (Postleitzahlen, "
                       "Stadtbezirke und die Straßen der Angebote).")
        if found is not None:
            x, y = wgs_to_utm(found[0], found[1])
            if static.city.distance(Point(x, y)) <= MAX_OUTSIDE_M:
                return Place(label=text, kind="geocoder", x=x, y=y, found_as=found[2])

    try:
        return _resolve_offline(session, static, text, rest, key, postcode, notice)
    except PlaceNotFound as exc:
        if notice:
            exc.message = f"{notice} {exc.message}"
        raise


def _resolve_offline(session: Session, static: StaticGazetteer, text: str, rest: str,
                     key: str, postcode: str | None, notice: str | None) -> Place:
    """Streets of the offers, then the postcode alone, then Ortsteil names as hints."""
    streets = street_index(session)
    street_part, number = split_house_number(rest)
    street_key = normalise(street_part)
    street = streets.get(street_key) if street_key else None

    quarter = static.quarters.get(key)
    if street is None and quarter is not None:
        name, slug = quarter
        area = next(a for a in static.districts.values() if a.key == slug)
        also = [s.name for s in _streets_starting(streets, key)][:3]
        raise PlaceNotFound(text, _(
            "„%(quarter)s“ ist ein Stadtteil im Stadtbezirk %(district)s. Für Stadtteile "
            "haben wir keine Grenzen. Suchen Sie bitte mit Postleitzahl, Straße oder dem "
            "Stadtbezirk: %(district)s?", quarter=name, district=area.name), [area.name, *also])

    if street is None and street_key:
        street = _loose_street(streets, street_key)
    if street is not None:
        if number and number in street.addresses:
            ax, ay = street.addresses[number]
            return Place(label=f"{street.name} {number}", kind="address", x=ax, y=ay,
                         notice=notice)
        return Place(label=street.name, kind="street", x=street.x, y=street.y, notice=notice)

    if postcode and postcode in static.postcodes:
        area = static.postcodes[postcode]
        return Place(label=postcode, kind="postcode", x=area.x, y=area.y, plz=postcode,
                     notice=notice)

    raise _not_found(text, _candidates(static, streets), key)


def locate(session: Session, nahe: str, lat: float | None, lon: float | None, *,
           data_dir: Path, geocoder: Geocoder | None = None) -> Place | None:
    """The origin of a near-me search: the typed place first, else the browser's point."""
    if nahe:
        return resolve(session, nahe, data_dir=data_dir, geocoder=geocoder)
    if lat is not None and lon is not None:
        x, y = wgs_to_utm(lon, lat)
        return Place(label=_("Ihren Standort"), kind="point", x=x, y=y)
    return None

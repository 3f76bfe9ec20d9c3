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

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlmodel import Session, select

from app.catalogue import state
from app.geo.crs import to_metric
from app.models import District, Location, Offer, PlaceName, PostcodeArea
from app.text import place_key, split_house_number

# --- the static part: postcodes, districts and place names from the database ----------

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
    districts: dict[str, Area]  # place_key of a name or slug -> area
    # place_key of a Stadtteil or statistischer Bezirk -> (name as written, district slug)
    quarters: dict[str, tuple[str, str]]
    city: BaseGeometry  # union of the districts, EPSG:25832


def static_gazetteer(session: Session) -> StaticGazetteer:
    """Postcode areas, Stadtbezirke and place names as loaded at set-up, cached per
    database and areas version."""
    return state.cached(session, state.AREAS, "gazetteer", lambda: _build_static(session))


def _build_static(session: Session) -> StaticGazetteer:
    postcodes = {
        p.plz: Area(p.plz, p.plz, p.x, p.y, to_metric(shape(json.loads(p.geometry))))
        for p in session.exec(select(PostcodeArea).order_by(PostcodeArea.plz))
    }
    districts: dict[str, Area] = {}
    for d in session.exec(select(District).where(District.level == "stadtbezirk",
                                                 District.geometry.is_not(None))
                          .order_by(District.number)):
        geometry = to_metric(shape(json.loads(d.geometry)))
        centre = geometry.centroid
        area = Area(d.slug, d.name, round(centre.x, 2), round(centre.y, 2), geometry)
        for key in (d.name, d.slug, f"Bochum-{d.name}", f"Bochum {d.name}"):
            districts[place_key(key)] = area
    quarters = {
        p.key: (p.name, p.district_slug)
        for p in session.exec(select(PlaceName).order_by(PlaceName.id))
        if p.district_slug and p.key not in districts
    }
    outline = (shapely.union_all([a.geometry for a in {a.key: a for a in districts.values()}
                                  .values()]) if districts else shapely.Point())
    return StaticGazetteer(postcodes=postcodes, districts=districts, quarters=quarters,
                           city=outline)


def postcode_area(session: Session, plz: str) -> BaseGeometry | None:
    area = static_gazetteer(session).postcodes.get(plz)
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
        key = place_key(street)
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


def street_index(session: Session) -> dict[str, Street]:
    """The streets of the offers' locations, rebuilt only when the catalogue changed
    (the offers version, which every write bumps)."""
    return state.cached(session, state.OFFERS, "streets", lambda: _build_streets(session))


def _build_streets(session: Session) -> dict[str, Street]:
    rows = session.exec(
        select(Location.street, Location.x, Location.y)
        .join(Offer, Offer.location_id == Location.id)
        .where(Offer.archived_at.is_(None), Location.street.is_not(None),
               Location.x.is_not(None), Location.y.is_not(None))
    ).all()
    return build_streets([(s, float(x), float(y)) for s, x, y in rows])



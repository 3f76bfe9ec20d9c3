"""Where is "44866"? Offline geocoding for the near-me search, from the real data.

The gazetteer knows three kinds of place, all in EPSG:25832:

* the 18 postcode areas (OSM polygons): a postcode resolves to its area's centroid, and
  the search then keeps the offers whose location lies in that polygon
  (``Location.plz_area``, set by point-in-polygon at import);
* the six Stadtbezirke: a name resolves to its polygon's centroid, and the search keeps
  the district's offers;
* the streets of the imported offers: a street resolves to the mean of its known
  addresses (an address with a known house number to that address).

and the names of Stadtteile: where a centre point is published (``places/``), a name
resolves to that point and the search keeps a radius around it (there are no
boundaries); a name without a point leads to the Stadtbezirk it belongs to.

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

from app.db import state
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
    district: str | None = None  # a postcode's main Stadtbezirk (slug)


@dataclass(frozen=True)
class Quarter:
    """A Stadtteil, Ortsteil or statistischer Bezirk by name; ``x``/``y`` its published
    centre point, or None where none is published."""

    name: str
    kind: str
    district: str | None  # Stadtbezirk slug; None where the source says it is ambiguous
    x: float | None
    y: float | None
    source: str | None
    note: str | None  # the Stadtbezirk as the source words it
    nearby: tuple[str, ...]  # Stadtteile with a point near one without


@dataclass(frozen=True)
class StaticGazetteer:
    postcodes: dict[str, Area]
    districts: dict[str, Area]  # place_key of a name or slug -> area
    quarters: dict[str, Quarter]  # place_key of a name -> the place
    city: BaseGeometry  # union of the districts, EPSG:25832

    def district(self, slug: str) -> Area | None:
        return next((a for a in self.districts.values() if a.key == slug), None)


def static_gazetteer(session: Session) -> StaticGazetteer:
    """Postcode areas, Stadtbezirke and place names as loaded at set-up, cached per
    database and areas version."""
    return state.cached(session, state.AREAS, "gazetteer", lambda: _build_static(session))


def _build_static(session: Session) -> StaticGazetteer:
    postcodes = {
        p.plz: Area(
            p.plz, p.plz, p.x, p.y, to_metric(shape(json.loads(p.geometry))), p.district_slug
        )
        for p in session.exec(select(PostcodeArea).order_by(PostcodeArea.plz))
    }
    districts: dict[str, Area] = {}
    for d in session.exec(
        select(District)
        .where(District.level == "stadtbezirk", District.geometry.is_not(None))
        .order_by(District.number)
    ):
        geometry = to_metric(shape(json.loads(d.geometry)))
        centre = geometry.centroid
        area = Area(d.slug, d.name, round(centre.x, 2), round(centre.y, 2), geometry)
        for key in (d.name, d.slug, f"Bochum-{d.name}", f"Bochum {d.name}"):
            districts[place_key(key)] = area
    quarters = {
        p.key: Quarter(
            p.name,
            p.kind,
            p.district_slug,
            p.x,
            p.y,
            p.source,
            p.note,
            tuple(n for n in (p.nearby or "").split("|") if n),
        )
        for p in session.exec(select(PlaceName).order_by(PlaceName.id))
        if p.key not in districts
    }
    outline = (
        shapely.union_all([a.geometry for a in {a.key: a for a in districts.values()}.values()])
        if districts
        else shapely.Point()
    )
    return StaticGazetteer(
        postcodes=postcodes, districts=districts, quarters=quarters, city=outline
    )


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
    district: str | None = None  # the Stadtbezirk (slug) most of its offers lie in


def build_streets(rows: list[tuple[str, float, float, str | None]]) -> dict[str, Street]:
    """Group (address, x, y, district) rows by normalised street; the middle is the
    mean point."""
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    districts: dict[str, Counter[str]] = defaultdict(Counter)
    numbers: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    for address, x, y, district in rows:
        street, number = split_house_number(address)
        key = place_key(street)
        if len(key) < 3:
            continue
        points[key].append((x, y))
        spellings[key][street] += 1
        if district:
            districts[key][district] += 1
        if number:
            numbers[key].setdefault(number, (x, y))
    return {
        key: Street(
            name=spellings[key].most_common(1)[0][0],
            x=round(sum(p[0] for p in pts) / len(pts), 2),
            y=round(sum(p[1] for p in pts) / len(pts), 2),
            addresses=numbers[key],
            district=(
                sorted(districts[key].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                if districts[key]
                else None
            ),
        )
        for key, pts in points.items()
    }


def street_index(session: Session) -> dict[str, Street]:
    """The streets of the offers' locations, rebuilt only when the catalogue changed
    (the offers version, which every write bumps)."""
    return state.cached(session, state.OFFERS, "streets", lambda: _build_streets(session))


def _build_streets(session: Session) -> dict[str, Street]:
    rows = session.exec(
        select(Location.street, Location.x, Location.y, Offer.district_slug)
        .join(Offer, Offer.location_id == Location.id)
        .where(
            Offer.archived_at.is_(None),
            Location.street.is_not(None),
            Location.x.is_not(None),
            Location.y.is_not(None),
        )
        .order_by(Location.id)
    ).all()
    return build_streets([(s, float(x), float(y), d) for s, x, y, d in rows])

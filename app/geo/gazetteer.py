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
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import func
from sqlmodel import Session, select

from app.geo.areas import METRIC, load_postcode_areas, load_stadtbezirke
from app.models import Location, Offer
from app.text import place_key, split_house_number

STATISTICAL_DISTRICTS_FILE = "population/bochum_population_statistische_bezirke.csv"

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
            districts[place_key(key)] = area
        by_number[int(row.number)] = row.slug
    quarters: dict[str, tuple[str, str]] = {}
    path = data_dir / STATISTICAL_DISTRICTS_FILE
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                slug = by_number.get(int(row["stadtbezirk_nr"]))
                for part in re.split(r"[/]", row["statistischer_bezirk"]):
                    if slug and part.strip() and place_key(part) not in districts:
                        quarters[place_key(part)] = (part.strip(), slug)
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



"""The area files: Stadtbezirke, postcode areas, the city outline and residents, as
read at set-up; and a GeoPandas point-in-polygon join.

Whole-frame GeoPandas operations with an explicit CRS on every frame: EPSG:25832
(ETRS89 / UTM 32N, metres) for joins and distances, EPSG:4326 only at the edges.
"""

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point

from app.files import write_atomically
from app.geo.crs import METRIC, WGS84
from app.text import slugify
from app.urls import url_problem

STADTBEZIRKE_FILE = "boundaries/bochum_stadtbezirke_derived_epsg4326.geojson"
POSTCODES_FILE = "boundaries/bochum_postleitzahlen_derived_epsg4326.geojson"
OUTLINE_FILE = "boundaries/bochum_stadtgebiet_derived_from_stadtbezirke_epsg4326.geojson"
POPULATION_FILE = "population/bochum_population_stadtbezirke.csv"

BOUNDARY_SOURCE = "© OpenStreetMap-Mitwirkende, ODbL 1.0"


@dataclass(frozen=True)
class DistrictRecord:
    slug: str
    name: str
    number: int
    area_km2: float
    geometry_geojson: str
    population: int | None
    population_date: date | None
    population_source: str | None


def load_stadtbezirke(data_dir: Path) -> gpd.GeoDataFrame:
    """The six Stadtbezirke with slug and name, in EPSG:4326."""
    frame = gpd.read_file(data_dir / STADTBEZIRKE_FILE).set_crs(WGS84, allow_override=True)
    frame["slug"] = frame["kurzname"].map(slugify)
    frame["name"] = frame["kurzname"]
    frame["number"] = frame["bezirk_nr"].astype(int)
    return frame[["slug", "name", "number", "area_km2_epsg25832", "geometry"]]


def load_postcode_areas(data_dir: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(data_dir / POSTCODES_FILE).set_crs(WGS84, allow_override=True)
    frame["plz"] = frame["postal_code"].astype(str)
    return frame[["plz", "stadtbezirk_main", "geometry"]]


def load_outline(data_dir: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(data_dir / OUTLINE_FILE).set_crs(WGS84, allow_override=True)


def load_population(data_dir: Path) -> dict[int, tuple[int, date, str]]:
    """Residents per Stadtbezirk from set A (31 Dec 2018), keyed by district number."""
    path = data_dir / POPULATION_FILE
    result: dict[int, tuple[int, date, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["dataset"].startswith("A") and row["level"] == "Stadtbezirk":
                result[int(row["bezirk_nr"])] = (
                    int(row["einwohner"]),
                    date.fromisoformat(row["stichtag"]),
                    row["source_title"]
                    if url_problem(row["source_url"])
                    else f"{row['source_title']} ({row['source_url']})",
                )
    return result


def district_records(data_dir: Path) -> list[DistrictRecord]:
    frame = load_stadtbezirke(data_dir)
    population = load_population(data_dir)
    records = []
    for row in frame.itertuples():
        pop = population.get(row.number)
        records.append(
            DistrictRecord(
                slug=row.slug,
                name=row.name,
                number=row.number,
                area_km2=float(row.area_km2_epsg25832),
                geometry_geojson=json.dumps(row.geometry.__geo_interface__),
                population=pop[0] if pop else None,
                population_date=pop[1] if pop else None,
                population_source=pop[2] if pop else None,
            )
        )
    return records


def write_districts_geojson(data_dir: Path, target: Path) -> Path:
    """Derive the build output ``data/districts.geojson`` (EPSG:4326) from the boundaries,
    atomically."""
    frame = load_stadtbezirke(data_dir)
    frame["level"] = "stadtbezirk"
    frame["parent"] = None
    frame["source"] = BOUNDARY_SOURCE
    frame = frame.rename(columns={"area_km2_epsg25832": "area_km2"})
    # Atomic: a reader, or an import killed half-way, never sees a torn file.
    return write_atomically(target, lambda path: frame.to_file(path, driver="GeoJSON"))


def points_frame(xy: Sequence[tuple[float, float]], crs: str = METRIC) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"idx": range(len(xy))}, geometry=[Point(x, y) for x, y in xy], crs=crs)


def assign_areas(
    xy: Sequence[tuple[float, float]], areas: gpd.GeoDataFrame, key: str
) -> list[str | None]:
    """For each (x, y) point in EPSG:25832, the ``key`` of the area containing it, or None.

    One vectorised ``sjoin`` in the metric CRS; a point on a shared border goes to the
    first area found.
    """
    if not xy:
        return []
    points = points_frame(xy)
    joined = gpd.sjoin(
        points, areas.to_crs(METRIC)[[key, "geometry"]], how="left", predicate="within"
    )
    joined = joined[~joined.index.duplicated(keep="first")].sort_values("idx")
    return [None if v != v or v is None else str(v) for v in joined[key].tolist()]

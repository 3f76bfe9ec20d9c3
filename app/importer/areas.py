"""Loading the areas into the database at set-up: the Stadtbezirke (boundaries and
residents), the postcode areas and the place names people type (Stadtteile and
statistische Bezirke). Requests read them from the database, never from the files.
"""

import csv
import json
import re
from pathlib import Path

from sqlalchemy import delete, select
from sqlmodel import Session

from app.catalogue import state
from app.geo import areas as files
from app.geo.crs import METRIC
from app.models import District, PlaceName, PostcodeArea
from app.text import place_key, slugify

STATISTICAL_DISTRICTS_FILE = "population/bochum_population_statistische_bezirke.csv"


def load_areas(session: Session, data_dir: Path) -> bool:
    """Upsert districts, postcode areas and place names; True when anything changed
    (then the areas version is bumped, and every cache of them rebuilds)."""
    changed = _upsert_districts(session, data_dir)
    changed |= _replace_postcodes(session, data_dir)
    changed |= _replace_place_names(session, data_dir)
    if changed:
        state.bump(session, state.AREAS)
    session.flush()
    return changed


def _upsert_districts(session: Session, data_dir: Path) -> bool:
    changed = False
    for rec in files.district_records(data_dir):
        district = session.get(District, rec.slug) or District(slug=rec.slug, name=rec.name)
        values = dict(name=rec.name, level="stadtbezirk", number=rec.number,
                      area_km2=rec.area_km2, population=rec.population,
                      population_date=rec.population_date,
                      population_source=rec.population_source,
                      geometry=rec.geometry_geojson, source=files.BOUNDARY_SOURCE)
        if any(getattr(district, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(district, k, v)
            session.add(district)
            changed = True
    session.flush()
    return changed


def _replace_postcodes(session: Session, data_dir: Path) -> bool:
    frame = files.load_postcode_areas(data_dir)
    centroids = frame.to_crs(METRIC).geometry.centroid
    wanted = {
        row.plz: dict(plz=row.plz, geometry=json.dumps(row.geometry.__geo_interface__),
                      x=round(c.x, 2), y=round(c.y, 2),
                      district_slug=slugify(row.stadtbezirk_main.removeprefix("Bochum-"))
                      if row.stadtbezirk_main else None,
                      source=files.BOUNDARY_SOURCE)
        for row, c in zip(frame.itertuples(), centroids, strict=True)
    }
    stored = {p.plz: p for p in session.exec(select(PostcodeArea)).scalars()}
    if {k: _row(v) for k, v in stored.items()} == wanted:
        return False
    session.execute(delete(PostcodeArea))
    session.add_all(PostcodeArea(**v) for v in wanted.values())
    session.flush()
    return True


def _row(area: PostcodeArea) -> dict:
    return {k: getattr(area, k) for k in ("plz", "geometry", "x", "y", "district_slug",
                                          "source")}


def _replace_place_names(session: Session, data_dir: Path) -> bool:
    """Names of the statistische Bezirke (no points are published for them), each with
    its Stadtbezirk. ``kind`` tells them apart from names added later."""
    path = data_dir / STATISTICAL_DISTRICTS_FILE
    if not path.exists():
        return False
    by_number = {d.number: d.slug for d in session.exec(select(District)).scalars()}
    wanted: dict[str, dict] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            slug = by_number.get(int(row["stadtbezirk_nr"]))
            for part in re.split(r"/", row["statistischer_bezirk"]):
                name = part.strip()
                if slug and name and place_key(name) not in wanted:
                    wanted[place_key(name)] = dict(
                        name=name, key=place_key(name), kind="statistischer_bezirk",
                        district_slug=slug, x=None, y=None,
                        source="Stadt Bochum, statistische Bezirke (Namen)")
    stored = session.exec(select(PlaceName).where(
        PlaceName.kind == "statistischer_bezirk")).scalars().all()
    if sorted((p.key, p.name, p.district_slug) for p in stored) == sorted(
            (v["key"], v["name"], v["district_slug"]) for v in wanted.values()):
        return False
    session.execute(delete(PlaceName).where(PlaceName.kind == "statistischer_bezirk"))
    session.add_all(PlaceName(**v) for v in wanted.values())
    session.flush()
    return True

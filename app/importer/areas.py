"""Loading the areas into the database at set-up: the Stadtbezirke (boundaries and
residents), the postcode areas and the place names people type (Stadtteile with their
published centre points, names without a point, statistische Bezirke). Requests read
them from the database, never from the files.
"""

import csv
import json
import re
from pathlib import Path

import numpy as np
from sqlalchemy import delete, select
from sqlmodel import Session

from app.db import state
from app.geo import areas as files
from app.geo.crs import METRIC, wgs_to_utm_many
from app.models import District, PlaceName, PostcodeArea
from app.text import place_key, slugify

STATISTICAL_DISTRICTS_FILE = "population/bochum_population_statistische_bezirke.csv"
PLACES_WITH_POINTS = "places/bochum_ortsteile_points.csv"
PLACES_WITHOUT_POINTS = "places/bochum_ortsteile_names_without_points.csv"


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
        values = dict(
            name=rec.name,
            level="stadtbezirk",
            number=rec.number,
            area_km2=rec.area_km2,
            population=rec.population,
            population_date=rec.population_date,
            population_source=rec.population_source,
            geometry=rec.geometry_geojson,
            source=files.BOUNDARY_SOURCE,
        )
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
        row.plz: dict(
            plz=row.plz,
            geometry=json.dumps(row.geometry.__geo_interface__),
            x=round(c.x, 2),
            y=round(c.y, 2),
            district_slug=slugify(row.stadtbezirk_main.removeprefix("Bochum-"))
            if row.stadtbezirk_main
            else None,
            source=files.BOUNDARY_SOURCE,
        )
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
    return {k: getattr(area, k) for k in ("plz", "geometry", "x", "y", "district_slug", "source")}


def _place_key(name: str) -> str:
    """The key the near-me search looks a name up by ("Bochum-Weitmar" -> "weitmar"):
    the search drops the word "Bochum" from what was typed, so the keys do too."""
    return place_key(re.sub(r"\bbochum\b", " ", name, flags=re.IGNORECASE))


def _district_slug(text: str, known: set[str]) -> str | None:
    """ "Mitte (teilweise Süd)" -> "mitte"; None when the text names no Stadtbezirk
    first (e.g. "ambiguous (Südwest/Süd)")."""
    first = re.split(r"[\s(/,]+", text.strip(), maxsplit=1)[0] if text.strip() else ""
    slug = slugify(first)
    return slug if slug in known else None


def _names(text: str) -> list[str]:
    """ "Ümmingen (Uemmingen)" -> ["Ümmingen", "Uemmingen"]; "Voede / Voede-Abzweig" ->
    ["Voede", "Voede-Abzweig"]; "Bergen/Hiltrop" -> ["Bergen", "Hiltrop"]."""
    return [n.strip() for n in re.split(r"[/()|]", text) if n.strip()]


def place_name_rows(data_dir: Path, by_number: dict[int, str]) -> list[dict]:
    """The names people type for places that are not postcodes, districts or streets:
    Stadtteile with their published centre point (``places/``), names without a point
    with their Stadtbezirk, and the statistische Bezirke; a name already taken by a
    better kind is left out."""
    wanted: dict[str, dict] = {}
    districts = set(by_number.values())

    def add(name: str, key_of: str, **values: object) -> None:
        key = _place_key(key_of)
        if key and key not in wanted:
            wanted[key] = dict(name=name, key=key, **values)

    points = data_dir / PLACES_WITH_POINTS
    point_names: set[str] = set()
    if points.exists():
        with points.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        xs, ys = wgs_to_utm_many(
            np.array([float(r["lon"]) for r in rows]), np.array([float(r["lat"]) for r in rows])
        )
        for row, x, y in zip(rows, xs, ys, strict=True):
            point_names.add(row["name"])
            values = dict(
                kind="stadtteil",
                district_slug=_district_slug(row["stadtbezirk"], districts),
                x=float(x),
                y=float(y),
                note=None,
                nearby=None,
                source=f"Wikipedia, Artikel {row['wikipedia_article']} (CC BY-SA)",
            )
            for alias in [row["name"], *row["alt_names"].split("|")]:
                add(row["name"], alias, **values)
    without = data_dir / PLACES_WITHOUT_POINTS
    if without.exists():
        with without.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                names = _names(row["name"])
                nearby = [
                    n
                    for n in re.split(r"[^\w-]+", row["nearest_row_with_point"])
                    if n in point_names
                ]
                for alias in names:
                    add(
                        names[0],
                        alias,
                        kind="ortsteil",
                        x=None,
                        y=None,
                        district_slug=_district_slug(row["stadtbezirk"], districts),
                        note=row["stadtbezirk"][:300] or None,
                        nearby="|".join(dict.fromkeys(nearby)) or None,
                        source="Ortsteilnamen ohne veröffentlichten Mittelpunkt (places/)",
                    )
    statistical = data_dir / STATISTICAL_DISTRICTS_FILE
    if statistical.exists():
        with statistical.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                slug = by_number.get(int(row["stadtbezirk_nr"]))
                for name in _names(row["statistischer_bezirk"]):
                    if slug:
                        add(
                            name,
                            name,
                            kind="statistischer_bezirk",
                            district_slug=slug,
                            x=None,
                            y=None,
                            note=None,
                            nearby=None,
                            source="Stadt Bochum, statistische Bezirke (Namen)",
                        )
    return list(wanted.values())


def _replace_place_names(session: Session, data_dir: Path) -> bool:
    """All place names (see ``place_name_rows``), replaced when they changed."""
    by_number = {d.number: d.slug for d in session.exec(select(District)).scalars()}
    wanted = place_name_rows(data_dir, by_number)
    columns = ("name", "key", "kind", "district_slug", "x", "y", "source", "note", "nearby")
    stored = session.exec(select(PlaceName)).scalars().all()
    if sorted(tuple(getattr(p, c) for c in columns) for p in stored) == sorted(
        tuple(v[c] for c in columns) for v in wanted
    ):
        return False
    session.execute(delete(PlaceName))
    session.add_all(PlaceName(**v) for v in wanted)
    session.flush()
    return True

"""Placing points: the Stadtbezirk and postcode area of each point, vectorised.

The areas come from the database (loaded at set-up, ``app.importer.areas``) and are
kept in memory per database and areas version, as a shapely STRtree: one bulk
``query(points, predicate="within")`` places a whole batch, the import's 100,000
points as well as a single edit's one.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from sqlalchemy import select
from sqlmodel import Session

from app.db import state
from app.geo.crs import NRW_BOX, to_metric, wgs_to_utm
from app.geo.places import PlaceNotFound
from app.geo.resolve import resolve
from app.i18n import gettext as _
from app.models import District, PostcodeArea


@dataclass(frozen=True)
class AreaIndex:
    keys: list[str]
    geometries: np.ndarray  # shapely geometries, EPSG:25832
    tree: shapely.STRtree

    @classmethod
    def build(cls, keyed_geojson: list[tuple[str, str]]) -> "AreaIndex":
        keys = [k for k, _ in keyed_geojson]
        geoms = np.array([to_metric(shape(_json(g))) for _, g in keyed_geojson], dtype=object)
        return cls(keys, geoms, shapely.STRtree(geoms))

    def assign(self, x: np.ndarray, y: np.ndarray) -> list[str | None]:
        """The key of the area each point lies in (the first, on a shared border)."""
        found: list[str | None] = [None] * len(x)
        if not len(x) or not self.keys:
            return found
        points = shapely.points(x, y)
        point_idx, area_idx = self.tree.query(points, predicate="within")
        for p, a in zip(point_idx[::-1], area_idx[::-1], strict=True):  # first wins
            found[int(p)] = self.keys[int(a)]
        return found


def _json(text: str) -> dict:
    import json

    return json.loads(text)


@dataclass(frozen=True)
class Areas:
    districts: AreaIndex
    postcodes: AreaIndex


def load_areas(session: Session) -> Areas:
    """The Stadtbezirke and postcode areas of this database, cached per areas version."""
    return state.cached(session, state.AREAS, "placing", lambda: _build(session))


def _build(session: Session) -> Areas:
    districts = session.execute(
        select(District.slug, District.geometry)
        .where(District.level == "stadtbezirk", District.geometry.is_not(None))
        .order_by(District.number, District.slug)
    ).all()
    postcodes = session.execute(
        select(PostcodeArea.plz, PostcodeArea.geometry).order_by(PostcodeArea.plz)
    ).all()
    return Areas(
        AreaIndex.build([tuple(r) for r in districts]),
        AreaIndex.build([tuple(r) for r in postcodes]),
    )


def place_points(
    session: Session, xy: Sequence[tuple[float, float]]
) -> list[tuple[str | None, str | None]]:
    """(Stadtbezirk slug, postcode) of each (x, y) point in EPSG:25832."""
    if not xy:
        return []
    areas = load_areas(session)
    arr = np.asarray(xy, dtype=float)
    return list(
        zip(
            areas.districts.assign(arr[:, 0], arr[:, 1]),
            areas.postcodes.assign(arr[:, 0], arr[:, 1]),
            strict=True,
        )
    )


# --- a point typed by staff ----------------------------------------------------------

# How a found place becomes a point: (precision, what the public page says).
HOW = {
    "coordinates": ("staff", "Vom Amt gesetzt (Koordinaten)"),
    "address": ("address", "Vom Amt gesetzt nach der Adresse {label}"),
    "geocoder": ("address", "Vom Amt gesetzt nach der Adresse {label} (Adressdienst)"),
    "street": ("approximate", "Ungefähre Lage: Mitte der bekannten Adressen in {label}"),
    "postcode": ("approximate", "Ungefähre Lage: Mitte des Postleitzahlgebiets {label}"),
    "district": ("approximate", "Ungefähre Lage: Mitte des Stadtbezirks {label}"),
}
_COORDS = re.compile(r"^\s*(-?\d{1,2}(?:[.,]\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$")


def find_point(session: Session, text: str, geocoder: Any) -> dict[str, Any]:
    """What the typed address, postcode or "lat, lon" names: a point and how it was
    found, or the message why not."""
    if match := _COORDS.match(text):
        lat, lon = (float(g.replace(",", ".")) for g in match.groups())
        x, y = wgs_to_utm(lon, lat)
        x0, y0, x1, y1 = NRW_BOX
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            return {
                "error": _(
                    "Die Koordinaten liegen nicht in Nordrhein-Westfalen. Geben "
                    "Sie Breite und Länge ein, zum Beispiel 51.4818, 7.2162."
                )
            }
        kind, label = "coordinates", f"{lat:.6f}, {lon:.6f}"
    else:
        try:
            place = resolve(session, text, geocoder=geocoder)
        except PlaceNotFound as exc:
            return {"error": exc.message}
        if place.kind not in HOW:
            return {
                "error": _(
                    "„%(text)s“ ist zu ungenau für einen Punkt. Geben Sie bitte "
                    "eine Adresse, eine Postleitzahl oder Koordinaten ein.",
                    text=text,
                )
            }
        x, y, kind, label = place.x, place.y, place.kind, place.label
    precision, how = HOW[kind]
    return {
        "x": x,
        "y": y,
        "kind": kind,
        "precision": precision,
        "placed_by": how.format(label=f"„{label}“" if kind != "coordinates" else label),
    }


def outside_city(session: Session, lon: float, lat: float) -> bool:
    """Whether a WGS84 point lies outside every Stadtbezirk loaded into this database
    (False when none are loaded: then there is no city area to hold it to)."""
    x, y = wgs_to_utm(lon, lat)
    return outside_city_xy(session, x, y)


def outside_city_xy(session: Session, x: float, y: float) -> bool:
    """``outside_city`` for a point in EPSG:25832 (a point staff placed)."""
    areas = load_areas(session)
    if not areas.districts.keys:
        return False
    if not (np.isfinite(x) and np.isfinite(y)):
        return True
    return areas.districts.assign(np.array([x]), np.array([y]))[0] is None

"""Placing points: the Stadtbezirk and postcode area of each point, vectorised.

The areas come from the database (loaded at set-up, ``app.importer.areas``) and are
kept in memory per database and areas version, as a shapely STRtree: one bulk
``query(points, predicate="within")`` places a whole batch, the import's 100,000
points as well as a single edit's one.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape
from sqlalchemy import select
from sqlmodel import Session

from app.catalogue import state
from app.geo.crs import to_metric
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

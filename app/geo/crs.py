"""Coordinate reference systems: EPSG:25832 (ETRS89 / UTM 32N, metres) for joins and
distances, EPSG:4326 (WGS84) only at the edges (input, GeoJSON, maps)."""

import numpy as np
from pyproj import Transformer
from shapely import transform
from shapely.geometry.base import BaseGeometry

METRIC = "EPSG:25832"
WGS84 = "EPSG:4326"
# A generous box around North Rhine-Westphalia in EPSG:25832 (metres).
NRW_BOX = (270_000.0, 5_550_000.0, 560_000.0, 5_850_000.0)

_to_wgs = Transformer.from_crs(METRIC, WGS84, always_xy=True)
_to_metric = Transformer.from_crs(WGS84, METRIC, always_xy=True)


def utm_to_wgs(x: float, y: float) -> tuple[float, float]:
    """(x, y) in EPSG:25832 -> (lon, lat)."""
    lon, lat = _to_wgs.transform(x, y)
    return round(lon, 7), round(lat, 7)


def wgs_to_utm(lon: float, lat: float) -> tuple[float, float]:
    x, y = _to_metric.transform(lon, lat)
    return round(x, 2), round(y, 2)


def utm_to_wgs_many(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised ``utm_to_wgs``: arrays of lon and lat, rounded like it."""
    lon, lat = _to_wgs.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.round(lon, 7), np.round(lat, 7)


def wgs_to_utm_many(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = _to_metric.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.round(x, 2), np.round(y, 2)


def to_metric(geometry: BaseGeometry) -> BaseGeometry:
    """A shapely geometry from EPSG:4326 to EPSG:25832."""
    return transform(geometry, lambda c: np.column_stack(_to_metric.transform(c[:, 0], c[:, 1])))

"""Generated test and benchmark data, marked as such: a city POI file of any size.

Rows have the city's columns and format (``;``, every field quoted, EPSG:25832); names
say "(generiert)", descriptions say it is not a real place, and the points are spread
uniformly over the real Stadtbezirke (rejection sampling inside their union), so the
importer places and joins them as it does real ones.
"""

import csv
from pathlib import Path

import numpy as np
import shapely

from app.geo import areas
from app.geo.crs import METRIC
from app.importer.rows import POI_COLUMNS

KITA_PATHS = (
    "Soziales/Kindertagesstätten/Ev. Kindertagesstätten",
    "Soziales/Kindertagesstätten/Kommunale Kindertagesstätten",
    "Soziales/Kindertagesstätten/Kindertagesstätten freie Wohlfahrtsverbände",
)


def points_in_city(data_dir: Path, n: int, seed: int = 1) -> np.ndarray:
    """``n`` random points (x, y) in EPSG:25832 inside the real Stadtbezirke."""
    city = areas.load_stadtbezirke(data_dir).to_crs(METRIC).geometry.union_all()
    shapely.prepare(city)
    minx, miny, maxx, maxy = city.bounds
    rng = np.random.default_rng(seed)
    found: list[np.ndarray] = []
    have = 0
    while have < n:
        xs = rng.uniform(minx, maxx, n)
        ys = rng.uniform(miny, maxy, n)
        inside = shapely.contains_xy(city, xs, ys)
        batch = np.column_stack([xs[inside], ys[inside]])
        found.append(batch)
        have += len(batch)
    return np.round(np.vstack(found)[:n])


def write_poi_file(path: Path, data_dir: Path, n: int, seed: int = 1) -> Path:
    """A daycare POI file of ``n`` generated Kitas, every tenth a Familienzentrum."""
    points = points_in_city(data_dir, n, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(POI_COLUMNS)
        for i, (x, y) in enumerate(points):
            kind = "Familienzentrum" if i % 10 == 0 else "Kita"
            writer.writerow(
                [
                    str(900_000 + i),
                    f"Generierte {kind} {i} (generiert)",
                    f"Generierte Straße {i % 997} {i % 89 + 1}",
                    f"{44787 + 2 * (i % 5)} Bochum",
                    "Kindertagesstätten",
                    "Soziales",
                    "Generierter Eintrag für Tests und Benchmarks, keine echte Einrichtung.",
                    "",
                    "3",
                    "Örtlich",
                    "1",
                    "2020-01-01",
                    "2023-06-01",
                    "1",
                    KITA_PATHS[i % len(KITA_PATHS)],
                    f"{x:.0f}",
                    f"{y:.0f}",
                    "2023-10-17",
                ]
            )
    return path

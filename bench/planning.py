"""Benchmark of the planning view's coverage computation (``make bench`` calls it from
``bench.__main__``; ``python -m bench.planning`` runs it alone on SQLite).

Rows: the whole coverage computation, cold (cache cleared: reading the database,
building the grid, every kind's reach and 2SFCA, the ranking), and the cached answer,
on the real city and on a generated city with 100 times the offers (every real offer
with a point copied 99 times, moved up to 1.5 km, named "generiert"). Each time is also
given as a ratio to a floor measured in the same run: one GeoPandas spatial join of
the same offer points with the same 100 m grid. The goal: the cold computation for
the real city within 2 s on this machine.
"""

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from sqlmodel import Session

from app.catalogue.write import create_offers
from app.catalogue.writers import Actor, NewOffer, Placement, SourceInfo
from app.config import get_settings
from app.db import migrate
from app.db.session import make_engine
from app.geo.crs import METRIC
from app.models import OfferCreate
from app.planning import coverage as coverage_mod
from app.planning import grid as gridmod
from app.planning.scenario import Site, what_if
from app.planning.snapshot import take_snapshot

BENCH = Actor("benchmark", "system")
# the what-if row: two new Kitas (Wattenscheid, Mitte) and an OGS (Süd)
SCENARIO = [
    Site("kita", 51.4830, 7.1290, 60),
    Site("kita", 51.4818, 7.2162, 40),
    Site("ogs", 51.4450, 7.2600, None),
]
COPIES = 99  # + the original: 100 times the offers
JITTER_M = 1500


def _median(fn, repeat: int) -> float:  # noqa: ANN001
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def _floor(session: Session, repeat: int) -> tuple[float, int, int]:
    """One spatial join of every offer point (of the planning kinds) with the grid's
    100 m cells; returns (seconds, points, cells)."""
    snap = take_snapshot(session)
    grid = gridmod.build_grid([a.shape for a in snap.top], get_settings().planning_grid_m)
    half = grid.size / 2
    cells = gpd.GeoDataFrame(
        geometry=shapely.box(grid.x - half, grid.y - half, grid.x + half, grid.y + half), crs=METRIC
    )
    xs = np.concatenate([p.x[p.has_point] for p in snap.offers.values()])
    ys = np.concatenate([p.y[p.has_point] for p in snap.offers.values()])
    points = gpd.GeoDataFrame(geometry=shapely.points(xs, ys), crs=METRIC)
    seconds = _median(lambda: gpd.sjoin(points, cells, how="inner", predicate="within"), repeat)
    return seconds, len(points), len(cells)


def measure(url: str, label: str, repeat: int = 5) -> list[str]:
    """Table rows for the database at ``url``."""
    engine = make_engine(url)
    rows = []
    with Session(engine) as session:
        floor, n_points, n_cells = _floor(session, repeat)

        def cold() -> None:
            coverage_mod.clear_cache()
            coverage_mod.coverage(session)

        t_cold = _median(cold, repeat)
        coverage_mod.coverage(session)
        t_warm = _median(lambda: coverage_mod.coverage(session), repeat * 4)
        cov = coverage_mod.coverage(session)
        t_what_if = _median(lambda: what_if(cov, SCENARIO), repeat * 4)
    engine.dispose()
    rows.append(
        f"| {label} | floor: one sjoin of {n_points} offer points with {n_cells} "
        f"grid cells | {floor:.3f} s | 1.0 |"
    )
    rows.append(
        f"| {label} | coverage, cold (all kinds, reach, 2SFCA, ranking) | "
        f"{t_cold:.3f} s | {t_cold / floor:.1f} |"
    )
    rows.append(f"| {label} | coverage, cached | {t_warm:.4f} s | {t_warm / floor:.2f} |")
    rows.append(
        f"| {label} | what-if: {len(SCENARIO)} new sites (Kita, OGS), incremental | "
        f"{t_what_if:.4f} s | {t_what_if / floor:.2f} |"
    )
    return rows


def generate_copies(url: str, copies: int = COPIES, seed: int = 10) -> int:
    """Add ``copies`` generated copies of every offer with a point (same categories,
    moved up to JITTER_M metres); returns how many were added."""
    from sqlalchemy import select

    from app.models import Location, Offer

    rnd = random.Random(seed)
    engine = make_engine(url)
    added = 0
    with Session(engine) as session:
        originals = session.execute(
            select(Offer, Location.x, Location.y)
            .join(Location, Location.id == Offer.location_id)
            .where(Offer.archived_at.is_(None), Location.x.is_not(None))
        ).all()
        templates = [
            (o.category, [c for c in o.category_slugs if c != o.category], x, y)
            for o, x, y in originals
        ]
        batch: list[NewOffer] = []
        for n in range(copies):
            for i, (category, extra, x, y) in enumerate(templates):
                data = OfferCreate(
                    name=f"Generiertes Angebot {n}-{i} (generiert, Benchmark)",
                    category=category,
                    extra_categories=extra,
                )
                batch.append(
                    NewOffer(
                        data,
                        SourceInfo("benchmark-planung", f"{n}-{i}"),
                        Placement(
                            x + rnd.uniform(-JITTER_M, JITTER_M),
                            y + rnd.uniform(-JITTER_M, JITTER_M),
                        ),
                    )
                )
                if len(batch) == 5000:
                    create_offers(session, batch, BENCH)
                    added += len(batch)
                    batch = []
        create_offers(session, batch, BENCH)
        added += len(batch)
        session.commit()
    engine.dispose()
    return added


HEADER = ["| data | case | median | ÷ floor |", "|---|---|---|---|"]


def run(url: str, backend: str, repeat: int = 5) -> list[str]:
    """Rows for the real city at ``url`` (freshly imported, nothing else added), then
    for the same database with 100 times the offers (generated)."""
    rows = measure(url, f"{backend}, real Bochum data", repeat)
    added = generate_copies(url)
    rows += measure(
        url, f"{backend}, generated city: 100 × the offers (+{added} generiert)", repeat
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench-planning.db'}"
        migrate.upgrade(url)
        from app.importer.run import run_import

        run_import(make_engine(url), settings.data_dir, geojson_target=Path(tmp) / "d.geojson")
        rows = HEADER + run(url, "sqlite", args.repeat)
    print("\n".join(rows))


if __name__ == "__main__":
    main()

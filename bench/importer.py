"""The importer's speed: a generated city POI file of N rows through the real importer,
as rows per second, against reading the same file with the csv module alone (the
floor, measured in the same run).

    python -m bench.importer --rows 100000 --db sqlite,postgres
"""

import argparse
import csv
import tempfile
import time
from pathlib import Path

from app.config import get_settings
from app.db import migrate
from app.db.session import make_engine
from app.importer.rules import DAYCARE
from app.importer.run import run_import
from bench.databases import new_database
from bench.generate import write_poi_file

NEEDED = ("boundaries", "population")


def data_dir_with(tmp: Path, rows: int) -> Path:
    """A data directory with the real boundaries and population and a generated
    daycare file of ``rows`` rows in place of the real one."""
    real = get_settings().data_dir
    data = tmp / "data"
    data.mkdir(parents=True)
    for name in NEEDED:
        (data / name).symlink_to(real / name)
    write_poi_file(data / DAYCARE, real, rows)
    return data


def csv_floor(path: Path) -> float:
    t0 = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for _ in csv.reader(fh, delimiter=";"):
            pass
    return time.perf_counter() - t0


def bench_import(backend: str, rows: int, tmp: Path) -> list[str]:
    data = data_dir_with(tmp, rows)
    floor = min(csv_floor(data / DAYCARE) for _ in range(3))
    url, cleanup = new_database(backend, tmp)
    try:
        migrate.upgrade(url)
        engine = make_engine(url)
        t0 = time.perf_counter()
        report = run_import(engine, data, files=[DAYCARE], geojson_target=tmp / "districts.geojson")
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = run_import(engine, data, files=[DAYCARE], geojson_target=tmp / "districts.geojson")
        second = time.perf_counter() - t0
        engine.dispose()
    finally:
        cleanup()
    assert report.inserted == rows, report.summary()
    assert again.unchanged == rows, again.summary()
    return [
        f"| {backend} | csv module alone (floor) | {rows:,} | {floor:.2f} s | "
        f"{rows / floor:,.0f} | 1.0 |",
        f"| {backend} | first import (all new) | {rows:,} | {first:.2f} s | "
        f"{rows / first:,.0f} | {first / floor:.1f} |",
        f"| {backend} | second import (unchanged) | {rows:,} | {second:.2f} s | "
        f"{rows / second:,.0f} | {second / floor:.1f} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite,postgres")
    args = parser.parse_args()
    lines = [
        "| database | run | rows | time | rows/s | time ÷ floor |",
        "|---|---|---|---|---|---|",
    ]
    for backend in args.db.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            lines += bench_import(backend, args.rows, Path(tmp))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

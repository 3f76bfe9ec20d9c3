"""Benchmark of the HSDS whole-catalogue dump (``GET /api/hsds/services?format=ndjson``)
on a real Uvicorn server: the time to the last byte, the size, and the worker's memory
(RSS) before and at its peak while the dump streams, sampled every 50 ms. The dump
reads offers in chunks by id, so its memory should not grow with the catalogue.

    python -m bench.hsds                      # SQLite, real city + 100,000 generated
    python -m bench.hsds --db postgres --rows 10000

``make bench`` adds the same row for the generated city (``bench.__main__``).
"""

import argparse
import tempfile
import threading
import time
from pathlib import Path

import httpx

from app.config import get_settings
from app.db import migrate
from app.db.session import make_engine
from app.importer.rules import DAYCARE
from app.importer.run import run_import
from bench.databases import new_database
from bench.importer import data_dir_with
from bench.server import running_server, worker_rss_mb

HEADER = (
    "| database, data | services | MB (uncompressed) | time | services/s | RSS before | RSS peak |",
    "|---|---|---|---|---|---|---|",
)


def measure(base: str, pid: int) -> dict[str, float]:
    """One full dump, streamed and counted line by line, with the worker's RSS."""
    before = max(worker_rss_mb(pid))
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, *worker_rss_mb(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    lines = size = 0
    t0 = time.perf_counter()
    with httpx.stream(
        "GET", f"{base}/api/hsds/services", params={"format": "ndjson"}, timeout=600
    ) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    took = time.perf_counter() - t0
    done.set()
    sampler.join()
    return {"services": lines, "mb": size / 1e6, "seconds": took, "before": before, "peak": peak}


def row(label: str, m: dict[str, float]) -> str:
    return (
        f"| {label} | {m['services']:,.0f} | {m['mb']:.0f} | {m['seconds']:.1f} s | "
        f"{m['services'] / m['seconds']:,.0f} | {m['before']:.0f} MB | {m['peak']:.0f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    data = get_settings().data_dir
    print("\n".join(HEADER))
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        url, cleanup = new_database(args.db, tmpdir)
        try:
            migrate.upgrade(url)
            engine = make_engine(url)
            run_import(engine, data, geojson_target=tmpdir / "d.geojson")
            generated = data_dir_with(tmpdir / "gen", args.rows)
            run_import(engine, generated, files=[DAYCARE], geojson_target=tmpdir / "d.geojson")
            engine.dispose()
            with running_server(url) as (base, pid):
                label = f"{args.db}, real city + {args.rows:,} generated"
                print(row(label, measure(base, pid)), flush=True)
        finally:
            cleanup()


if __name__ == "__main__":
    main()

"""Benchmarks: speed and memory of the listings, as ratios against a floor.

The floor is ``GET /healthz`` through the same app and client, measured in the same
run, so the ratios mean the same on a fast or a slow machine. Data: the real Bochum
import when DATA_DIR is there, plus a generated catalogue (marked "generiert") of
10,000 offers to see how the queries scale. Nothing here asserts a time.

    make bench                     # SQLite, and PostgreSQL when reachable
    python -m bench.run --sizes 1000,10000 --db sqlite
"""

import argparse
import random
import statistics
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.catalogue.categories import SLUGS
from app.catalogue.write import create_offer
from app.config import get_settings
from app.db import migrate
from app.db.session import get_session, make_engine
from app.main import create_app
from app.models import OfferCreate

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# Bochum's bounding box (WGS84), for generated points.
BBOX = (7.10, 51.41, 7.35, 51.53)


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of ``repeat`` calls after two warm-up calls."""
    fn()
    fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def peak_memory(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def generate(engine, n: int, start: int = 0) -> None:  # noqa: ANN001
    rnd = random.Random(start + 1)
    with Session(engine) as session:
        for i in range(start, start + n):
            create_offer(session, OfferCreate(
                name=f"Generiertes Angebot {i} (generiert, Benchmark)",
                category=rnd.choice(SLUGS), street=f"Teststraße {i % 300}",
                description="Generierter Eintrag für Benchmarks, keine echte Einrichtung.",
                lat=rnd.uniform(BBOX[1], BBOX[3]), lon=rnd.uniform(BBOX[0], BBOX[2]),
                age_min=rnd.choice([None, 0, 3, 6]), age_max=rnd.choice([None, 6, 10, 18])),
                source="benchmark", source_id=str(i))
            if i % 1000 == 999:
                session.commit()
        session.commit()


def new_database(backend: str, tmp: Path) -> tuple[str, Callable[[], None]]:
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}", lambda: None
    name = f"fw_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_ADMIN).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", drop


def client_for(url: str) -> TestClient:
    engine = make_engine(url)
    app = create_app()

    def _session():  # noqa: ANN202
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    return TestClient(app)


CASES = (
    ("search page, text", "/angebote?q=kita"),
    ("search page, category+district+age", "/angebote?kategorie=kita&bezirk=mitte&alter=3"),
    ("search JSON, page 1 of all", "/angebote.json"),
    ("near me, 2 km around a point", "/angebote.json?lat=51.4818&lon=7.2162&umkreis=2000"),
    ("CSV export, every match", "/angebote.csv"),
    ("GeoJSON export, every match", "/angebote.geojson"),
    ("home page with counts", "/"),
    ("map of every offer (SVG)", "/karte"),
    ("districts with counts", "/bezirke"),
    ("offer detail page", "/angebote/1"),
)


def run_dataset(label: str, url: str, repeat: int) -> list[str]:
    rows = []
    with client_for(url) as client:
        floor = timed(lambda: client.get("/healthz"), repeat * 2)
        floor_mem = peak_memory(lambda: client.get("/healthz"))
        rows.append(f"| {label} | floor: GET /healthz | {floor * 1000:.2f} ms | 1.0 | 1.0 |")
        for name, path in CASES:
            response = client.get(path)
            if response.status_code != 200:
                rows.append(f"| {label} | {name} | HTTP {response.status_code} | – | – |")
                continue
            t = timed(lambda p=path: client.get(p), repeat)
            mem = peak_memory(lambda p=path: client.get(p))
            rows.append(f"| {label} | {name} (`{path}`) | {t * 1000:.2f} ms | "
                        f"{t / floor:.1f} | {mem / max(floor_mem, 1):.1f} |")
    return rows


def _planning(backends: list[str], tmp: Path, data_dir: Path) -> list[str]:
    """The planning view's rows (``bench.planning``), each backend in a fresh database
    holding the real import only."""
    if not data_dir.exists():
        return []
    from app.importer.run import run_import
    from bench import planning

    rows = list(planning.HEADER)
    for backend in backends:
        try:
            url, cleanup = new_database(backend, tmp)
        except Exception as exc:  # noqa: BLE001
            print(f"skipping planning on {backend}: {exc.__class__.__name__}: {exc}")
            continue
        try:
            migrate.upgrade(url)
            run_import(make_engine(url), data_dir, geojson_target=tmp / "districts.geojson")
            rows += planning.run(url, backend)
        finally:
            cleanup()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--sizes", default="10000", help="cumulative generated offers")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    settings = get_settings()
    rows = ["| data | case | median | time ÷ floor | peak memory ÷ floor |",
            "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.db.split(","):
            try:
                url, cleanup = new_database(backend, Path(tmp))
            except Exception as exc:  # noqa: BLE001
                print(f"skipping {backend}: {exc.__class__.__name__}: {exc}")
                continue
            try:
                migrate.upgrade(url)
                if settings.data_dir.exists():
                    from app.importer.run import run_import

                    run_import(make_engine(url), settings.data_dir)
                    rows += run_dataset(f"{backend}, real Bochum data", url, args.repeat)
                generated = 0
                for size in (int(s) for s in args.sizes.split(",")):
                    generate(make_engine(url), size - generated, start=generated)
                    generated = size
                    rows += run_dataset(f"{backend}, + {size} generated", url, args.repeat)
            finally:
                cleanup()
        planning_rows = _planning(args.db.split(","), Path(tmp), settings.data_dir)
    table = "\n".join(rows)
    if planning_rows:
        table += "\n\n## Planning view: coverage computation\n\n" + "\n".join(planning_rows)
    print(table)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

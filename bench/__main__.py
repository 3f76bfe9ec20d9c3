"""``make bench``: the app as users meet it, a real server under concurrent load.

For each database (SQLite, and PostgreSQL/PostGIS when reachable) and each data set
(the real city; the real city plus a generated POI file of 100,000 Kitas, marked
"generiert", run through the real importer and timed), a Uvicorn server is started as
``make run`` starts it and ``wrk --latency`` loads it from a separate process at 1 and
32 connections. Every row gives requests/s, p50, p99 and p99 ÷ the floor's p99, the
floor being ``GET /healthz`` on the same server, measured in the same run. Also: the
import's rows/s against reading the same CSV with the csv module, server memory (RSS)
at start and end, the search page's weight (HTML + CSS + JS, gzip), and a PostGIS row
with several workers as ``compose.yaml`` runs it. At the generated size, the table of
issue 22 (``bench.fresh``): every request a new URL, against its targets, with a pinned
Datasette on the same rows beside it (installed into ``bench/.venv-datasette`` on first
use). The report goes to ``bench/results/latest.md``. Nothing here asserts a time.

    make bench                       # the full report (about 15 minutes on 2 cores)
    python -m bench --quick          # 3 s per row, 10,000 generated rows
"""

import argparse
import gzip
import os
import platform
import re
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from app.config import get_settings
from app.db import migrate
from app.db.session import make_engine
from app.importer.rules import DAYCARE
from app.importer.run import run_import
from bench import fresh, hsds, planning, wrk
from bench.databases import new_database
from bench.importer import csv_floor, data_dir_with
from bench.server import running_server, worker_rss_mb

RESULTS = Path(__file__).parent / "results"

# Every request says what a browser says: it takes gzip.
BROWSER = {"Accept-Encoding": "gzip"}
# (label, path, extra headers); {offer} is the id of a real Kita.
WORKLOADS = (
    ("search page, text + kind", "/angebote?q=kita&kategorie=kita", {}),
    ("search partial (HTMX)", "/angebote?q=kita&kategorie=kita", {"HX-Request": "true"}),
    ("search JSON", "/angebote.json?q=kita&kategorie=kita", {}),
    ("filter: kind + district + age", "/angebote?kategorie=kita&bezirk=mitte&alter=3", {}),
    ("near me: postcode", "/angebote?nahe=44866", {}),
    ("near me: point, 2 km", "/angebote?lat=51.4818&lon=7.2162&umkreis=2000", {}),
    ("offer page", "/angebote/{offer}", {}),
    ("map (/karte)", "/karte", {}),
    ("districts (/bezirke)", "/bezirke", {}),
    ("planning (/planung, cached)", "/planung?kategorie=kita", {}),
)
SINGLE = ("search page, text + kind", "search JSON", "near me: point, 2 km", "offer page")


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        self.lines += lines
        for line in lines:
            print(line, flush=True)


def machine() -> str:
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return (
        f"{os.cpu_count()} cores, {mem_kb / 1024 / 1024:.0f} GiB memory, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{datetime.now():%Y-%m-%d %H:%M}"
    )


def a_real_kita(base: str) -> int:
    found = httpx.get(f"{base}/angebote.json", params={"kategorie": "kita", "q": "kita"})
    items = [i for i in found.json()["items"] if "generiert" not in i["name"]]
    return (items or found.json()["items"])[0]["id"]


def load_rows(
    report: Report,
    label: str,
    base: str,
    pid: int,
    *,
    seconds: int,
    connections: tuple[int, ...],
    workloads=WORKLOADS,
    workers: int = 1,
) -> dict[str, float]:
    """The workloads at each connection count; returns p99 per (workload, c)."""
    offer = a_real_kita(base)
    p99: dict[str, float] = {}
    report.add(
        f"\n### {label}",
        "",
        f"server RSS at start: {_rss(pid)}",
        "",
        "| workload | connections | requests/s | p50 ms | p99 ms | p99 ÷ floor | errors |",
        "|---|---|---|---|---|---|---|",
    )
    for c in connections:
        floor = wrk.run(f"{base}/healthz", connections=c, seconds=seconds, headers=BROWSER)
        report.add(_row("floor: GET /healthz", c, floor, floor.p99_ms))
        for name, path, headers in workloads:
            if c == 1 and name not in SINGLE:
                continue
            url = base + path.format(offer=offer)
            headers = {**BROWSER, **headers}
            httpx.get(url, headers=headers, timeout=60)  # the steady state: built once
            if workers > 1:  # ... by every worker (each keeps its own cache)
                wrk.run(url, connections=c, seconds=2, headers=headers)
            result = wrk.run(url, connections=c, seconds=seconds, headers=headers)
            p99[f"{name}@{c}"] = result.p99_ms
            report.add(_row(name, c, result, floor.p99_ms))
    report.add("", f"server RSS at end: {_rss(pid)}")
    return p99


def _row(name: str, c: int, load: wrk.Load, floor_p99: float) -> str:
    return f"| {name} | {c} | " + " | ".join(load.row(floor_p99)) + " |"


def _rss(pid: int) -> str:
    return ", ".join(f"{mb:.0f} MB" for mb in worker_rss_mb(pid)) + " per worker"


def page_weight(base: str) -> str:
    """Bytes of the search page with its CSS and JS, raw and gzip-compressed."""
    html = httpx.get(f"{base}/angebote?q=kita").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    parts = [html.encode()] + [httpx.get(base + a).content for a in assets]
    raw = sum(len(p) for p in parts)
    packed = sum(len(gzip.compress(p, 6)) for p in parts)
    return (
        f"search page with {len(assets)} assets: {raw / 1024:.1f} KB, "
        f"{packed / 1024:.1f} KB gzip-compressed"
    )


def run(args: argparse.Namespace) -> None:
    if not wrk.available():
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    report = Report()
    report.add(
        "# make bench",
        "",
        f"Machine: {machine()}.",
        "",
        f"Each row: {args.seconds} s of `wrk --latency` from a separate process "
        "against Uvicorn on 127.0.0.1 (one worker unless said), floor = "
        "`GET /healthz` on the same server in the same run. Requests take gzip, "
        "as browsers do. Each URL is "
        "requested once before its row (the steady state a reader meets: the "
        "response cache holds the page until the catalogue changes); the rows "
        "'every request a new URL' (an ignored extra parameter, a phone position or "
        "an offer id new each time) defeat the response cache and show what "
        "building a page costs under load; their shape's first answer after a "
        "catalogue change (which ranks every match once) is timed apart.",
    )
    data = get_settings().data_dir
    growth: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        generated = data_dir_with(tmpdir / "gen", args.rows)
        floor = min(csv_floor(generated / DAYCARE) for _ in range(3))
        imports = [
            "| database | run | rows | time | rows/s | time ÷ floor |",
            "|---|---|---|---|---|---|",
            f"| – | csv module alone (floor) | {args.rows:,} | {floor:.2f} s | "
            f"{args.rows / floor:,.0f} | 1.0 |",
        ]
        for backend in args.db:
            url, cleanup = new_database(backend, tmpdir)
            try:
                migrate.upgrade(url)
                engine = make_engine(url)
                run_import(engine, data, geojson_target=tmpdir / "d.geojson")
                engine.dispose()
                with running_server(url) as (base, pid):
                    if backend == args.db[0]:
                        report.add("", "## Page weight", "", page_weight(base))
                    report.add("", f"## {backend}")
                    growth[backend] = load_rows(
                        report,
                        f"{backend}, real city",
                        base,
                        pid,
                        seconds=args.seconds,
                        connections=(32,),
                    )
                engine = make_engine(url)
                for label in ("first import (all new)", "second import (unchanged)"):
                    t0 = time.perf_counter()
                    run_import(
                        engine, generated, files=[DAYCARE], geojson_target=tmpdir / "d.geojson"
                    )
                    took = time.perf_counter() - t0
                    imports.append(
                        f"| {backend} | {label} | {args.rows:,} | {took:.1f} s | "
                        f"{args.rows / took:,.0f} | {took / floor:.0f} |"
                    )
                engine.dispose()
                report.add(
                    "",
                    f"{args.rows:,} generated Kitas imported through the real "
                    f"importer in {imports[-2].split('|')[4].strip()} (see Import)",
                )
                with running_server(url) as (base, pid):
                    big = load_rows(
                        report,
                        f"{backend}, real city + {args.rows:,} generated",
                        base,
                        pid,
                        seconds=args.seconds,
                        connections=(1, 32),
                    )
                _growth(report, growth[backend], big)
                with running_server(url) as (base, pid):
                    rows, ours = fresh.table(base, pid, url, seconds=args.seconds)
                report.add(
                    "",
                    f"### {backend}, real city + {args.rows:,} generated: every request a "
                    "new URL, one worker, 2 threads × 32 connections (issue 22)",
                    "",
                    *rows,
                    *fresh.versus_datasette(url, tmpdir, seconds=args.seconds, ours=ours),
                )
                with running_server(url) as (base, pid):
                    dump = hsds.row(
                        f"{backend}, real city + {args.rows:,}", hsds.measure(base, pid)
                    )
                report.add("", "HSDS whole-catalogue dump (ndjson):", "", *hsds.HEADER, dump)
                if backend == "postgres":
                    with running_server(url, workers=args.workers) as (base, pid):
                        load_rows(
                            report,
                            f"postgres, {args.workers} workers (as compose."
                            f"yaml), real city + {args.rows:,} generated",
                            base,
                            pid,
                            seconds=args.seconds,
                            connections=(32,),
                            workloads=[w for w in WORKLOADS if w[0] in SINGLE],
                            workers=args.workers,
                        )
            finally:
                cleanup()
            report.add(
                "",
                f"Planning view on {backend}, the whole coverage computation "
                "(cold: cache cleared), in a database of its own:",
                "",
                *planning.HEADER,
                *_planning(backend, tmpdir, data),
            )
    report.add("", "## Import: a generated city POI file through the real importer", "", *imports)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text("\n".join(report.lines) + "\n", encoding="utf-8")
    print(f"\nwritten to {RESULTS / 'latest.md'}")


def _planning(backend: str, tmp: Path, data: Path) -> list[str]:
    url, cleanup = new_database(backend, tmp)
    try:
        migrate.upgrade(url)
        engine = make_engine(url)
        run_import(engine, data, geojson_target=tmp / "d.geojson")
        engine.dispose()
        return planning.run(url, backend)
    finally:
        cleanup()


def _growth(report: Report, real: dict[str, float], big: dict[str, float]) -> None:
    report.add("", "| workload (32 connections) | p99 growth, real city → generated |", "|---|---|")
    for key, value in real.items():
        if key in big and value:
            report.add(f"| {key.split('@')[0]} | {big[key] / value:.2f}× |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="3 s per row, 10,000 rows")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.rows = 3, 10_000
    args.db = [b for b in args.db.split(",") if b != "postgres" or _postgres_up()]
    run(args)


def _postgres_up() -> bool:
    try:
        new_database("postgres", Path(tempfile.gettempdir()))[1]()
        return True
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL not reachable, its rows are left out: {exc.__class__.__name__}")
        return False


if __name__ == "__main__":
    main()

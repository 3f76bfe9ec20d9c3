"""Load test: 60 s at 100 connections (wrk) on search, near-me and offer pages, with the
real data, on a real uvicorn server on 127.0.0.1 started as ``make run`` starts it.

    python -m bench.loadtest [--db sqlite|postgres] [--duration 60] [--connections 100]
                             [--workers 2] [--edits 100] [--races 5]
    make loadtest LOADTEST_ARGS="--db postgres"

Reports requests/s, latency percentiles, errors and non-2xx answers, and the server's
memory (resident set of the server and its workers) at start and end, into
``bench/results/loadtest-<db>.md``. Meanwhile, once the admin API exists (found in the
OpenAPI schema: a PATCH/PUT of ``/api/.../{id}`` with a bearer token), 100 edits go
through it, and afterwards each must be stored exactly once with its audit entry; while
it does not exist, the report says so. Also meanwhile: ``--races`` rounds of the
same-offer race (20 PATCHes with the same ``If-Match`` at once: exactly one 200, the
rest 409, one change-log entry) and one burst of 100 authenticated requests at once
(PATCHes, change logs, reads with a token: no 5xx, p99), with ``bench.concurrency``.
Exit code 1 on any error, non-2xx answer, lost or doubled edit, race with more or
fewer than one winner, or 5xx in the burst. Traffic goes to 127.0.0.1 only, and stops by itself.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlalchemy import select
from sqlmodel import Session

from app.config import PROJECT_ROOT, get_settings
from app.db import migrate
from app.db.session import make_engine
from app.importer.run import run_import
from app.models import District, Offer, PostcodeArea
from app.models.categories import SLUGS
from bench.concurrency import (
    BURST_SERVER_ENV,
)
from bench.databases import new_database
from bench.loadtest_writes import (
    Edits,
    Races,
    check_edits,
    races_text,
    send_edits,
    send_races,
)
from bench.server import free_port

RESULTS = PROJECT_ROOT / "bench" / "results"
SERVER_FLAGS = ("--no-server-header", "--no-access-log", "--log-config", "app/logging.json")

LUA = """
local paths = {%(paths)s}
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  non2xx = 0
  i = id * 7919
end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("non2xx") end
  io.write(string.format('RESULT {"requests": %%d, "duration_us": %%d, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "non2xx": %%d, ' ..
    '"p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout, n,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and its children (the uvicorn workers), in KiB."""
    total = 0
    pids = [pid] + [int(p) for p in _children(pid)]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total


def _children(pid: int) -> list[str]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            found += children.read_text().split()
    return found


def urls(engine: Any, rng: random.Random) -> dict[str, list[str]]:
    """Search, near-me and offer page paths over the real data."""
    with Session(engine) as session:
        offer_ids = list(session.execute(select(Offer.id)).scalars())
        points = [
            (o.location.lat, o.location.lon)
            for o in session.execute(select(Offer).limit(400)).scalars()
            if o.location and o.location.lat
        ]
        postcodes = list(session.execute(select(PostcodeArea.plz)).scalars())
        districts = list(session.execute(select(District.slug)).scalars())
    words = [
        "kita",
        "familienzentrum",
        "spielplatz",
        "beratung",
        "schule",
        "senioren",
        "jugend",
        "familie",
        "grundschule",
        "ev",
    ]
    search = [f"/angebote?{urlencode({'q': w})}" for w in words]
    search += [f"/angebote?{urlencode({'kategorie': k})}" for k in SLUGS]
    search += [
        f"/angebote?{urlencode({'bezirk': d, 'kategorie': 'kita', 'alter': 3})}" for d in districts
    ]
    search += [f"/angebote.json?{urlencode({'q': w, 'seite': 1})}" for w in words[:4]]
    near = [f"/angebote?{urlencode({'nahe': p})}" for p in postcodes]
    near += [
        f"/angebote?{urlencode({'lat': f'{lat:.5f}', 'lon': f'{lon:.5f}', 'umkreis': u})}"
        for (lat, lon), u in zip(
            rng.sample(points, min(40, len(points))), [500, 1000, 2000, 5000] * 10, strict=False
        )
    ]
    offers = [f"/angebote/{i}" for i in rng.sample(offer_ids, min(300, len(offer_ids)))]
    return {"search": search, "near": near, "offer": offers}


def run(args: argparse.Namespace) -> int:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    rng = random.Random(13)
    tmp = Path(tempfile.mkdtemp(prefix="fw-loadtest-"))
    url, cleanup = new_database(args.db, tmp)
    server = None
    try:
        print(f"importing the real data into {args.db} …", flush=True)
        migrate.upgrade(url)
        engine = make_engine(url)
        report = run_import(
            engine, get_settings().data_dir, geojson_target=tmp / "districts.geojson"
        )
        paths = urls(engine, rng)
        every = [p for kind in ("search", "near", "offer") for p in paths[kind]]
        rng.shuffle(every)
        script = tmp / "paths.lua"
        script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in every)})

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (tmp / "server.log").open("w")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:app",
                *SERVER_FLAGS,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "DATABASE_URL": url, "ASSETS": "local", **BURST_SERVER_ENV},
        )
        for _ in range(600):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        for path in every[:50]:  # warm up every worker's caches
            httpx.get(base + path, timeout=60)
        rss_start = rss_kib(server.pid)

        edits = Edits()
        editor = threading.Thread(
            target=send_edits, args=(base, url, engine, args.edits, edits, rng), daemon=True
        )
        editor.start()
        races = Races()
        racer = threading.Thread(
            target=send_races, args=(base, url, engine, args.races, races), daemon=True
        )
        racer.start()
        print(
            f"wrk: {args.duration} s at {args.connections} connections on {len(every)} "
            f"paths ({', '.join(f'{len(v)} {k}' for k, v in paths.items())}) …",
            flush=True,
        )
        done = subprocess.run(
            [
                "wrk",
                f"-t{args.threads}",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                str(script),
                base,
            ],
            capture_output=True,
            text=True,
            timeout=args.duration + 120,
        )
        editor.join(timeout=300)
        racer.join(timeout=300)
        rss_end = rss_kib(server.pid)
        line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            print(done.stdout, done.stderr)
            return 1
        result = json.loads(line.removeprefix("RESULT "))
        if edits.sent:
            check_edits(engine, edits)
        engine.dispose()
        text = report_text(args, result, rss_start, rss_end, paths, edits, report.summary())
        text += races_text(races)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"loadtest-{args.db}.md").write_text(text)
        print(text)
        errors = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
        return 1 if errors or result["non2xx"] or edits.problems or races.problems else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


def report_text(
    args: argparse.Namespace,
    r: dict[str, int],
    rss_start: int,
    rss_end: int,
    paths: dict[str, list[str]],
    edits: Edits,
    imported: str,
) -> str:
    seconds = r["duration_us"] / 1e6
    errors = {k: r[k] for k in ("connect", "read", "write", "status", "timeout")}
    lines = [
        f"# Load test ({args.db}, {time.strftime('%Y-%m-%d %H:%M')})",
        "",
        f"wrk, {args.threads} threads, {args.connections} connections, {seconds:.0f} s, "
        f"uvicorn with {args.workers} workers on 127.0.0.1, real data ({imported}); "
        f"paths: {', '.join(f'{len(v)} {k}' for k, v in paths.items())}.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| requests | {r['requests']:,} |",
        f"| requests/s | {r['requests'] / seconds:,.1f} |",
        f"| latency p50 / p90 / p99 / max | {r['p50_us'] / 1000:.0f} / "
        f"{r['p90_us'] / 1000:.0f} / {r['p99_us'] / 1000:.0f} / {r['max_us'] / 1000:.0f} ms |",
        f"| socket errors (connect, read, write, timeout) | {errors['connect']}, "
        f"{errors['read']}, {errors['write']}, {errors['timeout']} |",
        f"| non-2xx answers | {r['non2xx']} |",
        f"| server memory (RSS, all processes) at start / end | {rss_start / 1024:.0f} / "
        f"{rss_end / 1024:.0f} MiB |",
    ]
    if edits.operation is None:
        lines.append(
            "| edits through the admin API | not run: the OpenAPI schema has no "
            "admin edit operation yet |"
        )
    else:
        ok = len(edits.sent) - len({p.split(":")[0] for p in edits.problems})
        lines.append(
            f"| edits through the admin API ({edits.operation}) | {len(edits.sent)} "
            f"sent, {ok} stored exactly once with one audit entry |"
        )
    lines += [""] + [f"- problem: {p}" for p in edits.problems]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--races", type=int, default=5)
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()

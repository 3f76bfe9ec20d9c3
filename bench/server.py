"""A real server for benchmarks: Uvicorn as ``make run`` starts it, in its own process
on 127.0.0.1, with the resident memory of its processes read from /proc."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Uvicorn's workers), in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


def worker_rss_mb(pid: int) -> list[float]:
    """Resident memory of each worker process (or of the one process), in MB; with
    several workers the supervisor process is not counted."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(p) for p in children.read_text().split()] if children.exists() else []
    workers = [k for k in kids if b"resource_tracker" not in _cmdline(k)]
    return [rss_mb(k) for k in workers] or [rss_mb(pid)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


@contextmanager
def running_server(
    database_url: str, *, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[tuple[str, int]]:
    """Start ``uvicorn app.main:app`` and yield (base URL, pid) once /healthz answers."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--no-server-header",
        "--log-level",
        "warning",
    ]
    environment = {**os.environ, "DATABASE_URL": database_url, "ASSETS": "local", **(env or {})}
    with serving(cmd, f"http://127.0.0.1:{port}", "/healthz", cwd=ROOT, env=environment) as run:
        yield run


@contextmanager
def serving(
    cmd: list[str], base: str, ready_path: str, **popen: object
) -> Iterator[tuple[str, int]]:
    """Run ``cmd`` and yield (base URL, pid) once ``ready_path`` answers 200; stopped
    (terminated, killed after 15 s) on the way out. Used for our server and Datasette."""
    proc = subprocess.Popen(cmd, **popen)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}{ready_path}", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"did not start: {' '.join(cmd)}")
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()

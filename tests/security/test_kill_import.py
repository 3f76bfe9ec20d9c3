"""The importer killed with SIGKILL in the middle of a file leaves the database exactly as
before or exactly as after, never between; the file it derives
(``districts.geojson``) is the old one or the new one, never torn.

The importer runs as a real subprocess (``scripts/import_offers.py``) on a generated
daycare file of 2,000 rows (marked "generiert") that changes 300 stored offers and adds
the rest. It is killed once it holds its write transaction (SQLite: the write lock;
PostgreSQL: a transaction id), at several moments of the write.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import migrate
from app.db.session import make_engine
from app.importer.rules import DAYCARE
from app.importer.run import run_import
from bench.generate import write_poi_file
from tests.conftest import PG_ADMIN_URL, new_database_url
from tests.security.snapshot import differences, rows_of_every_table

ROOT = Path(__file__).resolve().parents[2]
APP_NAME = "fw-killtest"
BEFORE_ROWS, FILE_ROWS = 300, 2000


@pytest.fixture
def data(tmp_path, data_dir) -> Path:  # noqa: ANN001
    """Real boundaries and population, a generated daycare file of 300 rows."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("boundaries", "population"):
        (folder / name).symlink_to(data_dir / name)
    write_poi_file(folder / DAYCARE, data_dir, BEFORE_ROWS, seed=1)
    return folder


class Database:
    """The 'before' state, and fresh copies of it for each run of the importer."""

    def __init__(self, backend: str, tmp: Path) -> None:
        self.backend, self.tmp = backend, tmp
        self.url, self._cleanup = new_database_url(backend, tmp)
        self.copies: list = []

    def copy(self) -> str:
        if self.backend == "sqlite":
            target = self.tmp / f"copy-{len(self.copies)}.db"
            with (
                sqlite3.connect(self.url.removeprefix("sqlite:///")) as src,
                sqlite3.connect(target) as dst,
            ):
                src.backup(dst)
            self.copies.append(lambda: None)
            return f"sqlite:///{target}"
        name = f"{self.url.rsplit('/', 1)[1]}_c{len(self.copies)}"
        admin = make_engine(PG_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.url.rsplit("/", 1)[1]}"'))
        admin.dispose()
        self.copies.append(name)
        return self.url.rsplit("/", 1)[0] + f"/{name}"

    def drop(self) -> None:
        admin = make_engine(PG_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for name in self.copies:
                if isinstance(name, str):
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        self._cleanup()


def writing(url: str) -> bool:
    """Whether the importer holds its write transaction now."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = :n "
                        "AND backend_xid IS NOT NULL"
                    ),
                    {"n": APP_NAME},
                ).scalar()
            )
    finally:
        engine.dispose()


def gone(url: str) -> None:
    """Wait until PostgreSQL has noticed the killed client (its transaction aborted)."""
    if url.startswith("sqlite"):
        return
    engine = make_engine(url)
    try:
        for _ in range(100):
            with engine.connect() as conn:
                if not conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n"),
                    {"n": APP_NAME},
                ).scalar():
                    return
            time.sleep(0.05)
    finally:
        engine.dispose()


def start_import(url: str, data: Path, build: Path) -> subprocess.Popen:
    env = {**os.environ, "PGAPPNAME": APP_NAME, "BUILD_DIR": str(build)}
    return subprocess.Popen(
        [
            sys.executable,
            "scripts/import_offers.py",
            "--data-dir",
            str(data),
            "--database-url",
            url,
            "--no-progress",
            DAYCARE,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_until_writing(proc: subprocess.Popen, url: str, timeout: float = 120) -> float:
    deadline = time.monotonic() + timeout
    while not writing(url):
        assert proc.poll() is None, f"the importer ended before it wrote: {proc.stdout.read()}"
        assert time.monotonic() < deadline, "the importer never began to write"
        time.sleep(0.01)
    return time.monotonic()


def geojson_state(path: Path) -> str:
    """'absent', or 'whole' for a complete file; anything else fails."""
    if not path.exists():
        return "absent"
    features = json.loads(path.read_text())["features"]
    assert len(features) == 6
    leftovers = [
        p.name for p in path.parent.iterdir() if p.name != path.name and not p.name.startswith(".")
    ]
    assert not leftovers, leftovers
    return "whole"


VOLATILE = ("created_at", "updated_at", "changed_at", "edited_at")


def test_an_import_killed_mid_file_leaves_the_database_before_or_after(
    db_backend, tmp_path, data, data_dir
):
    db = Database(db_backend, tmp_path)
    try:
        migrate.upgrade(db.url)
        engine = make_engine(db.url)
        report = run_import(engine, data, files=[DAYCARE], geojson_target=tmp_path / "x.json")
        engine.dispose()
        assert report.inserted == BEFORE_ROWS
        write_poi_file(data / DAYCARE, data_dir, FILE_ROWS, seed=2)

        before_engine = make_engine(db.url)
        before = rows_of_every_table(before_engine)
        before_engine.dispose()

        # The whole run: what "after" is, and how long the importer writes.
        url, build = db.copy(), tmp_path / "build-full"
        proc = start_import(url, data, build)
        began = wait_until_writing(proc, url)
        assert proc.wait(timeout=300) == 0, proc.stdout.read()
        write_seconds = time.monotonic() - began
        full = make_engine(url)
        after = rows_of_every_table(full, ignore=VOLATILE)
        full.dispose()
        assert geojson_state(build / "districts.geojson") == "whole"
        offers = [t for t in after if t == "offer"][0]
        assert len(after[offers]) == FILE_ROWS

        outcomes = []
        for fraction in (0.0, 0.25, 0.6, 0.9):
            url, build = db.copy(), tmp_path / f"build-{fraction}"
            proc = start_import(url, data, build)
            wait_until_writing(proc, url)
            time.sleep(fraction * write_seconds)
            proc.send_signal(signal.SIGKILL)
            code = proc.wait(timeout=30)
            gone(url)
            engine = make_engine(url)
            try:
                state = rows_of_every_table(engine)
                if state == before:
                    outcomes.append("before")
                else:
                    now = rows_of_every_table(engine, ignore=VOLATILE)
                    assert not differences(now, after), (fraction, differences(now, after))
                    assert now == after, f"killed at {fraction}: neither before nor after"
                    outcomes.append("after")
            finally:
                engine.dispose()
            geojson_state(build / "districts.geojson")
            assert code in (-signal.SIGKILL, 0)
        assert outcomes[0] == "before", outcomes  # killed in the middle of its writing
        print(f"\n{db_backend}: writing took {write_seconds:.2f} s; kills -> {outcomes}")
    finally:
        db.drop()

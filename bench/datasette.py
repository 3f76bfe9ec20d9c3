"""Datasette beside the app, on the same rows, in the same run: the yardstick for text
search (``GET /<db>/offers.json?_search=…``, its JSON FTS search with the row count).

Datasette is pinned (``VERSION``) and installed from PyPI into its own virtual
environment, ``bench/.venv-datasette`` (git-ignored), the first time the bench needs
it; it runs with its default settings. The rows are the app's active offers (id, name,
kinds, district, description, search text) copied into a SQLite file with an FTS5
table over name and search text, as ``sqlite-utils enable-fts`` would make it.
"""

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from app.db.session import make_engine
from bench.server import free_port, serving

VERSION = "0.65.5"
VENV = Path(__file__).resolve().parent / ".venv-datasette"
DATABASE = "offers"  # the database's name in Datasette's URLs


def executable() -> Path:
    """The pinned Datasette's command, installed into its own venv when missing."""
    exe = VENV / "bin" / "datasette"
    if exe.exists() and VERSION in _version(exe):
        return exe
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, f"datasette=={VERSION}"], check=True)
    return exe


def _version(exe: Path) -> str:
    try:
        done = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    except OSError:
        return ""
    return done.stdout


def export(database_url: str, path: Path) -> int:
    """Copy the active offers into a new SQLite file with an FTS5 table; their count."""
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, name, category, district_slug, description, search_text "
                "FROM offer WHERE archived_at IS NULL ORDER BY id"
            )
        ).all()
    engine.dispose()
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE offers (id INTEGER PRIMARY KEY, name TEXT, category TEXT,
            district TEXT, description TEXT, search_text TEXT);
        CREATE VIRTUAL TABLE offers_fts USING fts5(name, search_text,
            content='offers', content_rowid='id');
        """
    )
    db.executemany("INSERT INTO offers VALUES (?, ?, ?, ?, ?, ?)", [tuple(r) for r in rows])
    db.execute("INSERT INTO offers_fts(offers_fts) VALUES ('rebuild')")
    db.commit()
    db.close()
    return len(rows)


@contextmanager
def running(path: Path) -> Iterator[tuple[str, int]]:
    """``datasette serve`` on the file (immutable, as a published database); yields
    (base URL of its offers table, pid) once it answers."""
    port = free_port()
    cmd = [str(executable()), "serve", "-i", str(path), "--port", str(port)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with serving(cmd, f"http://127.0.0.1:{port}", "/-/versions.json", **quiet) as (base, pid):
        yield f"{base}/{path.stem}/offers", pid

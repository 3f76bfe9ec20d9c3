"""Back up the catalogue database and restore it.

    python scripts/backup.py backup  [--database-url URL] [--output FILE]
    python scripts/backup.py restore FILE [--database-url URL] [--no-safety-copy]
    make backup / make restore FILE=backups/…

SQLite: SQLite's online backup API, so the copy is consistent while the app serves and
writes; the copy is checked (``PRAGMA integrity_check``) before it is kept. Restoring
copies it back page by page into the live database in one step.

PostgreSQL: ``pg_dump --format=custom``; restoring ends the other sessions on the
database (the app reconnects by itself) and runs ``pg_restore --clean --if-exists
--single-transaction``, so the database is either wholly the backup or, on any error,
left as it was.

Before a restore, the current state is backed up beside the others (unless
``--no-safety-copy``), so a wrong restore can itself be undone. Backups are written
atomically (a temporary file, then a rename). Exit code 2 on a missing or unreadable
backup.
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.config import get_settings  # noqa: E402
from app.db.migrate import create_database_if_missing  # noqa: E402
from app.db.session import make_engine  # noqa: E402
from app.files import write_atomically  # noqa: E402

# A restore that cannot get its locks in this time fails (and changes nothing) instead
# of waiting behind a session that never ends.
LOCK_TIMEOUT_MS = 60_000


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason."""


def is_sqlite(database_url: str) -> bool:
    return database_url.startswith("sqlite")


def sqlite_path(database_url: str) -> Path:
    path = make_url(database_url).database
    if not path:
        raise BackupError(f"{database_url} names no SQLite file")
    return Path(path)


def libpq_url(database_url: str) -> str:
    """The URL as pg_dump and pg_restore read it (no SQLAlchemy driver name)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def default_name(database_url: str, label: str = "") -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    name = make_url(database_url).database or "db"
    stem = Path(name).stem if is_sqlite(database_url) else name
    suffix = ".sqlite" if is_sqlite(database_url) else ".dump"
    return f"{stem}-{stamp}{'-' + label if label else ''}{suffix}"


def backup(database_url: str, target: Path) -> Path:
    """A consistent copy of the database at ``database_url`` in ``target``."""
    if is_sqlite(database_url):
        source = sqlite_path(database_url)
        if not source.is_file():
            raise BackupError(f"no database at {source}")
        return write_atomically(target, lambda tmp: _sqlite_copy(source, tmp))
    return write_atomically(
        target,
        lambda tmp: _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={tmp}",
                f"--dbname={libpq_url(database_url)}",
            ]
        ),
    )


def restore(database_url: str, source: Path) -> None:
    """Put the backup ``source`` in place of the database at ``database_url``."""
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    if is_sqlite(database_url):
        _check_sqlite(source)
        target = sqlite_path(database_url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with (
            sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src,
            sqlite3.connect(target) as dst,
        ):
            src.backup(dst)
        dst.close()
        src.close()
        return
    listing = subprocess.run(["pg_restore", "--list", str(source)], capture_output=True, text=True)
    if listing.returncode != 0:
        raise BackupError(f"{source} is not a pg_dump archive: {listing.stderr.strip()}")
    create_database_if_missing(database_url)
    _close_other_connections(database_url)
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={libpq_url(database_url)}",
            str(source),
        ],
        env={"PGOPTIONS": f"-c lock_timeout={LOCK_TIMEOUT_MS}"},
    )


def _close_other_connections(database_url: str) -> None:
    """End the other sessions on the database (the running app's among them): a restore
    replaces every table, and an open transaction would block it. The app reconnects by
    itself (its pool checks each connection before use); a request meanwhile gets a 503."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            conn.commit()
    finally:
        engine.dispose()


def _sqlite_copy(source: Path, target: Path) -> None:
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    dst.close()
    src.close()
    _check_sqlite(target)


def _check_sqlite(path: Path) -> None:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database: {exc}") from exc
    if result != ("ok",):
        raise BackupError(f"{path} fails SQLite's integrity check: {result}")
    if "alembic_version" not in tables:
        raise BackupError(f"{path} is not a Familienwegweiser database (no alembic_version)")


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **env} if env else None
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(description="Back up or restore the database.")
    parser.add_argument("--database-url", default=settings.database_url)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a backup")
    make.add_argument(
        "--output",
        type=Path,
        help=f"the backup file (default: a new file in {settings.backup_dir})",
    )
    back = commands.add_parser("restore", help="restore a backup")
    back.add_argument("file", type=Path, nargs="?", help="the backup to restore")
    back.add_argument(
        "--no-safety-copy", action="store_true", help="do not back up the current state first"
    )
    args = parser.parse_args(argv)
    url = args.database_url
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        if args.command == "backup":
            target = args.output or settings.backup_dir / default_name(url)
            print(f"backup of {shown} written to {backup(url, target)}")
            return 0
        if args.file is None:
            found = sorted(settings.backup_dir.glob("*")) if settings.backup_dir.exists() else []
            print("error: name the backup to restore: make restore FILE=…", file=sys.stderr)
            for path in found[-10:]:
                print(f"  {path}", file=sys.stderr)
            return 2
        if not args.no_safety_copy and (not is_sqlite(url) or sqlite_path(url).is_file()):
            try:
                safety = backup(url, settings.backup_dir / default_name(url, "vor-restore"))
                print(f"current state saved to {safety}")
            except BackupError as exc:
                if is_sqlite(url):
                    raise
                print(f"note: no safety copy of the current state ({exc})")
        restore(url, args.file)
        print(f"{args.file} restored into {shown}")
        return 0
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""Fresh, empty databases for a benchmark run (SQLite file or PostgreSQL database)."""

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from app.db.session import make_engine

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def new_database(backend: str, tmp: Path) -> tuple[str, Callable[[], None]]:
    """(URL, clean-up) of a new empty database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.db'}", lambda: None
    name = f"fw_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_ADMIN).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", drop

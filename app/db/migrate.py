"""Run the Alembic migrations from code (set-up, tests)."""

from alembic import command
from alembic.config import Config

from app.config import PROJECT_ROOT


def alembic_config(database_url: str | None = None) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if database_url:
        cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str | None = None, revision: str = "-1") -> None:
    command.downgrade(alembic_config(database_url), revision)


def create_database_if_missing(database_url: str) -> None:
    """For PostgreSQL: create the database named in the URL (set-up convenience)."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from app.db.session import make_engine

    url = make_url(database_url)
    if not url.drivername.startswith("postgresql"):
        return
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


if __name__ == "__main__":
    import sys

    from app.config import get_settings

    db_url = get_settings().database_url
    if "--create-database" in sys.argv:
        create_database_if_missing(db_url)
    if db_url.startswith("sqlite:///"):
        from pathlib import Path

        Path(db_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(db_url)
    print(f"database migrated to head: {db_url.split('@')[-1]}")

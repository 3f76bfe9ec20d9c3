"""Alembic creates both schemas from empty and steps back cleanly."""

from sqlalchemy import inspect, text

from app.db import migrate
from app.db.session import make_engine
from tests.conftest import new_database_url


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def test_upgrade_from_empty_then_downgrade_last_step_then_upgrade_again(db_backend, tmp_path):
    url, cleanup = new_database_url(db_backend, tmp_path)
    try:
        migrate.upgrade(url)
        assert {
            "offer",
            "location",
            "provider",
            "district",
            "offer_category",
            "opening_hours",
        } <= _tables(url)
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        engine.dispose()

        migrate.downgrade(url, "-1")
        migrate.upgrade(url)
        migrate.downgrade(url, "base")
        assert _tables(url) <= {"alembic_version", "spatial_ref_sys"}
    finally:
        cleanup()


def test_search_and_spatial_indexes_exist_after_upgrade(db_backend, engine):
    with engine.connect() as conn:
        if db_backend == "sqlite":
            names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master"))}
            assert {"offer_fts", "location_rtree"} <= names
        else:
            indexes = {r[0] for r in conn.execute(text("SELECT indexname FROM pg_indexes"))}
            assert {"ix_offer_search_vector", "ix_location_geom"} <= indexes


def test_migrations_create_exactly_the_tables_and_columns_of_the_models(engine):
    """A column added to a model without a migration (or the reverse) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import app.models  # noqa: F401

    ignored_tables = {"alembic_version", "spatial_ref_sys"}

    def include(obj, name, type_, reflected, compare_to):  # noqa: ANN001, ANN202
        if type_ == "table":
            return name not in ignored_tables and not name.startswith(
                ("offer_fts", "location_rtree")
            )
        if type_ == "column":
            return name not in ("search_vector", "geom")
        return type_ not in ("index", "unique_constraint", "foreign_key_constraint")

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": include, "compare_type": False}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []

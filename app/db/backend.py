"""What differs between SQLite and PostgreSQL/PostGIS, behind one small interface.

Full text: SQLite FTS5 over ``offer.search_text`` vs a generated ``tsvector``
(``german`` configuration) with a GIN index. Spatial: an R*Tree over the UTM
coordinates of ``location`` vs a generated PostGIS ``geometry(Point, 25832)`` with a
GiST index. Nothing else in the app knows which database it talks to; the backend is
chosen by the database URL.
"""

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, bindparam, func, literal_column, text
from sqlalchemy.engine import Connection, Engine

from app.models.catalogue import Location, Offer

_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(q: str) -> list[str]:
    """The words of a user's query; punctuation and operators are dropped."""
    return _WORD.findall(q.lower())[:12]


@dataclass(frozen=True)
class Nearby:
    condition: ColumnElement[bool]
    distance: ColumnElement[float]  # metres


class SQLiteBackend:
    name = "sqlite"

    def text_condition(self, q: str) -> ColumnElement[bool] | None:
        words = query_words(q)
        if not words:
            return None
        match = " AND ".join(f'"{w}"*' for w in words)
        sub = text("SELECT rowid FROM offer_fts WHERE offer_fts MATCH :fts_match").bindparams(
            bindparam("fts_match", match)
        )
        return Offer.id.in_(sub)

    def nearby(self, x: float, y: float, radius_m: float) -> Nearby:
        box = text(
            "SELECT id FROM location_rtree WHERE maxx >= :bx0 AND minx <= :bx1 "
            "AND maxy >= :by0 AND miny <= :by1"
        ).bindparams(bx0=x - radius_m, bx1=x + radius_m, by0=y - radius_m, by1=y + radius_m)
        dx = Location.x - x
        dy = Location.y - y
        dist2 = dx * dx + dy * dy
        return Nearby(
            condition=Location.id.in_(box) & (dist2 <= radius_m * radius_m),
            distance=func.sqrt(dist2),
        )

    def sortable(self, column: ColumnElement[str]) -> ColumnElement[str]:
        return column  # BINARY collation: byte order

    def install(self, conn: Connection) -> None:
        for stmt in SQLITE_DDL:
            conn.exec_driver_sql(stmt)

    def uninstall(self, conn: Connection) -> None:
        for stmt in SQLITE_DROP:
            conn.exec_driver_sql(stmt)


class PostgresBackend:
    name = "postgresql"

    def text_condition(self, q: str) -> ColumnElement[bool] | None:
        words = query_words(q)
        if not words:
            return None
        tsquery = " & ".join(f"{w}:*" for w in words)
        return text("offer.search_vector @@ to_tsquery('german', :ts_query)").bindparams(
            bindparam("ts_query", tsquery)
        )

    def nearby(self, x: float, y: float, radius_m: float) -> Nearby:
        geom = literal_column("location.geom")
        point = func.ST_SetSRID(func.ST_MakePoint(x, y), 25832)
        return Nearby(
            condition=func.ST_DWithin(geom, point, radius_m),
            distance=func.ST_Distance(geom, point),
        )

    def sortable(self, column: ColumnElement[str]) -> ColumnElement[str]:
        return column.collate("C")  # byte order, as SQLite

    def install(self, conn: Connection) -> None:
        for stmt in POSTGRES_DDL:
            conn.exec_driver_sql(stmt)

    def uninstall(self, conn: Connection) -> None:
        for stmt in POSTGRES_DROP:
            conn.exec_driver_sql(stmt)


Backend = SQLiteBackend | PostgresBackend


def backend_for_url(url: str) -> Backend:
    return SQLiteBackend() if url.startswith("sqlite") else PostgresBackend()


def get_backend(bind: Engine | Connection) -> Backend:
    return SQLiteBackend() if bind.engine.dialect.name == "sqlite" else PostgresBackend()


SQLITE_DDL = (
    """CREATE VIRTUAL TABLE offer_fts USING fts5(
        search_text, content='offer', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER offer_fts_ai AFTER INSERT ON offer BEGIN
        INSERT INTO offer_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
    """CREATE TRIGGER offer_fts_ad AFTER DELETE ON offer BEGIN
        INSERT INTO offer_fts(offer_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text); END""",
    """CREATE TRIGGER offer_fts_au AFTER UPDATE OF search_text ON offer BEGIN
        INSERT INTO offer_fts(offer_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO offer_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
    "INSERT INTO offer_fts(offer_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE location_rtree USING rtree(id, minx, maxx, miny, maxy)",
    """CREATE TRIGGER location_rtree_ai AFTER INSERT ON location
        WHEN new.x IS NOT NULL AND new.y IS NOT NULL BEGIN
        INSERT INTO location_rtree VALUES (new.id, new.x, new.x, new.y, new.y); END""",
    """CREATE TRIGGER location_rtree_au AFTER UPDATE OF x, y ON location BEGIN
        DELETE FROM location_rtree WHERE id = old.id;
        INSERT INTO location_rtree SELECT new.id, new.x, new.x, new.y, new.y
        WHERE new.x IS NOT NULL AND new.y IS NOT NULL; END""",
    """CREATE TRIGGER location_rtree_ad AFTER DELETE ON location BEGIN
        DELETE FROM location_rtree WHERE id = old.id; END""",
    """INSERT INTO location_rtree SELECT id, x, x, y, y FROM location
        WHERE x IS NOT NULL AND y IS NOT NULL""",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS location_rtree_ad",
    "DROP TRIGGER IF EXISTS location_rtree_au",
    "DROP TRIGGER IF EXISTS location_rtree_ai",
    "DROP TABLE IF EXISTS location_rtree",
    "DROP TRIGGER IF EXISTS offer_fts_au",
    "DROP TRIGGER IF EXISTS offer_fts_ad",
    "DROP TRIGGER IF EXISTS offer_fts_ai",
    "DROP TABLE IF EXISTS offer_fts",
)
POSTGRES_DDL = (
    "CREATE EXTENSION IF NOT EXISTS postgis",
    """ALTER TABLE location ADD COLUMN geom geometry(Point, 25832)
        GENERATED ALWAYS AS (CASE WHEN x IS NULL OR y IS NULL THEN NULL
        ELSE ST_SetSRID(ST_MakePoint(x, y), 25832) END) STORED""",
    "CREATE INDEX ix_location_geom ON location USING gist (geom)",
    """ALTER TABLE offer ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('german', coalesce(search_text, ''))) STORED""",
    "CREATE INDEX ix_offer_search_vector ON offer USING gin (search_vector)",
)
POSTGRES_DROP = (
    "DROP INDEX IF EXISTS ix_offer_search_vector",
    "ALTER TABLE offer DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS ix_location_geom",
    "ALTER TABLE location DROP COLUMN IF EXISTS geom",
)

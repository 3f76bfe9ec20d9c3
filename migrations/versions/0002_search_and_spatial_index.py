"""Full-text and spatial indexes, specific to the database.

SQLite: an FTS5 table over ``offer.search_text`` and an R*Tree over the UTM
coordinates of ``location``, kept current by triggers. PostgreSQL: PostGIS, a
generated ``geometry(Point, 25832)`` with a GiST index and a generated ``german``
``tsvector`` with a GIN index. The DDL is written here, not imported from the app,
so that changing the app never rewrites this migration.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

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


def upgrade() -> None:
    conn = op.get_bind()
    for stmt in SQLITE_DDL if conn.dialect.name == "sqlite" else POSTGRES_DDL:
        conn.exec_driver_sql(stmt)


def downgrade() -> None:
    conn = op.get_bind()
    for stmt in SQLITE_DROP if conn.dialect.name == "sqlite" else POSTGRES_DROP:
        conn.exec_driver_sql(stmt)

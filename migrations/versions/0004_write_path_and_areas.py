"""One write path: archived offers, accessibility facts and places (capacity), how
exact a point is, the change log, the catalogue's version counters; postcode areas
and place names in the database.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OFFER_FACTS = ("step_free_entrance", "accessible_toilet", "lift", "induction_loop", "easy_language")


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite >= 3.35 drops columns too): a batch copy of the table
    # would lose the search and spatial triggers of migration 0002.
    op.add_column("offer", sa.Column("archived_at", sa.DateTime(timezone=True)))
    for name in OFFER_FACTS:
        op.add_column("offer", sa.Column(name, sa.Boolean))
    op.add_column("offer", sa.Column("capacity", sa.Integer))
    op.add_column("offer", sa.Column("capacity_u3", sa.Integer))
    op.add_column("location", sa.Column("precision", sa.String(20)))
    op.execute("UPDATE location SET precision = 'exact' WHERE x IS NOT NULL")
    op.create_table(
        "offer_change",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("offer_id", sa.Integer, sa.ForeignKey("offer.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
    )
    op.create_index("ix_offer_change_offer", "offer_change", ["offer_id", "version"])
    op.create_table(
        "catalogue_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "postcode_area",
        sa.Column("plz", sa.String(5), primary_key=True),
        sa.Column("geometry", sa.Text, nullable=False),
        sa.Column("x", sa.Float, nullable=False),
        sa.Column("y", sa.Float, nullable=False),
        sa.Column("district_slug", sa.String(80)),
        sa.Column("source", sa.String(300)),
    )
    op.create_table(
        "place_name",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("district_slug", sa.String(80)),
        sa.Column("x", sa.Float),
        sa.Column("y", sa.Float),
        sa.Column("source", sa.String(500)),
    )
    op.create_index("ix_place_name_key", "place_name", ["key"])


def downgrade() -> None:
    op.drop_index("ix_place_name_key", table_name="place_name")
    op.drop_table("place_name")
    op.drop_table("postcode_area")
    op.drop_table("catalogue_state")
    op.drop_index("ix_offer_change_offer", table_name="offer_change")
    op.drop_table("offer_change")
    op.drop_column("location", "precision")
    op.drop_column("offer", "archived_at")
    for name in (*OFFER_FACTS, "capacity", "capacity_u3"):
        op.drop_column("offer", name)

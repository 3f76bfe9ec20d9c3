"""Sourced Kita facts from press and provider pages (issue 18).

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offer_fact",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("row_key", sa.String(64), nullable=False, unique=True),
        sa.Column("offer_id", sa.Integer, sa.ForeignKey("offer.id")),
        sa.Column("poi_id", sa.String(20)),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("fact", sa.String(40), nullable=False),
        sa.Column("value", sa.String(500), nullable=False),
        sa.Column("name_in_source", sa.String(300), nullable=False),
        sa.Column("address_in_source", sa.String(300), nullable=False),
        sa.Column("source_url", sa.String(500), nullable=False),
        sa.Column("source_date", sa.String(300), nullable=False),
        sa.Column("as_of", sa.Date),
        sa.Column("note", sa.String(1000), nullable=False),
    )
    op.create_index("ix_offer_fact_offer_id", "offer_fact", ["offer_id"])


def downgrade() -> None:
    op.drop_index("ix_offer_fact_offer_id", "offer_fact")
    op.drop_table("offer_fact")

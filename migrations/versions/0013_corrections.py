"""Suggested corrections from the public ("Fehler melden") and their moderation.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("offer_id", sa.Integer, sa.ForeignKey("offer.id"), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("proposed", sa.String(2000), nullable=False),
        sa.Column("shown", sa.String(2000)),
        sa.Column("email", sa.String(254)),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("address_hash", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("applied", sa.String(2000)),
        sa.Column("reason", sa.String(1000)),
        sa.Column("notified", sa.Boolean, nullable=False),
    )
    op.create_index("ix_correction_offer_id", "correction", ["offer_id"])
    op.create_index("ix_correction_status", "correction", ["status", "created_at"])
    op.create_index("ix_correction_address", "correction", ["address_hash", "created_at"])


def downgrade() -> None:
    op.drop_table("correction")

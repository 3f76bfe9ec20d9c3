"""Dated snapshots of the planning view ("Stand festhalten").

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_snapshot",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("names", sa.JSON, nullable=False),
    )
    op.create_index("ix_planning_snapshot_taken_on", "planning_snapshot", ["taken_on"])


def downgrade() -> None:
    op.drop_index("ix_planning_snapshot_taken_on", table_name="planning_snapshot")
    op.drop_table("planning_snapshot")

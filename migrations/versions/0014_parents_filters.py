"""What parents filter by: the kind of costs, how an offer reaches families, closing on
NRW public and school holidays; per kind of offer the text "how to get a place".

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offer") as batch:
        batch.add_column(sa.Column("costs_kind", sa.String(20)))
        batch.add_column(sa.Column("delivery", sa.JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("closed_on_holidays", sa.Boolean))
        batch.add_column(sa.Column("closed_school_holidays", sa.String(300)))
    op.create_table(
        "kind_guidance",
        sa.Column("category", sa.String(40), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.String(3000), nullable=False),
        sa.Column("source_url", sa.String(500), nullable=False),
        sa.Column("source_label", sa.String(300), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kind_guidance")
    with op.batch_alter_table("offer") as batch:
        batch.drop_column("closed_school_holidays")
        batch.drop_column("closed_on_holidays")
        batch.drop_column("delivery")
        batch.drop_column("costs_kind")

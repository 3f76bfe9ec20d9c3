"""Open Referral HSDS import: the feed's service id per offer, and uploaded feeds.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hsds_service",
        sa.Column(
            "offer_id",
            sa.Integer,
            sa.ForeignKey("offer.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("service_id", sa.String(36), nullable=False, unique=True),
    )
    op.create_table(
        "hsds_upload",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("staff_user.id"), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True)),
        sa.Column("summary", sa.String(500)),
    )


def downgrade() -> None:
    op.drop_table("hsds_upload")
    op.drop_table("hsds_service")

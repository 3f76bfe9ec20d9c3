"""Index the offer's foreign keys.

Without an index on ``offer.location_id`` PostgreSQL joined a near-me query's
locations to offers by scanning every offer per location (1.5 s for 10,000 offers
in ``make bench``).

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_offer_location_id", "offer", ["location_id"])
    op.create_index("ix_offer_provider_id", "offer", ["provider_id"])


def downgrade() -> None:
    op.drop_index("ix_offer_provider_id", table_name="offer")
    op.drop_index("ix_offer_location_id", table_name="offer")

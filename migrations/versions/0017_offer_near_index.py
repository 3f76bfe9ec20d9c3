"""A covering index for near-me searches (issue 22).

The spatial index (R*Tree, GiST) picks the locations within the radius; for each, the
search needs the active offers there and their names to sort ties by. With
``(location_id, archived_at, sort_name)`` the database reads them from the index alone
instead of each offer's whole row (SQLite: 53 → 28 ms of CPU for the 7,700 offers in
2 km of a point among 100,000).

Revision ID: 0017
Revises: 0015
"""

from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_offer_location_near", "offer", ["location_id", "archived_at", "sort_name"])


def downgrade() -> None:
    op.drop_index("ix_offer_location_near", table_name="offer")

"""The population grid's age classes (under 18, 65 and over) and its reference date,
so that children are spread by where children live (Zensus 2011 100 m grid).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("grid_cell", sa.Column("under_18", sa.Integer))
    op.add_column("grid_cell", sa.Column("over_65", sa.Integer))
    op.add_column("grid_cell", sa.Column("reference_date", sa.Date))


def downgrade() -> None:
    op.drop_column("grid_cell", "reference_date")
    op.drop_column("grid_cell", "over_65")
    op.drop_column("grid_cell", "under_18")

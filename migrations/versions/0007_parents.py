"""Schools of the state directory (matched to the city's school POIs) for the OGS
contacts and the planning view; what the place names of Stadtteile without a published
point belong to.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "school",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("school_type", sa.String(100), nullable=False),
        sa.Column("street", sa.String(200)),
        sa.Column("postcode", sa.String(5)),
        sa.Column("phone", sa.String(100)),
        sa.Column("email", sa.String(200)),
        sa.Column("pupils", sa.Integer),
        sa.Column("social_index", sa.Integer),
        sa.Column("startchancen", sa.Boolean, nullable=False),
        sa.Column("poi_id", sa.String(20)),
        sa.Column("x", sa.Float),
        sa.Column("y", sa.Float),
        sa.Column("district_slug", sa.String(80)),
        sa.Column("source", sa.String(500), nullable=False),
    )
    op.create_index("ix_school_poi_id", "school", ["poi_id"])
    op.add_column("place_name", sa.Column("note", sa.String(300)))
    op.add_column("place_name", sa.Column("nearby", sa.String(300)))


def downgrade() -> None:
    op.drop_column("place_name", "nearby")
    op.drop_column("place_name", "note")
    op.drop_index("ix_school_poi_id", table_name="school")
    op.drop_table("school")

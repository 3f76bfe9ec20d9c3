"""Planning view: residents per area, age group and year; published indicators; a
population grid. (The schools with their social index are migration 0007's.)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "population_figure",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("area_slug", sa.String(80), nullable=False),
        sa.Column("age_from", sa.Integer, nullable=False),
        sa.Column("age_to", sa.Integer),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("reference_date", sa.Date),
        sa.Column("residents", sa.Integer, nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("loaded_by", sa.String(40), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("area_slug", "age_from", "age_to", "year", name="uq_population_figure"),
    )
    op.create_index("ix_population_figure_area_slug", "population_figure", ["area_slug"])
    op.create_table(
        "planning_indicator",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("table_name", sa.String(100), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("topic", sa.String(60)),
        sa.Column("period", sa.String(200), nullable=False),
        sa.Column("level", sa.String(60)),
        sa.Column("area", sa.String(200), nullable=False),
        sa.Column("area_slug", sa.String(80)),
        sa.Column("indicator", sa.String(200), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("value_text", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(40)),
        sa.Column("source", sa.String(1000), nullable=False),
        sa.Column("source_date", sa.String(200)),
        sa.Column("note", sa.String(1000)),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_planning_indicator_table_name", "planning_indicator", ["table_name"])
    op.create_table(
        "grid_cell",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("x", sa.Float, nullable=False),
        sa.Column("y", sa.Float, nullable=False),
        sa.Column("size_m", sa.Integer, nullable=False),
        sa.Column("residents", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("grid_cell")
    op.drop_index("ix_planning_indicator_table_name", table_name="planning_indicator")
    op.drop_table("planning_indicator")
    op.drop_index("ix_population_figure_area_slug", table_name="population_figure")
    op.drop_table("population_figure")

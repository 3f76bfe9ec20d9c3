"""The Zielvereinbarung: Handlungsfelder, goals, measures, progress notes, indicators
and their change log.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goal_field",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.Integer, nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("field_id", sa.Integer, sa.ForeignKey("goal_field.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("strategic", sa.Boolean, nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("field_id", "number", name="uq_goal_number"),
    )
    op.create_index("ix_goal_field_id", "goal", ["field_id"])
    op.create_table(
        "goal_measure",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goal.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("responsible", sa.String(300), nullable=False),
        sa.Column("partners", sa.String(1000), nullable=False),
        sa.Column("districts", sa.JSON, nullable=False),
        sa.Column("offer_ids", sa.JSON, nullable=False),
        sa.Column("kinds", sa.JSON, nullable=False),
        sa.Column("start_date", sa.Date),
        sa.Column("due_date", sa.Date),
        sa.Column("budget_eur", sa.Float),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decision_ref", sa.String(200), nullable=False),
        sa.Column("decision_date", sa.Date),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("goal_id", "number", name="uq_goal_measure_number"),
    )
    op.create_index("ix_goal_measure_goal_id", "goal_measure", ["goal_id"])
    op.create_table(
        "goal_note",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("measure_id", sa.Integer, sa.ForeignKey("goal_measure.id"), nullable=False),
        sa.Column("noted_on", sa.Date, nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_goal_note_measure_id", "goal_note", ["measure_id"])
    op.create_table(
        "goal_indicator",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goal.id"), nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("source_kind", sa.String(20), nullable=False),
        sa.Column("kind_slug", sa.String(40)),
        sa.Column("measure_key", sa.String(40)),
        sa.Column("area_slug", sa.String(80)),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("baseline_value", sa.Float),
        sa.Column("baseline_date", sa.Date),
        sa.Column("target_value", sa.Float),
        sa.Column("target_date", sa.Date),
        sa.Column("current_value", sa.Float),
        sa.Column("current_date", sa.Date),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_goal_indicator_goal_id", "goal_indicator", ["goal_id"])
    op.create_table(
        "goal_change",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
    )
    op.create_index("ix_goal_change_entity", "goal_change", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_goal_change_entity", table_name="goal_change")
    op.drop_table("goal_change")
    op.drop_index("ix_goal_indicator_goal_id", table_name="goal_indicator")
    op.drop_table("goal_indicator")
    op.drop_index("ix_goal_note_measure_id", table_name="goal_note")
    op.drop_table("goal_note")
    op.drop_index("ix_goal_measure_goal_id", table_name="goal_measure")
    op.drop_table("goal_measure")
    op.drop_index("ix_goal_field_id", table_name="goal")
    op.drop_table("goal")
    op.drop_table("goal_field")

"""The catalogue: providers, locations, districts, offers, categories, opening hours.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("website", sa.String(500)),
    )
    op.create_index("ix_provider_name", "provider", ["name"], unique=True)
    op.create_table(
        "location",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("street", sa.String(200)),
        sa.Column("postcode", sa.String(5)),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("x", sa.Float),
        sa.Column("y", sa.Float),
        sa.Column("placed_by", sa.String(300)),
        sa.Column("plz_area", sa.String(5)),
    )
    op.create_index("ix_location_plz_area", "location", ["plz_area"])
    op.create_table(
        "district",
        sa.Column("slug", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("parent_slug", sa.String(80), sa.ForeignKey("district.slug")),
        sa.Column("number", sa.Integer),
        sa.Column("area_km2", sa.Float),
        sa.Column("population", sa.Integer),
        sa.Column("population_date", sa.Date),
        sa.Column("population_source", sa.String(500)),
        sa.Column("geometry", sa.Text),
        sa.Column("source", sa.String(300)),
    )
    op.create_table(
        "offer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("description", sa.String(5000)),
        sa.Column("target_group", sa.String(300)),
        sa.Column("age_min", sa.Integer),
        sa.Column("age_max", sa.Integer),
        sa.Column("age_is_typical", sa.Boolean, nullable=False),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("costs", sa.String(500)),
        sa.Column("barrier_free", sa.Boolean),
        sa.Column("contact_phone", sa.String(100)),
        sa.Column("contact_email", sa.String(200)),
        sa.Column("website", sa.String(500)),
        sa.Column("service_area", sa.String(300)),
        sa.Column("notes", sa.String(2000)),
        sa.Column("provider_id", sa.Integer, sa.ForeignKey("provider.id")),
        sa.Column("location_id", sa.Integer, sa.ForeignKey("location.id")),
        sa.Column("district_slug", sa.String(80), sa.ForeignKey("district.slug")),
        sa.Column("district_from", sa.String(20)),
        sa.Column("source", sa.String(60), nullable=False),
        sa.Column("source_id", sa.String(120), nullable=False),
        sa.Column("source_urls", sa.JSON, nullable=False),
        sa.Column("source_label", sa.String(300)),
        sa.Column("source_date", sa.String(300)),
        sa.Column("source_changed", sa.Date),
        sa.Column("source_hash", sa.String(64)),
        sa.Column("last_verified", sa.Date),
        sa.Column("edited_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False),
        sa.Column("sort_name", sa.String(300), nullable=False),
        sa.UniqueConstraint("source", "source_id", name="uq_offer_source"),
    )
    op.create_index("ix_offer_district", "offer", ["district_slug"])
    op.create_index("ix_offer_sort_name", "offer", ["sort_name"])
    op.create_table(
        "offer_category",
        sa.Column(
            "offer_id", sa.Integer, sa.ForeignKey("offer.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("category", sa.String(40), primary_key=True),
    )
    op.create_index("ix_offer_category_category", "offer_category", ["category"])
    op.create_table(
        "opening_hours",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "offer_id", sa.Integer, sa.ForeignKey("offer.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("weekday", sa.Integer, nullable=False),
        sa.Column("opens", sa.Time, nullable=False),
        sa.Column("closes", sa.Time, nullable=False),
        sa.Column("note", sa.String(200)),
    )
    op.create_index("ix_opening_hours_offer_id", "opening_hours", ["offer_id"])


def downgrade() -> None:
    op.drop_table("opening_hours")
    op.drop_table("offer_category")
    op.drop_table("offer")
    op.drop_table("district")
    op.drop_table("location")
    op.drop_table("provider")

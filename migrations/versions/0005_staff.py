"""Staff: accounts, server-side sessions, sign-in attempts, API tokens, uploads;
providers with versions, archive and change log; opening-hours exceptions; ages in
months; offers marked as not duplicates.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _changes_table(name: str, owner: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(f"{owner}_id", sa.Integer, sa.ForeignKey(f"{owner}.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
    )
    op.create_index(f"ix_{name}_{owner}", name, [f"{owner}_id", "version"])


def upgrade() -> None:
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_staff_user_email", "staff_user", ["email"], unique=True)
    op.create_table(
        "staff_session",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("staff_user.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_staff_session_user_id", "staff_session", ["user_id"])
    op.create_table(
        "sign_in_attempt",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("succeeded", sa.Boolean, nullable=False),
    )
    op.create_index("ix_sign_in_attempt_email", "sign_in_attempt", ["email", "at"])
    op.create_index("ix_sign_in_attempt_address", "sign_in_attempt", ["address", "at"])
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_api_token_token_hash", "api_token", ["token_hash"], unique=True)
    op.create_table(
        "staff_upload",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("staff_user.id"), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True)),
        sa.Column("summary", sa.String(500)),
    )

    # Providers get a version, a change time and an archive, like offers.
    op.add_column("provider", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    # SQLite adds a NOT NULL column only with a constant default; the rows get the time now.
    op.add_column(
        "provider",
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default="2000-01-01 00:00:00",
        ),
    )
    op.execute("UPDATE provider SET updated_at = CURRENT_TIMESTAMP")
    op.add_column("provider", sa.Column("archived_at", sa.DateTime(timezone=True)))
    _changes_table("provider_change", "provider")

    op.add_column("offer", sa.Column("age_min_months", sa.Integer))
    op.add_column("offer", sa.Column("age_max_months", sa.Integer))
    op.create_table(
        "opening_exception",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "offer_id", sa.Integer, sa.ForeignKey("offer.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("starts", sa.Date, nullable=False),
        sa.Column("ends", sa.Date, nullable=False),
        sa.Column("opens", sa.Time),
        sa.Column("closes", sa.Time),
        sa.Column("note", sa.String(200)),
    )
    op.create_index("ix_opening_exception_offer_id", "opening_exception", ["offer_id"])
    op.create_table(
        "distinct_pair",
        sa.Column("offer_a", sa.Integer, sa.ForeignKey("offer.id"), primary_key=True),
        sa.Column("offer_b", sa.Integer, sa.ForeignKey("offer.id"), primary_key=True),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("marked_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("distinct_pair")
    op.drop_index("ix_opening_exception_offer_id", table_name="opening_exception")
    op.drop_table("opening_exception")
    op.drop_column("offer", "age_max_months")
    op.drop_column("offer", "age_min_months")
    op.drop_index("ix_provider_change_provider", table_name="provider_change")
    op.drop_table("provider_change")
    op.drop_column("provider", "archived_at")
    op.drop_column("provider", "updated_at")
    op.drop_column("provider", "version")
    op.drop_table("staff_upload")
    op.drop_index("ix_api_token_token_hash", table_name="api_token")
    op.drop_table("api_token")
    op.drop_index("ix_sign_in_attempt_address", table_name="sign_in_attempt")
    op.drop_index("ix_sign_in_attempt_email", table_name="sign_in_attempt")
    op.drop_table("sign_in_attempt")
    op.drop_index("ix_staff_session_user_id", table_name="staff_session")
    op.drop_table("staff_session")
    op.drop_index("ix_staff_user_email", table_name="staff_user")
    op.drop_table("staff_user")

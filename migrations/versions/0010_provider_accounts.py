"""Provider (Träger) accounts: the providers an account speaks for, invitations,
changes held for review, verification rounds; who confirmed an offer last.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("offer", sa.Column("verified_by", sa.String(20)))
    op.add_column("offer", sa.Column("provider_edited_at", WHEN))
    op.create_table(
        "provider_member",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("staff_user.id"), primary_key=True),
        sa.Column("provider_id", sa.Integer, sa.ForeignKey("provider.id"), primary_key=True),
        sa.Column("created_at", WHEN, nullable=False),
    )
    op.create_index("ix_provider_member_provider_id", "provider_member", ["provider_id"])
    op.create_table(
        "provider_invitation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("provider_id", sa.Integer, sa.ForeignKey("provider.id"), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN),
    )
    op.create_index(
        "ix_provider_invitation_token_hash", "provider_invitation", ["token_hash"], unique=True
    )
    op.create_index("ix_provider_invitation_provider_id", "provider_invitation", ["provider_id"])
    op.create_table(
        "provider_edit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("offer_id", sa.Integer, sa.ForeignKey("offer.id")),
        sa.Column("provider_id", sa.Integer, sa.ForeignKey("provider.id"), nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("base_version", sa.Integer),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("proposed_at", WHEN, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", WHEN),
        sa.Column("reason", sa.String(1000)),
    )
    op.create_index("ix_provider_edit_offer_id", "provider_edit", ["offer_id"])
    op.create_index("ix_provider_edit_provider_id", "provider_edit", ["provider_id"])
    op.create_index("ix_provider_edit_status", "provider_edit", ["status", "proposed_at"])
    op.create_table(
        "verification_round",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("category", sa.String(40)),
        sa.Column("provider_id", sa.Integer, sa.ForeignKey("provider.id")),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("started_by", sa.String(200), nullable=False),
        sa.Column("remind_after_days", sa.Integer, nullable=False),
        sa.Column("closed_at", WHEN),
    )
    op.create_table(
        "verification_request",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("verification_round.id"), nullable=False),
        sa.Column("provider_id", sa.Integer, sa.ForeignKey("provider.id"), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("sent_at", WHEN),
        sa.Column("reminded_at", WHEN),
    )
    op.create_index("ix_verification_request_round_id", "verification_request", ["round_id"])


def downgrade() -> None:
    op.drop_table("verification_request")
    op.drop_table("verification_round")
    op.drop_table("provider_edit")
    op.drop_table("provider_invitation")
    op.drop_table("provider_member")
    op.drop_column("offer", "provider_edited_at")
    op.drop_column("offer", "verified_by")

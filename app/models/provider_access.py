"""Provider (Träger) accounts and what they hand in: the providers an account speaks
for, invitations (single-use sign-in links), changes held for staff review, and
verification rounds with the request each contact got."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow

PROVIDER_ROLE = "provider"
EDIT_ACTIONS = ("update", "create", "close")
EDIT_STATUSES = ("open", "accepted", "rejected")


class ProviderMember(SQLModel, table=True):
    """An account of the role ``provider`` speaks for this provider (one or more)."""

    __tablename__ = "provider_member"
    user_id: int = Field(foreign_key="staff_user.id", primary_key=True)
    provider_id: int = Field(foreign_key="provider.id", primary_key=True, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class ProviderInvitation(SQLModel, table=True):
    """A single-use sign-in link for a provider's contact; only the token's SHA-256 is
    stored."""

    __tablename__ = "provider_invitation"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    email: str = Field(max_length=254)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class ProviderEdit(SQLModel, table=True):
    """What a provider account handed in and staff decide on (``PROVIDER_EDITS=review``):
    a change of an offer (only the fields that differ, with the version it was based
    on), a new offer, or an offer reported closed."""

    __tablename__ = "provider_edit"
    __table_args__ = (Index("ix_provider_edit_status", "status", "proposed_at"),)
    id: int | None = Field(default=None, primary_key=True)
    action: str = Field(max_length=20)  # EDIT_ACTIONS
    offer_id: int | None = Field(default=None, foreign_key="offer.id", index=True)
    provider_id: int = Field(foreign_key="provider.id", index=True)
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    base_version: int | None = None
    proposed_by: str = Field(max_length=200)  # the account's label, "user:7 kita@traeger.de"
    proposed_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="open", max_length=20)  # EDIT_STATUSES
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = None
    reason: str | None = Field(default=None, max_length=1000)


class VerificationRound(SQLModel, table=True):
    """Staff ask the providers of a kind of offer (or one provider) to check their offers."""

    __tablename__ = "verification_round"
    id: int | None = Field(default=None, primary_key=True)
    category: str | None = Field(default=None, max_length=40)
    provider_id: int | None = Field(default=None, foreign_key="provider.id")
    started_at: datetime = Field(default_factory=utcnow)
    started_by: str = Field(max_length=200)
    remind_after_days: int = 14
    closed_at: datetime | None = None


class VerificationRequest(SQLModel, table=True):
    """One provider contact asked in a round: when the e-mail went out, when reminded."""

    __tablename__ = "verification_request"
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="verification_round.id", index=True)
    provider_id: int = Field(foreign_key="provider.id")
    email: str = Field(max_length=254)
    sent_at: datetime | None = None
    reminded_at: datetime | None = None

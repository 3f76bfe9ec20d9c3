"""Who changed what: one row per change of an offer, and the catalogue's version."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow

CHANNELS = ("page", "api", "import", "upload", "system", "provider", "correction")
ACTIONS = ("create", "update", "archive", "restore", "verify")


class OfferChange(SQLModel, table=True):
    """One change of one offer: the fields before and after (only those that changed)."""

    __tablename__ = "offer_change"
    __table_args__ = (Index("ix_offer_change_offer", "offer_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id")
    version: int  # the offer's version after this change
    changed_at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=200)  # "user:3 name@example.org", "token:deploy", "import"
    channel: str = Field(max_length=20)  # CHANNELS
    action: str = Field(max_length=20)  # ACTIONS
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ProviderChange(SQLModel, table=True):
    """One change of one provider (Träger), like ``OfferChange``."""

    __tablename__ = "provider_change"
    __table_args__ = (Index("ix_provider_change_provider", "provider_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    provider_id: int = Field(foreign_key="provider.id")
    version: int
    changed_at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=200)
    channel: str = Field(max_length=20)
    action: str = Field(max_length=20)
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CatalogueState(SQLModel, table=True):
    """Version counters that every write bumps (``offers``, ``areas``): caches keyed by
    them are never stale, in any worker."""

    __tablename__ = "catalogue_state"
    name: str = Field(primary_key=True, max_length=40)
    version: int = 0
    changed_at: datetime = Field(default_factory=utcnow)

"""Suggested corrections from the public ("Fehler melden"): one row per suggestion,
kept after the case closes (without the reporter's address) as the record of what was
decided."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow

STATUSES = ("open", "accepted", "rejected")


class Correction(SQLModel, table=True):
    __tablename__ = "correction"
    __table_args__ = (
        Index("ix_correction_status", "status", "created_at"),
        Index("ix_correction_address", "address_hash", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offer.id", index=True)
    field: str = Field(max_length=40)  # a key of app.catalogue.corrections.FIELDS
    proposed: str = Field(max_length=2000)  # what the reporter says is right, as typed
    shown: str | None = Field(default=None, max_length=2000)  # the value they saw
    # The reporter's e-mail address, only if they left one; deleted when the case closes.
    email: str | None = Field(default=None, max_length=254)
    lang: str = Field(default="de", max_length=5)  # the language of the outcome e-mail
    # A keyed hash of the sender's IP address, for the limit per address; cleared after
    # the limit's window.
    address_hash: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default="open", max_length=20)  # STATUSES
    decided_at: datetime | None = None
    decided_by: str | None = Field(default=None, max_length=200)
    applied: str | None = Field(default=None, max_length=2000)  # the value written
    reason: str | None = Field(default=None, max_length=1000)  # why it was rejected
    notified: bool = False  # the outcome e-mail was accepted by the SMTP server

"""What the Open Referral HSDS import keeps: the feed's service id of each offer it
matched or created (so the next run of the same feed finds it again, and the export
publishes the same id), and the uploaded feeds staff preview before confirming."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow


class HsdsService(SQLModel, table=True):
    """The HSDS ``service.id`` an offer carries in a feed (one per offer, unique)."""

    __tablename__ = "hsds_service"
    offer_id: int = Field(foreign_key="offer.id", primary_key=True, ondelete="CASCADE")
    service_id: str = Field(max_length=36, unique=True)
    # The id of its service_at_location (``hsds_ids.sal_id`` of ``service_id``), so
    # that /api/hsds/service_at_locations/{id} finds it by an index.
    sal_id: str | None = Field(default=None, max_length=36, index=True)


class HsdsUpload(SQLModel, table=True):
    """An HSDS feed uploaded for preview; applied when staff confirm it."""

    __tablename__ = "hsds_upload"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staff_user.id")
    filename: str = Field(max_length=200)
    content: str  # the feed as UTF-8 text
    created_at: datetime = Field(default_factory=utcnow)
    applied_at: datetime | None = None
    summary: str | None = Field(default=None, max_length=500)

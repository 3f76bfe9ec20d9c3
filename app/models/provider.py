"""The inputs and the output of the provider (Träger) write path."""

from datetime import datetime
from typing import Literal

from sqlmodel import Field, SQLModel

from app.models.catalogue import PROVIDER_KINDS
from app.models.types import ShortText, WebAddress, text

ProviderKind = Literal[PROVIDER_KINDS]  # type: ignore[valid-type]


class ProviderCreate(SQLModel):
    name: text(300, min_length=2)  # type: ignore[valid-type]
    kind: ProviderKind = "unbekannt"
    website: WebAddress | None = None


class ProviderUpdate(SQLModel):
    """A partial change: only the fields that are set change."""

    name: text(300, min_length=2) | None = None  # type: ignore[valid-type]
    kind: ProviderKind | None = None
    website: WebAddress | None = None
    version: int | None = Field(
        default=None, ge=1, description="the version this change is based on"
    )


class ProviderPublic(SQLModel):
    id: int
    name: str
    kind: str
    website: str | None
    offers: int = Field(description="active offers of this provider")
    archived: bool
    updated_at: datetime
    version: int


__all__ = ["ProviderCreate", "ProviderKind", "ProviderPublic", "ProviderUpdate", "ShortText"]

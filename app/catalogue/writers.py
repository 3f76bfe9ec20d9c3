"""What a write hands to the one write path (``app.catalogue.write``): who writes and
through what, where an offer's data came from, how its point was placed, and the
conflict a write based on an old version meets."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from app.models import Offer, OfferCreate


@dataclass(frozen=True)
class Actor:
    """Who writes, and through what (``OfferChange.channel``)."""

    name: str  # "import", "user:3 anna@example.org", "token:deploy"
    channel: str  # "page" | "api" | "import" | "upload" | "system" | "provider" | "correction"

    @property
    def is_staff(self) -> bool:
        """A person's edit: it sets ``edited_at`` and wins over older source data
        (a provider account's edit or a suggestion staff accepted, too)."""
        return self.channel in ("page", "api", "upload", "provider", "correction")

    @property
    def is_provider(self) -> bool:
        """Through a provider (Träger) account."""
        return self.channel == "provider"


IMPORT = Actor("import", "import")
SYSTEM = Actor("system", "system")


class VersionConflict(Exception):
    """The change is based on an older version than the stored one."""

    def __init__(self, offer: Offer, based_on: int) -> None:
        super().__init__(
            f"offer {offer.id} is at version {offer.version}, the change was "
            f"based on version {based_on}"
        )
        self.offer = offer
        self.based_on = based_on


def claim_version(session: Session, item: Any) -> None:
    """Move ``item`` (an offer or a provider) to its next version, in the database:
    ``UPDATE … SET version = v + 1 WHERE id = ? AND version = v`` with ``v`` the version
    this write read. Of writers that read the same version exactly one updates the row
    (PostgreSQL holds the others on the row lock and then finds the new version; SQLite
    lets one writer at a time); every other one touches no row and gets
    ``VersionConflict``, so its whole transaction (fields, change log) is rolled back.
    The database decides, never a version compared in Python alone."""
    model = type(item)
    read = item.version
    touched = session.execute(
        update(model)
        .where(model.id == item.id, model.version == read)
        .values(version=read + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if touched != 1:
        raise VersionConflict(item, read)
    set_committed_value(item, "version", read + 1)


def claim_open(session: Session, row: Any, **values: Any) -> bool:
    """Close an open case (a public correction, a provider's held edit) once, in the
    database: ``UPDATE … SET values WHERE id = ? AND status = 'open'``. Of deciders that
    read the case open exactly one touches the row (True); every other one finds it
    decided and touches nothing (False), whatever Python read before."""
    model = type(row)
    touched = session.execute(
        update(model)
        .where(model.id == row.id, model.status == "open")
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if touched != 1:
        return False
    for key, value in values.items():
        set_committed_value(row, key, value)
    return True


@dataclass
class SourceInfo:
    """Where an offer comes from, as the source states it."""

    source: str
    source_id: str
    source_urls: list[str] = field(default_factory=list)
    source_label: str | None = None
    source_date: str | None = None  # as the source writes it
    source_changed: date | None = None
    source_hash: str | None = None


@dataclass
class Placement:
    """A point already in EPSG:25832 (the city's POIs), and how exact it is."""

    x: float
    y: float
    precision: str = "exact"
    placed_by: str | None = None
    # (Stadtbezirk, postcode area) when the caller placed the point already (the
    # importer places every point in one pass before it knows which changed).
    areas: tuple[str | None, str | None] | None = None


@dataclass
class NewOffer:
    data: OfferCreate  # validated
    source: SourceInfo
    placement: Placement | None = None  # else the point of data.lat/lon, if any
    district_hint: str | None = None  # the source's district, for an offer without point
    provider_kind: str = "unbekannt"

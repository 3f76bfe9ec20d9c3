"""Stable HSDS ids: every ``id`` is a UUID (the spec's ``format: uuid``), the same on
every run and in every database, because it is derived from the record's own identity
(uuid5 of one namespace and the table and key), never from a database's row number.

A service is keyed by its source and the source's own id (``offer.source``,
``offer.source_id``, unique together), or by the service id of the HSDS feed it came
from (kept in ``hsds_service``), so a feed read in and exported again keeps its ids.
Everything that belongs to one service (its location, phones, schedules, ...) is keyed
by the service's id and its position or kind. The derivation itself lives in
``app.models.hsds_ids``, below the catalogue, whose write path stores the derived
service and service_at_location ids of each offer (indexed, for lookups by id).
"""

import uuid

from app.models.hsds_ids import NAMESPACE, uid

__all__ = ["NAMESPACE", "is_uuid", "organization_id", "service_id", "uid"]


def service_id(source: str, source_id: str, feed_id: str | None = None) -> str:
    return feed_id or uid("service", source, source_id)


def organization_id(name: str) -> str:
    return uid("organization", name)


def is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False

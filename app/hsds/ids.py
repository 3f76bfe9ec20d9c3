"""Stable HSDS ids: every ``id`` is a UUID (the spec's ``format: uuid``), the same on
every run and in every database, because it is derived from the record's own identity
(uuid5 of one namespace and the table and key), never from a database's row number.

A service is keyed by its source and the source's own id (``offer.source``,
``offer.source_id``, unique together), or by the service id of the HSDS feed it came
from (kept in ``hsds_service``), so a feed read in and exported again keeps its ids.
Everything that belongs to one service (its location, phones, schedules, ...) is keyed
by the service's id and its position or kind.
"""

import hashlib
import uuid

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://familienwegweiser.bochum.de/hsds")
_NS = NAMESPACE.bytes


def uid(table: str, *key: object) -> str:
    """The UUID of the row of ``table`` with ``key`` (stable, derived): exactly
    ``uuid.uuid5(NAMESPACE, name)``, computed without the UUID object (a dump makes
    about fifteen per service)."""
    name = "\x1f".join([table, *map(str, key)]).encode()
    raw = bytearray(hashlib.sha1(_NS + name, usedforsecurity=False).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def service_id(source: str, source_id: str, feed_id: str | None = None) -> str:
    return feed_id or uid("service", source, source_id)


def organization_id(name: str) -> str:
    return uid("organization", name)


def is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False

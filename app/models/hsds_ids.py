"""The derivation of the stable HSDS ids (``app.hsds.ids`` builds on it), kept here,
below the catalogue, so that the write path can store an offer's derived ids
(``Offer.hsds_service_id``, ``Offer.hsds_sal_id``) for the read API to find the offer
by an index instead of deriving the id of every offer on every request."""

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


def sal_id(service: str) -> str:
    """The id of the service_at_location of the service ``service``."""
    return uid("service_at_location", service)


def derived_ids(source: str, source_id: str) -> tuple[str, str]:
    """(service id, service_at_location id) of the offer ``source``/``source_id``
    when no HSDS feed gave it an id of its own."""
    service = uid("service", source, source_id)
    return service, sal_id(service)

"""Values as HSDS writes them: absolute web addresses (``format: uri``), timestamps,
dates and clock times, and objects without empty values (HSDS types admit no
``null``)."""

from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import quote


def web_uri(value: str | None) -> str | None:
    """An absolute http(s) URI of a stored web address (RFC 3986 characters only)."""
    if not value:
        return None
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")):
        value = "https://" + value
    return quote(value, safe=":/?#[]@!$&'()*+,;=%~")


def timestamp(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def iso_date(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


def hhmm(value: time | str | None) -> str | None:
    if value is None:
        return None
    return (value if isinstance(value, str) else value.strftime("%H:%M"))[:5]


def drop_empty(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None and v != ""}

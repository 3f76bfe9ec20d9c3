"""Numbers and dates as the page's locale writes them (pages, exports and the planning
domain all use them, so they live below all three)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from app.i18n import get_locale


def format_number(value: float | None, digits: int = 0) -> str:
    """ "103.514" in German, "103,514" in English."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=get_locale())


BERLIN = ZoneInfo("Europe/Berlin")


def local_time(value: datetime) -> datetime:
    """A stored moment in Bochum's time. The database keeps UTC; SQLite hands it back
    without a zone, so a naive value is UTC (never the server's own zone)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BERLIN)


def format_date(value: date | None) -> str:
    """ "31.12.2018" in German, "2018-12-31" in English; a moment is first put into
    Bochum's time (23:30 UTC on 30 June is 1 July in Bochum)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value).date()
    return value.strftime("%d.%m.%Y") if get_locale() == "de" else value.isoformat()


def format_datetime(value: datetime | None) -> str:
    """A moment in Bochum's local time: "26.11.2026, 15:04 Uhr" in German, the one
    way every page (history, change logs, planning, staff pages) shows a time."""
    if value is None:
        return ""
    local = local_time(value)
    if get_locale() == "de":
        return local.strftime("%d.%m.%Y, %H:%M Uhr")
    return local.strftime("%Y-%m-%d %H:%M")

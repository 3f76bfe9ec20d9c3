"""Numbers and dates as the page's locale writes them (pages, exports and the planning
domain all use them, so they live below all three)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from app.i18n import get_locale


def format_number(value: float | None, digits: int = 0) -> str:
    """ "103.514" in German, "103,514" in English."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=get_locale())


def format_date(value: date | None) -> str:
    """ "31.12.2018" in German, "2018-12-31" in English."""
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if get_locale() == "de" else value.isoformat()


def format_datetime(value: datetime) -> str:
    """A moment in Bochum's local time: "26.11.2026, 15:04 Uhr" in German."""
    local = value.astimezone(ZoneInfo("Europe/Berlin"))
    if get_locale() == "de":
        return local.strftime("%d.%m.%Y, %H:%M Uhr")
    return local.strftime("%Y-%m-%d %H:%M")

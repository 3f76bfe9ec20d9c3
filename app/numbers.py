"""Numbers and dates as the page's locale writes them (pages, exports and the planning
domain all use them, so they live below all three)."""

import re
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


def format_date_span(first: date, last: date | None) -> str:
    """ "20.07.–09.08.2026" (one year), "22.12.2026–06.01.2027", or one day as
    ``format_date``; in English "2026-07-20 – 2026-08-09"."""
    if last is None or last == first:
        return format_date(first)
    if get_locale() != "de":
        return f"{first.isoformat()} – {last.isoformat()}"
    start = first.strftime("%d.%m.") if first.year == last.year else format_date(first)
    return f"{start}–{format_date(last)}"


def format_datetime(value: datetime | None) -> str:
    """A moment in Bochum's local time: "26.11.2026, 15:04 Uhr" in German, the one
    way every page (history, change logs, planning, staff pages) shows a time."""
    if value is None:
        return ""
    local = local_time(value)
    if get_locale() == "de":
        return local.strftime("%d.%m.%Y, %H:%M Uhr")
    return local.strftime("%Y-%m-%d %H:%M")


_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.500.000 / 1.500.000,50
_PLAIN = re.compile(r"^[+-]?\d+([.,]\d+)?$")  # 1500000 / 1500000,5 / 2.5
_GROUPED_EN = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,500,000.50 (English)


def parse_number_input(text: str) -> str | None:
    """A number as people type it into a form, as plain decimal text ("1500000.50"),
    or None when it is no number.

    German first: "1.500.000", "1.500.000,50 €", "1500000", "1,5"; an amount may carry
    "€" or "EUR" and spaces. On the English page "1,500,000.50" is read as well. "1.500"
    is fifteen hundred on the German page (a thousands point), "1.5" one and a half.
    """
    value = re.sub(r"(?i)\s|\u00a0|\u202f|€|eur$", "", text.strip())
    english = get_locale() == "en"
    if english and _GROUPED_EN.match(value):
        return value.replace(",", "")
    if _GROUPED.match(value) and not (english and _PLAIN.match(value)):
        return value.replace(".", "").replace(",", ".")
    if _PLAIN.match(value):
        return value.replace(",", ".")
    return None

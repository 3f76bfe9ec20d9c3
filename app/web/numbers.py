"""Numbers and dates as the page's locale writes them."""

from datetime import date

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

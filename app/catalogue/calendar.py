"""The NRW calendar: public holidays and school holidays, from the ``holidays`` library
(it ships the dates offline; ``subdiv="NW"``, category ``school`` for the school
holidays). Nothing here is typed by hand: a school year the library does not know yet
is reported (``unknown_school_years``), never guessed: on its days
(``unknown_school_year_on``) an offer that closes in school holidays may be closed, and
``app.catalogue.opening`` says so instead of calling it open.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from app.models.types import SCHOOL_HOLIDAYS

# The library's German names of the NRW school holidays -> our names.
_SCHOOL_NAMES = {
    "Herbstferien": "herbstferien",
    "Weihnachtsferien": "weihnachtsferien",
    "Oster-/Frühjahrsferien": "osterferien",
    "Himmelfahrts-/Pfingstferien": "pfingstferien",
    "Sommerferien": "sommerferien",
}
assert set(_SCHOOL_NAMES.values()) == set(SCHOOL_HOLIDAYS)


@dataclass(frozen=True)
class SchoolHoliday:
    name: str  # one of SCHOOL_HOLIDAYS
    starts: date
    ends: date

    def week_of(self, day: date) -> int:
        """1 for the first seven days of the holiday, 2 for the next seven, …"""
        return (day - self.starts).days // 7 + 1


@lru_cache(maxsize=64)
def _public(year: int) -> dict[date, str]:
    return dict(holidays.Germany(subdiv="NW", years=year, language="de"))


@lru_cache(maxsize=64)
def _school_days(year: int) -> dict[date, str]:
    days = holidays.Germany(subdiv="NW", years=year, categories=("school",), language="de")
    return {d: _SCHOOL_NAMES[n] for d, n in days.items() if n in _SCHOOL_NAMES}


def public_holiday(day: date) -> str | None:
    """The name of the NRW public holiday on ``day`` ("Fronleichnam"), or None."""
    return _public(day.year).get(day)


def school_holiday(day: date) -> SchoolHoliday | None:
    """The NRW school holiday ``day`` falls in, with its first and last day."""
    name = _school_days(day.year).get(day)
    if name is None:
        return None
    starts = day
    while _school_days((starts - timedelta(days=1)).year).get(starts - timedelta(days=1)) == name:
        starts -= timedelta(days=1)
    ends = day
    while _school_days((ends + timedelta(days=1)).year).get(ends + timedelta(days=1)) == name:
        ends += timedelta(days=1)
    return SchoolHoliday(name, starts, ends)


def school_holidays_of(school_year: int) -> list[SchoolHoliday]:
    """The holidays of the school year that begins in August of ``school_year``: the
    summer holiday that ends it last (empty when the library does not know the year)."""
    found: list[SchoolHoliday] = []
    day = date(school_year, 8, 1)
    # The summer holiday before it may reach into August: skip it.
    first = school_holiday(day)
    if first is not None and first.name == "sommerferien":
        day = first.ends + timedelta(days=1)
    while day < date(school_year + 1, 9, 30):
        h = school_holiday(day)
        if h is not None:
            found.append(h)
            if h.name == "sommerferien":
                break
            day = h.ends
        day += timedelta(days=1)
    return found


def school_year_label(year: int) -> str:
    """ "2029/30" for the school year that begins in August 2029."""
    return f"{year}/{str(year + 1)[2:]}"


def school_year_of(day: date) -> int:
    """The school year ``day`` belongs to, by the year it begins in (1 August)."""
    return day.year if day.month >= 8 else day.year - 1


@lru_cache(maxsize=64)
def _knows(year: int) -> bool:
    return {"herbstferien", "sommerferien"} <= {h.name for h in school_holidays_of(year)}


def unknown_school_years(first: int, last: int) -> list[str]:
    """School years ("2029/30") between ``first`` and ``last`` that the library does
    not know: without the autumn holiday that opens them or the summer holiday that
    ends them (not every year has Pfingstferien)."""
    return [school_year_label(y) for y in range(first, last + 1) if not _knows(y)]


def unknown_school_years_ahead(today: date, days: int = 365) -> list[str]:
    """The unknown school years from ``today`` to ``days`` ahead (what staff are told)."""
    return unknown_school_years(school_year_of(today), school_year_of(today + timedelta(days=days)))


def unknown_school_year_on(day: date) -> str | None:
    """The school year ("2029/30") that leaves open whether ``day`` is a school
    holiday: ``day`` belongs to a year the library does not know and is none of the
    holidays it does know. None: the library can tell."""
    if school_holiday(day) is not None:
        return None
    year = school_year_of(day)
    return None if _knows(year) else school_year_label(year)


def closes_for_school_holiday(closure: str | None, day: date) -> SchoolHoliday | None:
    """The school holiday that closes an offer with ``closure`` ("alle",
    "sommerferien:3,herbstferien") on ``day``, or None."""
    if not closure:
        return None
    h = school_holiday(day)
    if h is None:
        return None
    return h if set(closure.split(",")) & set(closure_tokens(h, day)) else None


def closure_tokens(h: SchoolHoliday, day: date) -> list[str]:
    """Every closure token that covers ``day`` of the holiday ``h``: "alle", its name,
    and "name:N" for each N from the week ``day`` is in up to seven."""
    week = h.week_of(day)
    return ["alle", h.name, *(f"{h.name}:{n}" for n in range(week, 8))]

"""Is an offer open, in Europe/Berlin time: its weekly hours, its own exceptions
(Schließtage, other times), NRW public holidays and school holidays when it closes on
them. The same rules in SQL are in ``app.catalogue.opening_sql`` (the search's ``geoeffnet``);
a test checks that both agree.

A range whose end lies before its start runs past midnight (22:00–02:00); an end of
24:00 is kept as 23:59 and means "to the end of the day" (00:00–24:00 every day: open
around the clock).

In a school year the ``holidays`` library does not know yet, nobody can tell whether a
day is a school holiday: an offer that closes in (some) school holidays is then open
only "if it is no school holiday". Such a moment is neither open nor closed but unsure
(``Day.unsure``): the words say so ("Schulferien 2029/30 noch nicht hinterlegt – …"),
and the search lists the offer apart, with the offers whose hours are unknown.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from app.catalogue.calendar import (
    closes_for_school_holiday,
    public_holiday,
    unknown_school_year_on,
)
from app.catalogue.hours import WEEKDAYS_SHORT
from app.i18n import gettext as _
from app.numbers import format_date

END_OF_DAY = time(23, 59)
LOOK_AHEAD_DAYS = 14
LOOK_AHEAD_WEEKS = 8  # the offer page's "next exceptions"


def _end(closes: time) -> time:
    return time.max if closes == END_OF_DAY else closes


@dataclass(frozen=True)
class Day:
    """One date of an offer: its open ranges (end ``time.max``: to midnight), and why it
    differs from the weekly hours, if it does."""

    day: date
    ranges: tuple[tuple[time, time], ...]
    reason: str | None = None  # "Feiertag: Fronleichnam", "Schulferien", the exception's note
    exception: bool = False
    # The last day of a span of equal days (``next_exceptions``); None: this day alone.
    until: date | None = None
    # The school year the library does not know, when ``ranges`` hold only if this day
    # (or the night before's day) is no school holiday; ``sure`` the ranges if it is.
    unsure: str | None = None
    sure: tuple[tuple[time, time], ...] = ()

    @property
    def known_ranges(self) -> tuple[tuple[time, time], ...]:
        """The ranges the offer is open whether or not this is a school holiday."""
        return self.sure if self.unsure else self.ranges


def has_hours(offer: Any) -> bool:
    return bool(offer.opening_hours)


def _closed_by_calendar(offer: Any, day: date, unknown_closes: bool = False) -> str | None:
    """Why the calendar closes ``offer`` on ``day``; ``unknown_closes``: as if a day of
    an unknown school year were a school holiday that closes it."""
    holiday = public_holiday(day)
    if holiday and offer.closed_on_holidays:
        return _("Feiertag: %(name)s", name=holiday)
    if closes_for_school_holiday(offer.closed_school_holidays, day):
        return _("Schulferien")
    if unknown_closes and offer.closed_school_holidays and unknown_school_year_on(day):
        return _("Schulferien")
    return None


def _exceptions_on(offer: Any, day: date) -> list[Any]:
    return [e for e in offer.opening_exceptions if e.starts <= day <= e.ends]


def day_of(offer: Any, day: date) -> Day:
    """The ranges ``offer`` is open on ``day`` (those of the night before included);
    unsure (``Day.unsure``) when they depend on a school year the library lacks."""
    found = _day_of(offer, day, False)
    if not offer.closed_school_holidays:
        return found
    before = day - timedelta(days=1)
    year = unknown_school_year_on(day) or unknown_school_year_on(before)
    if year is None:
        return found
    sure = _day_of(offer, day, True).ranges
    return found if sure == found.ranges else replace(found, unsure=year, sure=sure)


def _day_of(offer: Any, day: date, unknown_closes: bool) -> Day:
    exceptions = _exceptions_on(offer, day)
    if exceptions:
        ranges = tuple(
            (e.opens, _end(e.closes)) for e in exceptions if e.opens is not None and e.closes
        )
        note = next((e.note for e in exceptions if e.note), None)
        return Day(day, ranges, note or (None if ranges else _("geschlossen")), True)
    reason = _closed_by_calendar(offer, day, unknown_closes)
    own: list[tuple[time, time]] = []
    if reason is None:
        for h in offer.opening_hours:
            if h.weekday == day.weekday():
                own.append((h.opens, _end(h.closes) if h.closes > h.opens else time.max))
    before = day - timedelta(days=1)
    if (
        not _exceptions_on(offer, before)
        and _closed_by_calendar(offer, before, unknown_closes) is None
    ):
        for h in offer.opening_hours:
            if h.weekday == before.weekday() and h.closes < h.opens:
                own.append((time(0, 0), h.closes))
    return Day(day, tuple(sorted(own)), reason)


def _within(ranges: Sequence[tuple[time, time]], t: time) -> bool:
    return any(o <= t < c or (c == time.max and o <= t) for o, c in ranges)


def is_open(offer: Any, now: datetime) -> bool:
    """Known to be open at ``now`` (not when that depends on an unknown school year)."""
    t = now.time().replace(second=0, microsecond=0)
    return _within(day_of(offer, now.date()).known_ranges, t)


def unsure_at(offer: Any, now: datetime) -> str | None:
    """The unknown school year ("2029/30") when ``offer`` is open at ``now`` only if it
    is no school holiday; None when the calendar leaves no doubt."""
    t = now.time().replace(second=0, microsecond=0)
    day = day_of(offer, now.date())
    if day.unsure and _within(day.ranges, t) and not _within(day.sure, t):
        return day.unsure
    return None


def _hhmm(t: time) -> str:
    return "24:00" if t == time.max else f"{t.hour}:{t.minute:02d}"


@dataclass(frozen=True)
class Status:
    """Open now, or when next, in words: what every search result says."""

    state: str  # "open", "closed", "unknown"
    text: str


def status_at(offer: Any, now: datetime) -> Status:
    if not offer.opening_hours and not offer.opening_exceptions:
        return Status("unknown", _("Öffnungszeiten unbekannt"))
    t = now.time().replace(second=0, microsecond=0)
    today = day_of(offer, now.date())
    for opens, closes in today.known_ranges:
        if opens <= t < closes or (closes == time.max and opens <= t):
            return Status("open", _open_until(offer, now.date(), closes))
    unsure = unsure_at(offer, now)
    if unsure:
        return Status(
            "unknown",
            _(
                "Schulferien %(year)s noch nicht hinterlegt – ob geöffnet ist, bitte beim "
                "Angebot erfragen",
                year=unsure,
            ),
        )
    later = [o for o, _c in today.ranges if o > t]
    if later:
        first = min(later)
        if today.unsure and first not in (o for o, _c in today.sure):
            maybe = _maybe_opens(f"{_('heute')} {_hhmm(first)}", today.unsure)
            return Status("closed", _("geschlossen, %(next)s", next=maybe))
        return Status("closed", _("geschlossen, öffnet heute %(time)s", time=_hhmm(first)))
    nxt = _next_opening(offer, now.date())
    if today.reason and not today.ranges:
        closed = _("heute geschlossen (%(reason)s)", reason=today.reason)
        return Status("closed", f"{closed}, {nxt}" if nxt else closed)
    return Status("closed", _("geschlossen, %(next)s", next=nxt) if nxt else _("geschlossen"))


def _open_until(offer: Any, day: date, closes: time) -> str:
    for n in range(1, 8):
        if closes != time.max:
            when = _hhmm(closes)
            if n > 1:
                when = f"{WEEKDAYS_SHORT[(day + timedelta(days=n - 1)).weekday()]} {when}"
            return _("jetzt geöffnet, bis %(time)s", time=when)
        following = day_of(offer, day + timedelta(days=n)).known_ranges
        start = next((c for o, c in following if o == time(0, 0)), None)
        if start is None:
            return _("jetzt geöffnet, bis 24:00")
        closes = start
    return _("rund um die Uhr geöffnet")


def _maybe_opens(when: str, year: str) -> str:
    return _(
        "öffnet vielleicht %(when)s (Schulferien %(year)s noch nicht hinterlegt)",
        when=when,
        year=year,
    )


def _next_opening(offer: Any, day: date) -> str | None:
    for n in range(1, LOOK_AHEAD_DAYS + 1):
        other = day + timedelta(days=n)
        found = day_of(offer, other)
        if found.ranges:
            weekday = WEEKDAYS_SHORT[other.weekday()]
            when = f"{weekday} {_hhmm(found.ranges[0][0])}"
            if n >= 7:
                when = f"{weekday} {other.strftime('%d.%m.')} {_hhmm(found.ranges[0][0])}"
            if found.unsure and found.ranges[0] not in found.sure:
                return _maybe_opens(when, found.unsure)
            return _("öffnet %(when)s", when=when)
    return None


def week_of(offer: Any, today: date) -> list[Day]:
    """The seven days from ``today``, each with its ranges and what differs."""
    return [day_of(offer, today + timedelta(days=n)) for n in range(7)]


def next_exceptions(offer: Any, today: date, limit: int = 5) -> list[Day]:
    """The next days that differ from the weekly hours (own exceptions, holidays the
    offer closes on) that begin within eight weeks, one per span of equal days in a row
    with its last day ``until`` ("20.07.–09.08.2026: geschlossen (Schulferien)"); a
    span that begins within the eight weeks is followed to its end (up to a year)."""
    found: list[Day] = []
    horizon = LOOK_AHEAD_WEEKS * 7
    for n in range(horizon + 366):
        d = day_of(offer, today + timedelta(days=n))
        last = found[-1] if found else None
        if last is not None and _continues(last, d):
            found[-1] = replace(last, until=d.day)
            continue
        if n >= horizon or len(found) >= limit:
            break  # the last span has ended
        if d.reason or d.exception:
            found.append(d)
    return found


def _continues(span: Day, d: Day) -> bool:
    """``d`` is the day after ``span`` and equal to it."""
    return (
        bool(d.reason or d.exception)
        and (span.until or span.day) == d.day - timedelta(days=1)
        and (span.reason, span.ranges, span.exception) == (d.reason, d.ranges, d.exception)
    )


def unsure_from(offer: Any, today: date) -> tuple[date, str] | None:
    """The first day within eight weeks whose school holidays the library does not
    know, for an offer that closes in school holidays: (that day, its school year)."""
    if not offer.closed_school_holidays:
        return None
    for n in range(LOOK_AHEAD_WEEKS * 7):
        day = today + timedelta(days=n)
        year = unknown_school_year_on(day)
        if year:
            return day, year
    return None


def _padded(t: time) -> str:
    return "24:00" if t == time.max else t.strftime("%H:%M")


def format_ranges(ranges: Sequence[tuple[time, time]]) -> str:
    """ "07:30–12:00, 14:00–16:30" (the week table)."""
    return ", ".join(f"{_padded(o)}–{_padded(c)}" for o, c in ranges)


@dataclass(frozen=True)
class HoursView:
    """What the offer page shows: open now, the week from today, what differs next,
    and the offer's rules for holidays."""

    status: Status
    week: list[Day]
    exceptions: list[Day]
    rules: list[str]


def closure_words(closure: str | None) -> list[str]:
    """ "sommerferien:3,herbstferien" -> ["Sommerferien (die ersten 3 Wochen)", …]."""
    names = {
        "alle": _("alle Schulferien"),
        "herbstferien": _("Herbstferien"),
        "weihnachtsferien": _("Weihnachtsferien"),
        "osterferien": _("Osterferien"),
        "pfingstferien": _("Pfingstferien"),
        "sommerferien": _("Sommerferien"),
    }
    words = []
    for token in filter(None, (closure or "").split(",")):
        name, _sep, weeks = token.partition(":")
        label = names.get(name, name)
        words.append(
            _("%(name)s (die ersten %(n)s Wochen)", name=label, n=weeks) if weeks else label
        )
    return words


def hours_view(offer: Any, now: datetime) -> HoursView:
    rules = []
    if offer.closed_on_holidays:
        rules.append(_("An Feiertagen in NRW geschlossen."))
    elif offer.closed_on_holidays is False:
        rules.append(_("Auch an Feiertagen geöffnet."))
    school = closure_words(offer.closed_school_holidays)
    if school:
        rules.append(_("In den Schulferien geschlossen: %(which)s.", which=", ".join(school)))
    unsure = unsure_from(offer, now.date())
    if unsure:
        rules.append(
            _(
                "Die Schulferien %(year)s sind noch nicht hinterlegt: ob ab %(day)s "
                "geöffnet ist, bitte beim Angebot erfragen.",
                year=unsure[1],
                day=format_date(unsure[0]),
            )
        )
    return HoursView(
        status_at(offer, now),
        week_of(offer, now.date()) if offer.opening_hours else [],
        next_exceptions(offer, now.date()),
        rules,
    )

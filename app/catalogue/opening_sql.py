"""The rules of ``app.catalogue.opening`` in SQL, for the search's ``geoeffnet``
filter (``app.search.filters.hours.OpenAt``): the same offers as ``opening.is_open``
and ``opening.unsure_at`` (a test checks that both agree), so a page of results is cut
in the database, not by reading every offer's hours."""

from datetime import date, time, timedelta

from sqlalchemy import ColumnElement, and_, exists, false, func, literal, or_

from app.catalogue.calendar import (
    closure_tokens,
    public_holiday,
    school_holiday,
    unknown_school_year_on,
)
from app.catalogue.opening import END_OF_DAY
from app.models import Offer, OpeningException, OpeningHours


def _calendar_closed_sql(day: date, unknown_closes: bool) -> ColumnElement[bool]:
    """The offer closes on ``day`` for a public holiday or school holiday (with
    ``unknown_closes``: as ``_closed_by_calendar``)."""
    conds: list[ColumnElement[bool]] = []
    if public_holiday(day):
        conds.append(Offer.closed_on_holidays.is_(True))
    h = school_holiday(day)
    if h is not None:
        # NULL (not closed) must not make the whole condition NULL.
        padded = literal(",") + func.coalesce(Offer.closed_school_holidays, "") + literal(",")
        conds += [padded.like(f"%,{token},%") for token in closure_tokens(h, day)]
    elif unknown_closes and unknown_school_year_on(day):
        conds.append(func.coalesce(Offer.closed_school_holidays, "") != "")
    return or_(*conds) if conds else false()


def _exception_on_sql(day: date) -> ColumnElement[bool]:
    return exists().where(
        OpeningException.offer_id == Offer.id,
        OpeningException.starts <= day,
        OpeningException.ends >= day,
    )


def _exception_open_sql(day: date, t: time | None) -> ColumnElement[bool]:
    conds = [
        OpeningException.offer_id == Offer.id,
        OpeningException.starts <= day,
        OpeningException.ends >= day,
        OpeningException.opens.is_not(None),
    ]
    if t is not None:
        conds += [
            OpeningException.opens <= t,
            or_(OpeningException.closes > t, OpeningException.closes == END_OF_DAY),
        ]
    return exists().where(*conds)


def _weekly_open_sql(day: date, t: time | None) -> ColumnElement[bool]:
    conds = [OpeningHours.offer_id == Offer.id, OpeningHours.weekday == day.weekday()]
    if t is not None:
        conds += [
            OpeningHours.opens <= t,
            or_(
                OpeningHours.closes > t,
                OpeningHours.closes == END_OF_DAY,
                OpeningHours.closes < OpeningHours.opens,  # runs past midnight
            ),
        ]
    return exists().where(*conds)


def _night_before_sql(day: date, t: time, unknown_closes: bool) -> ColumnElement[bool]:
    before = day - timedelta(days=1)
    runs_on = exists().where(
        OpeningHours.offer_id == Offer.id,
        OpeningHours.weekday == before.weekday(),
        OpeningHours.closes < OpeningHours.opens,
        OpeningHours.closes > t,
    )
    return and_(runs_on, ~_exception_on_sql(before), ~_calendar_closed_sql(before, unknown_closes))


def open_sql(day: date, t: time | None, unknown_closes: bool = True) -> ColumnElement[bool]:
    """Offers open on ``day`` at ``t`` (None: at some time of the day), by the rules of
    ``day_of``: known to be open (``is_open``); ``unknown_closes=False``: also those
    open only if a day of an unknown school year is no school holiday."""
    if t is not None:
        t = t.replace(second=0, microsecond=0)
    own_day = or_(
        and_(_exception_on_sql(day), _exception_open_sql(day, t)),
        and_(
            ~_exception_on_sql(day),
            ~_calendar_closed_sql(day, unknown_closes),
            _weekly_open_sql(day, t),
        ),
    )
    if t is None:
        return own_day
    return or_(own_day, _night_before_sql(day, t, unknown_closes))


def unsure_sql(day: date, t: time | None) -> ColumnElement[bool]:
    """Offers open on ``day`` at ``t`` only if it is no school holiday of a school year
    the library does not know (``unsure_at``)."""
    before = day - timedelta(days=1)
    if not (unknown_school_year_on(day) or (t is not None and unknown_school_year_on(before))):
        return false()
    return and_(open_sql(day, t, unknown_closes=False), ~open_sql(day, t))


def no_hours_sql() -> ColumnElement[bool]:
    """Offers without any opening hours or exceptions: their hours are unknown."""
    return and_(
        ~exists().where(OpeningHours.offer_id == Offer.id),
        ~exists().where(OpeningException.offer_id == Offer.id),
    )

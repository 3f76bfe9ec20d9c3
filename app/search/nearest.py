"""The page of a search around a phone's own position, from the nearest offers first.

A new position is a new query every time (nothing to keep). Its ORDER BY starts with
the distance, so when a small circle around the point already holds the offers up to
the end of the page, they are the page: every offer outside the circle is farther. The
spatial index answers each circle with a LIMIT instead of sorting every offer in the
radius.

The count stops at ``COUNT_CAP`` (or a few pages past the one asked for): counting
every one of 8,800 offers within 2 km of a point in a catalogue of 100,000 cost 60 ms,
three times the page itself, for a number nobody reads to the last offer. Beyond the
cap the result says "more than 1,000" (``SearchResult.total_at_least``); the offers
and their order are those of the exact query (``tests/search/test_ranking.py``).
"""

from sqlalchemy import Select, func, select
from sqlmodel import Session

CIRCLES = (8, 4, 2)  # the radius divided by these, tried in turn before the radius
COUNT_CAP = 1000  # matches counted exactly; more read "mehr als 1.000"
PAGES_AHEAD = 5  # past a deep page, count this many pages further


def count_cap(start: int, page_size: int) -> int:
    """How far the count goes for a page starting at ``start``: the cap, or a few
    pages past a deeper page (so its next pages are known to exist)."""
    return max(COUNT_CAP, start + PAGES_AHEAD * page_size)


def nearest_page(
    session: Session,
    stmt: Select,
    matching: Select,
    nearby,  # noqa: ANN001  (the backend's nearby(x, y, r))
    origin: tuple[float, float],
    radius_m: float,
    start: int,
    page_size: int,
) -> tuple[int, bool, list[tuple[int, float | None]]]:
    """(total, whether there are more than total, the page's (id, distance)) of
    ``stmt`` (ordered by distance first)."""
    conn = session.connection()
    cap = count_cap(start, page_size)
    counted = conn.execute(
        select(func.count()).select_from(matching.limit(cap + 1).subquery())
    ).scalar_one()
    total, more = (cap, True) if counted > cap else (counted, False)
    rows: list = []
    if start < total:
        for r in (*(radius_m / k for k in CIRCLES), None):
            circle = stmt if r is None else stmt.where(nearby(origin[0], origin[1], r).condition)
            rows = conn.execute(circle.offset(start).limit(page_size)).all()
            if len(rows) == page_size or r is None:
                break
    return total, more, [(r[0], None if r[1] is None else float(r[1])) for r in rows]

"""The page of a search around a phone's own position, from the nearest offers first.

A new position is a new query every time (nothing to keep). Its ORDER BY starts with
the distance, so when a small circle around the point already holds the offers up to
the end of the page, they are the page: every offer outside the circle is farther. The
spatial index answers each circle with a LIMIT instead of sorting every offer in the
radius; the count (exact, as before) is one pass that sorts nothing.
"""

from sqlalchemy import Select, func, select
from sqlmodel import Session

CIRCLES = (8, 4, 2)  # the radius divided by these, tried in turn before the radius


def nearest_page(
    session: Session,
    stmt: Select,
    matching: Select,
    nearby,  # noqa: ANN001  (the backend's nearby(x, y, r))
    origin: tuple[float, float],
    radius_m: float,
    start: int,
    page_size: int,
) -> tuple[int, list[tuple[int, float | None]]]:
    """(total, the page's (id, distance)) of ``stmt`` (ordered by distance first)."""
    conn = session.connection()
    total = conn.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
    rows: list = []
    if start < total:
        for r in (*(radius_m / k for k in CIRCLES), None):
            circle = stmt if r is None else stmt.where(nearby(origin[0], origin[1], r).condition)
            rows = conn.execute(circle.offset(start).limit(page_size)).all()
            if len(rows) == page_size or r is None:
                break
    return total, [(r[0], None if r[1] is None else float(r[1])) for r in rows]

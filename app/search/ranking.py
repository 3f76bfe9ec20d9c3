"""Every match of a search, ranked once per catalogue version and query shape.

A search that no response cache holds (page 3 of a filter, the JSON twin of a page just
shown, the map of the same words, a link with an extra parameter) asks the database the
same question again: which offers match, in which order, how many. For a broad query
over 100,000 offers the answer costs the database a pass over every match (FTS5 ``bm25``
or ``ts_rank`` scores each one before the best page is known, and the count walks them
again), while reading one page of offers by id costs a millisecond. So the whole ranking
(every match's id in result order, with its distance and the filters whose fact it
lacks) is computed in one ordered query, kept here in memory and keyed by

- the database, the versions of the offers and of the areas (``app.db.state``: every
  write bumps them in its own transaction, so a kept ranking is never served after a
  change, in any worker or on any machine: each keeps its own and checks the version),
- the query's shape: the filters without the page number, the resolved place, whether
  archived offers were asked for, and the minute when a filter depends on the clock.

Pages, counts, the twins and the map's cell counts are then sliced from it. The ranking
is the old query without its LIMIT (the same ORDER BY, which ends with the offer id), so
a page from it is the page the old query returns (``tests/search/test_ranking.py``
compares both on generated queries). Memory is bounded (``MAX_BYTES``, least recently
used out); 100,000 matches take about 0.8 MB.
"""

import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.db.state import AREAS, OFFERS, versions

MAX_BYTES = 48 * 1024 * 1024
NO_DISTANCE = float("nan")


@dataclass(frozen=True)
class Ranking:
    """Every match of one query shape in result order."""

    ids: array  # offer ids ("q": 8 bytes each)
    distances: array | None  # metres ("d"), NaN without a point; None: no distance asked
    unknown: dict[int, tuple[str, ...]]  # the ids listed apart, with the filters they lack
    unknown_counts: dict[str, int]
    apart_total: int
    cells: dict[float, list] = field(default_factory=dict)  # map cell counts by cell size

    @property
    def total(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        size = self.ids.itemsize * len(self.ids)
        if self.distances is not None:
            size += self.distances.itemsize * len(self.distances)
        return size + 120 * len(self.unknown) + 200

    def distance(self, position: int) -> float | None:
        if self.distances is None:
            return None
        value = self.distances[position]
        return None if value != value else value  # NaN: no point

    def slice(self, start: int, stop: int | None) -> list[tuple[int, float | None]]:
        """(id, distance) of the matches from ``start`` to ``stop`` (None: the end)."""
        stop = len(self.ids) if stop is None else min(stop, len(self.ids))
        return [(self.ids[k], self.distance(k)) for k in range(start, stop)]


def build_ranking(rows: list[Any], apart_names: list[str]) -> Ranking:
    """A ranking from the ordered rows (id, distance, one 0/1 per apart filter)."""
    ids = array("q", (r[0] for r in rows))
    has_distance = any(r[1] is not None for r in rows)
    distances = (
        array("d", (NO_DISTANCE if r[1] is None else float(r[1]) for r in rows))
        if has_distance
        else None
    )
    unknown: dict[int, tuple[str, ...]] = {}
    counts = dict.fromkeys(apart_names, 0)
    if apart_names:
        for r in rows:
            names = tuple(n for k, n in enumerate(apart_names) if r[2 + k])
            if names:
                unknown[r[0]] = names
                for n in names:
                    counts[n] += 1
    return Ranking(ids, distances, unknown, counts, len(unknown))


class RankingCache:
    """Rankings by key, bounded by their size in bytes (least recently used out)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, Ranking] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._building: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple) -> Ranking | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def get_or_build(self, key: tuple, build: Callable[[], Ranking]) -> Ranking:
        """The kept ranking of ``key``, else ``build()``'s, built once: requests for a
        shape that is being ranked wait for that ranking instead of each asking the
        database the same question at the same time."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            found = self.get(key)
            if found is None:
                found = build()
                self.put(key, found)
        with self._lock:
            if self._building.get(key) is building:
                del self._building[key]
        return found

    def put(self, key: tuple, ranking: Ranking) -> None:
        if ranking.nbytes > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old.nbytes
            self._items[key] = ranking
            self._bytes += ranking.nbytes
            while self._bytes > self.max_bytes and self._items:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= dropped.nbytes

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


RANKINGS = RankingCache()


def shape_key(
    session: Session, filters: Any, place: Any, now: datetime, archived: bool
) -> tuple | None:
    """The key of a query's ranking: database and catalogue versions, the filters but
    the page, the resolved place, and the minute when a filter depends on the clock.
    None (do not keep) for a database whose offers were never versioned."""
    known = versions(session)
    if OFFERS not in known:
        return None
    where = (
        None
        if place is None
        else (place.kind, place.x, place.y, place.plz, place.district, place.radius_m)
    )
    return (
        session.get_bind().engine.url.render_as_string(hide_password=True),
        known.get(OFFERS, ""),
        known.get(AREAS, ""),
        filters.replace(seite=1),
        where,
        archived,
        now if filters.depends_on_clock else None,
    )

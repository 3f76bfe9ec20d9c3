"""The catalogue's version counters. Every write bumps them in its own transaction,
so a cache keyed by them (areas, gazetteer, responses) is never stale in any worker."""

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from app.models import CatalogueState, utcnow

T = TypeVar("T")

OFFERS = "offers"
AREAS = "areas"
PLANNING = "planning"  # population figures, indicators, grid cells, schools


_listeners: "weakref.WeakSet[Any]" = weakref.WeakSet()


def on_change(listener: Any) -> None:
    """``listener.invalidate()`` is called on every bump in this process (caches that
    read the version only now and then forget it at once); held weakly."""
    _listeners.add(listener)


@event.listens_for(OrmSession, "after_commit")
def _tell_listeners(session: OrmSession) -> None:
    if session.info.pop("catalogue_changed", False):
        for listener in list(_listeners):
            listener.invalidate()


def bump(session: Session, *names: str) -> None:
    """Count one more change of ``names`` (committed with the caller's transaction;
    after the commit, this process's listeners are told)."""
    session.info["catalogue_changed"] = True
    for name in names:
        changed = session.execute(
            update(CatalogueState)
            .where(CatalogueState.name == name)
            .values(version=CatalogueState.version + 1, changed_at=utcnow())
        ).rowcount
        if not changed:
            session.add(CatalogueState(name=name, version=1))
            session.flush()


def versions(session: Session) -> dict[str, str]:
    """The current versions as opaque tokens (one cheap query): the counter and the time
    of the last change, so a counter that starts again (an emptied database) never
    repeats a token."""
    rows = session.execute(
        select(CatalogueState.name, CatalogueState.version, CatalogueState.changed_at)
    ).all()
    return {name: f"{version}-{changed:%Y%m%d%H%M%S%f}" for name, version, changed in rows}


_cache: dict[tuple[str, str], tuple[str, Any]] = {}


def cached(session: Session, counter: str, slot: str, build: Callable[[], T]) -> T:
    """``build()``'s value for this database, kept until ``counter`` changes (in any
    worker: the version lives in the database)."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    version = versions(session).get(counter, "")
    hit = _cache.get((url, slot))
    if hit is not None and hit[0] == version:
        return hit[1]
    value = build()
    _cache[(url, slot)] = (version, value)
    return value

"""The catalogue's version counters. Every write bumps them in its own transaction,
so a cache keyed by them (areas, gazetteer, responses) is never stale in any worker."""

from sqlalchemy import select, update
from sqlmodel import Session

from app.models import CatalogueState, utcnow

OFFERS = "offers"
AREAS = "areas"
PLANNING = "planning"  # population figures, indicators, grid cells, schools


def bump(session: Session, *names: str) -> None:
    """Count one more change of ``names`` (committed with the caller's transaction)."""
    for name in names:
        changed = session.execute(
            update(CatalogueState).where(CatalogueState.name == name)
            .values(version=CatalogueState.version + 1, changed_at=utcnow())
        ).rowcount
        if not changed:
            session.add(CatalogueState(name=name, version=1))
            session.flush()


def versions(session: Session) -> dict[str, str]:
    """The current versions as opaque tokens (one cheap query): the counter and the time
    of the last change, so a counter that starts again (an emptied database) never
    repeats a token."""
    rows = session.execute(select(CatalogueState.name, CatalogueState.version,
                                  CatalogueState.changed_at)).all()
    return {name: f"{version}-{changed:%Y%m%d%H%M%S%f}" for name, version, changed in rows}

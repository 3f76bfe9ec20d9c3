"""The catalogue's version counters, as the catalogue's callers know them; defined in
``app.db.state`` because the levels below the catalogue (the gazetteer) key on them too."""

from app.db.state import AREAS, OFFERS, PLANNING, bump, cached, on_change, versions

__all__ = ["AREAS", "OFFERS", "PLANNING", "bump", "cached", "on_change", "versions"]

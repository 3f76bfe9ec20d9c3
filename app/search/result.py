"""What a search returns, as every page and twin reads it: the hits of one page, the
counts, the place, and every match's id in result order (``app.search.query``)."""

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select

from app.geo.places import Place
from app.models import Offer
from app.models.categories import CATEGORIES, Category
from app.search.filters import Filters
from app.search.ranking import Ranking


@dataclass
class Hit:
    offer: Offer
    distance_m: float | None = None
    # The filters whose fact this offer does not state (e.g. "alter": no age given).
    unknown: tuple[str, ...] = ()


@dataclass
class SearchResult:
    filters: Filters
    total: int
    hits: list[Hit]
    page: int
    page_size: int | None
    origin: tuple[float, float] | None = None  # (x, y) in EPSG:25832 when near-me
    place: Place | None = None  # the resolved place of a near-me search
    radius_m: int | None = None  # the radius applied; None when an area was kept instead
    # Every id of this page (or of all matches) in result order, with its distance.
    ranked: list[tuple[int, float | None]] = field(default_factory=list)
    # With "barrierefrei": how many offers of the chosen kinds have accessibility facts
    # at all (set when nothing was found, to say why).
    accessibility_known: int | None = None
    # The query of every match's id (not run): the map counts them per cell with it.
    matches: Select | None = field(default=None, repr=False, compare=False)
    # Matches kept although a filter's fact is unknown (listed after the known ones):
    # by id (of ``ranked``), the filters they lack; and how many lack each.
    unknown: dict[int, tuple[str, ...]] = field(default_factory=dict)
    unknown_counts: dict[str, int] = field(default_factory=dict)
    # Every match of this query shape, when it was ranked once for the catalogue version.
    ranking: Ranking | None = field(default=None, repr=False, compare=False)
    apart_total: int = 0  # matches lacking at least one of those facts
    now: datetime | None = None  # the moment of the search (Europe/Berlin)
    # True when the count stopped at ``total`` and there are more matches (a search
    # around a phone's position counts up to ``app.search.nearest.COUNT_CAP``).
    total_at_least: bool = False

    @property
    def known_total(self) -> int:
        """Matches whose every asked-for fact is known (they come first)."""
        return self.total - self.apart_total

    @property
    def apart_labels(self) -> list[tuple[str, int]]:
        """(label, count) of each filter with offers listed apart."""
        return [
            (Filters.by_name[name].unknown_label(), n)
            for name, n in self.unknown_counts.items()
            if n
        ]

    def apart_json(self) -> dict[str, object]:
        """The offers listed apart, for the JSON twin: how many, and per filter."""
        return {
            "total": self.apart_total,
            "filters": {
                name: {"count": n, "label": Filters.by_name[name].unknown_label()}
                for name, n in self.unknown_counts.items()
            },
        }

    def unknown_of(self, offer_id: int) -> list[str]:
        return list(self.unknown.get(offer_id, ()))

    @property
    def pages(self) -> int:
        if not self.page_size:
            return 1
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def ids(self) -> list[int]:
        return [h.offer.id for h in self.hits if h.offer.id is not None]

    def near_json(self) -> dict[str, object] | None:
        """The place and radius of a near-me search, for the JSON twin."""
        if self.place is None:
            return None
        return {**self.place.public(), "radius_m": self.radius_m}


def offers_by_category(hits: list[Hit]) -> list[tuple[Category, list[Hit]]]:
    """The hits grouped by their main category, in the catalogue's order."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.offer.category, []).append(hit)
    return [(cat, groups[cat.slug]) for cat in CATEGORIES if cat.slug in groups]

"""The computed ranking beside the city's published figures of the same kind.

A published figure stands beside a kind's ranking when its topic is the kind's
category (``kita``: the Kita shortage per Stadtbezirk) and it belongs to a district of
the level shown (figures for an Ortsteil are left out). For one period the districts
with a figure are ranked by the shortage it states (places missing count up, a
surplus ("Überschuss", "Überversorgung") counts as a negative shortage); rank 1 is the
largest shortage, as rank 1 of the computed ranking is the weakest district.

The two disagree for a district when one ranking puts it in the upper half (the
larger gaps) and the other in the lower half: e.g. Mitte, last (best covered) by the
number of Kitas, first by the places the city says are missing.
"""

from dataclasses import dataclass

from app.planning.coverage_model import Coverage
from app.planning.kinds import KIND_BY_SLUG
from app.text import slugify

SURPLUS_WORDS = ("überschuss", "überversorgung")
SHORTAGE_WORDS = ("fehlend", "fehlen", "ohne platz")


@dataclass(frozen=True)
class PublishedRank:
    name: str  # the district's name
    period: str
    indicator: str
    value_text: str
    unit: str | None
    shortage: float  # places missing; negative: a surplus
    rank: int  # 1: the largest published shortage
    of: int
    computed_rank: int | None
    computed_of: int
    source: str
    source_date: str | None

    @property
    def disagrees(self) -> bool:
        if self.computed_rank is None or self.computed_of < 2 or self.of < 2:
            return False
        return (self.computed_rank <= self.computed_of / 2) != (self.rank <= self.of / 2)


@dataclass(frozen=True)
class Comparison:
    period: str
    by_area: dict[str, PublishedRank]

    @property
    def disagreements(self) -> list[str]:
        """The names of the districts on which the two rankings disagree."""
        return [r.name for r in self.by_area.values() if r.disagrees]


def shortage(indicator: str, value: float | None) -> float | None:
    """The shortage a published figure states, or None when it states none."""
    if value is None:
        return None
    text = indicator.casefold()
    if any(w in text for w in SURPLUS_WORDS):
        return -abs(value)
    if any(w in text for w in SHORTAGE_WORDS):
        return value
    return None


def published_comparison(cov: Coverage, kind_slug: str) -> list[Comparison]:
    """Per period, the published shortage ranks of the districts beside the
    computed ranks of ``kind_slug``."""
    kind = KIND_BY_SLUG[kind_slug]
    if kind.slug != kind.category:  # e.g. U3: the published Ü3 figures are not its kind
        return []
    areas = {a.slug: a for a in cov.areas}
    ranked = [a for a in cov.areas if a.kinds[kind_slug].gap.rank is not None]
    by_period: dict[str, list[tuple[str, float, object]]] = {}
    for item in cov.indicators:
        if item.topic != kind.category or item.area_slug not in areas:
            continue
        if slugify(item.level or "") != cov.level:  # e.g. an Ortsteil's figure
            continue
        value = shortage(item.indicator, item.value)
        if value is None:
            continue
        period = item.period.split(" (")[0]
        by_period.setdefault(period, []).append((item.area_slug, value, item))
    out = []
    for period, items in by_period.items():
        seen: dict[str, tuple[float, object]] = {}
        for slug, value, item in items:
            seen.setdefault(slug, (value, item))
        values = sorted((v for v, _i in seen.values()), reverse=True)
        by_area = {}
        for slug, (value, item) in seen.items():
            by_area[slug] = PublishedRank(
                areas[slug].name,
                period,
                item.indicator,
                item.value_text,
                item.unit,
                value,
                values.index(value) + 1,
                len(values),
                areas[slug].kinds[kind_slug].gap.rank,
                len(ranked),
                item.source,
                item.source_date,
            )
        out.append(Comparison(period, by_area))
    return out

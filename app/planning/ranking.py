"""The gap ranking: for one kind, the districts ordered by their worst measure.

Each measure ranks the districts from the weakest (position 1) up; ties share a
position. A district's gap is its best (lowest) position over all measures it has,
so a district that is weakest in any one measure comes first; ties are broken by the
mean position. Measures a district lacks (no population data, no places) are left out.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    rank: int | None  # 1 = the biggest gap; None: no measure to rank by
    worst: str | None  # the measure in which the district ranks lowest
    position: int | None  # its position in that measure


def positions(values: Sequence[float | None]) -> list[int | None]:
    """1 for the lowest value; equal values share a position; None stays None."""
    known = sorted(v for v in values if v is not None)
    return [None if v is None else known.index(v) + 1 for v in values]


def gap_ranking(measures: Mapping[str, Sequence[float | None]], n: int) -> list[Gap]:
    """``measures``: measure key -> one value per district (higher is better)."""
    ranked = {key: positions(values) for key, values in measures.items()}
    scores: list[tuple[int, float, str] | None] = []
    for i in range(n):
        mine = [(p[i], key) for key, p in ranked.items() if p[i] is not None]
        if not mine:
            scores.append(None)
            continue
        best, key = min(mine, key=lambda t: t[0])
        scores.append((best, sum(p for p, _ in mine) / len(mine), key))
    order = sorted((i for i in range(n) if scores[i] is not None), key=lambda i: scores[i][:2])
    gaps = [Gap(None, None, None)] * n
    for rank, i in enumerate(order, start=1):
        best, _, key = scores[i]
        gaps[i] = Gap(rank, key, best)
    return gaps

"""Walking reach: how far each grid cell is from the nearest offer of a kind, and the
share of a target group within a distance. Walking distance is estimated as the
straight line × a detour factor (1.3 by default); no street network is used."""

import numpy as np


def nearest_walk(cells: np.ndarray, offers: np.ndarray, detour: float) -> np.ndarray:
    """Estimated walking metres from each cell centre (n × 2) to the nearest of
    ``offers`` (m × 2); infinite where there is no offer."""
    if len(offers) == 0:
        return np.full(len(cells), np.inf)
    if len(cells) == 0:
        return np.empty(0)
    from scipy.spatial import cKDTree  # here: only the planning computation needs SciPy

    distance, _ = cKDTree(offers).query(cells, k=1)
    return distance * detour


def share_within(
    walk: np.ndarray, population: np.ndarray, area: np.ndarray, n_areas: int, limit: float
) -> np.ndarray:
    """Per area, the share of ``population`` living within ``limit`` walking metres of
    an offer; NaN where the area has no population."""
    inside = area >= 0
    safe = np.where(inside, area, 0)
    pop = np.where(inside, population, 0.0)
    total = np.bincount(safe, weights=pop, minlength=n_areas)
    near = np.bincount(safe, weights=np.where(walk <= limit, pop, 0.0), minlength=n_areas)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, near / total, np.nan)

"""The accessibility index: the two-step floating catchment area method (2SFCA, Luo &
Wang 2003) with distance-decay weights (enhanced 2SFCA, Luo & Qi 2009), here with the
Gaussian decay that reaches zero at the catchment's edge (as in Dai 2010).

Step 1, for each offer j: R_j = S_j / Σ_k G(d_kj) · P_k over the cells k within the
catchment d0 (S: places, P: target residents in the cell).
Step 2, for each cell i: A_i = Σ_j G(d_ij) · R_j over the offers j within d0.
A_i is the supply per resident of the target group that the cell reaches, weighted by
distance; times 1,000 it reads "places (or offers) per 1,000 residents within reach".

PySAL's ``access`` package computes the same, but weights each origin–destination pair
in a Python ``apply`` on a long DataFrame: far too slow for a city grid times thousands
of offers. Here the pairs come from a k-d tree and every step is one NumPy call.
"""

from collections.abc import Callable

import numpy as np

Weight = Callable[[np.ndarray, float], np.ndarray]
_EDGE = np.exp(-0.5)


def gaussian(distance: np.ndarray, catchment: float) -> np.ndarray:
    """G(d) = (exp(-½ (d/d0)²) − exp(-½)) / (1 − exp(-½)) for d ≤ d0, else 0:
    1 at the offer, 0 at the catchment's edge. (In place on a copy: millions of pairs.)"""
    w = np.array(distance, dtype=float) / catchment
    np.square(w, out=w)
    w *= -0.5
    np.exp(w, out=w)
    w -= _EDGE
    w /= 1 - _EDGE
    return np.clip(w, 0.0, 1.0, out=w)


def pairs_within(cells: np.ndarray, offers: np.ndarray, walk_limit: float, detour: float
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cell index, offer index, walking metres) of every pair within ``walk_limit``."""
    if len(cells) == 0 or len(offers) == 0:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty, np.empty(0)
    from scipy.spatial import cKDTree  # here: only the planning computation needs SciPy

    found = cKDTree(cells).sparse_distance_matrix(
        cKDTree(offers), max_distance=walk_limit / detour, output_type="ndarray")
    return found["i"], found["j"], found["v"] * detour


Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # cell index, offer index, weight


def weighted_pairs(cells: np.ndarray, offers: np.ndarray, *, catchment: float,
                   detour: float = 1.0, weight: Weight = gaussian) -> Pairs:
    """Every (cell, offer) pair within the catchment with its distance weight; kinds
    that share their offers (Kitas, U3) share these."""
    i, j, walk = pairs_within(cells, offers, catchment, detour)
    return i, j, weight(walk, catchment)


def two_step_fca(cells: np.ndarray, demand: np.ndarray, offers: np.ndarray,
                 supply: np.ndarray, *, catchment: float, detour: float = 1.0,
                 weight: Weight = gaussian, pairs: Pairs | None = None) -> np.ndarray:
    """A_i for every cell (see the module text); 0 where no offer is in reach."""
    i, j, w = pairs if pairs is not None else weighted_pairs(
        cells, offers, catchment=catchment, detour=detour, weight=weight)
    demand_at = np.bincount(j, weights=w * demand[i], minlength=len(offers))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(demand_at > 0, supply / demand_at, 0.0)
    return np.bincount(i, weights=w * ratio[j], minlength=len(cells))


def area_mean(values: np.ndarray, population: np.ndarray, area: np.ndarray,
              n_areas: int) -> np.ndarray:
    """Population-weighted mean of ``values`` per area; NaN where nobody lives."""
    inside = area >= 0
    safe = np.where(inside, area, 0)
    pop = np.where(inside, population, 0.0)
    total = np.bincount(safe, weights=pop, minlength=n_areas)
    weighted = np.bincount(safe, weights=pop * values, minlength=n_areas)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, weighted / total, np.nan)

"""The accessibility index (2SFCA) and walking reach against small cases worked out
by hand: two offers, three grid cells on a line."""

import math

import numpy as np
import pytest

from app.planning.fca import area_mean, gaussian, two_step_fca
from app.planning.reach import nearest_walk, share_within

# Offer A at 0 m with 10 places, offer B at 1,000 m with 5 places; cells at 0 m (100
# children), 500 m (50) and 1,500 m (200). Catchment 1,000 m.
CELLS = np.array([[0.0, 0.0], [500.0, 0.0], [1500.0, 0.0]])
DEMAND = np.array([100.0, 50.0, 200.0])
OFFERS = np.array([[0.0, 0.0], [1000.0, 0.0]])
SUPPLY = np.array([10.0, 5.0])

# The Gaussian weight at 500 m of a 1,000 m catchment, by hand:
# (e^-0.125 - e^-0.5) / (1 - e^-0.5) = (0.882497 - 0.606531) / 0.393469 = 0.701367
G500 = (math.exp(-0.125) - math.exp(-0.5)) / (1 - math.exp(-0.5))


def test_gaussian_weight_is_one_at_the_offer_and_zero_at_and_beyond_the_catchment():
    weights = gaussian(np.array([0.0, 500.0, 1000.0, 1200.0]), 1000.0)
    assert weights.tolist() == pytest.approx([1.0, 0.701367, 0.0, 0.0], abs=1e-6)
    assert G500 == pytest.approx(0.701367, abs=1e-6)


def test_two_step_fca_matches_the_case_worked_out_by_hand():
    # Step 1: the weighted demand each offer sees and its supply ratio.
    #   A sees cell 1 (0 m, weight 1) and cell 2 (500 m): 100 + 0.701367 * 50 = 135.068
    #   -> R_A = 10 / 135.068 = 0.0740366
    #   B sees cell 1 at exactly 1,000 m (weight 0), cells 2 and 3 at 500 m:
    #   0.701367 * (50 + 200) = 175.342 -> R_B = 5 / 175.342 = 0.0285158
    # Step 2: each cell adds the weighted ratios of the offers it reaches.
    #   cell 1: 1 * R_A + 0 * R_B = 0.0740366
    #   cell 2: 0.701367 * (R_A + R_B) = 0.0719268
    #   cell 3: 0.701367 * R_B = 0.02 (exactly 5 / 250)
    access = two_step_fca(CELLS, DEMAND, OFFERS, SUPPLY, catchment=1000.0, detour=1.0)
    assert access.tolist() == pytest.approx([0.0740366, 0.0719268, 0.02], abs=1e-7)
    # Every place is handed out once: the weighted sum over the cells is the supply.
    assert float((access * DEMAND).sum()) == pytest.approx(15.0)


def test_a_detour_factor_makes_the_same_places_harder_to_reach():
    # With 1.3, cell 2 is 650 walking metres from both offers: weight
    # (e^-0.21125 - e^-0.5) / (1 - e^-0.5) = 0.538547, so it counts less for both.
    g650 = (math.exp(-0.5 * 0.65**2) - math.exp(-0.5)) / (1 - math.exp(-0.5))
    ra = 10 / (100 + g650 * 50)
    rb = 5 / (g650 * 250)
    access = two_step_fca(CELLS, DEMAND, OFFERS, SUPPLY, catchment=1000.0, detour=1.3)
    assert access.tolist() == pytest.approx([ra, g650 * (ra + rb), g650 * rb], abs=1e-9)


def test_an_offer_nobody_can_reach_adds_nothing_and_a_cell_out_of_reach_gets_zero():
    offers = np.vstack([OFFERS, [[9000.0, 0.0]]])
    access = two_step_fca(CELLS, DEMAND, offers, np.array([10.0, 5.0, 99.0]), catchment=1000.0)
    assert access.tolist() == pytest.approx([0.0740366, 0.0719268, 0.02], abs=1e-7)
    lonely = two_step_fca(
        np.array([[5000.0, 0.0]]), np.array([10.0]), OFFERS, SUPPLY, catchment=1000.0
    )
    assert lonely.tolist() == [0.0]


def test_area_mean_weights_the_cells_by_their_population():
    values = np.array([1.0, 2.0, 4.0])
    means = area_mean(values, DEMAND, np.array([0, 0, 1]), 3)
    assert means[0] == pytest.approx((100 * 1 + 50 * 2) / 150)
    assert means[1] == pytest.approx(4.0)
    assert math.isnan(means[2])  # nobody lives there


def test_walking_reach_by_hand_with_the_default_detour_factor():
    # Nearest offer: cell 1 0 m, cell 2 500 m (A and B), cell 3 500 m (B); walking
    # = 1.3 x straight line: 0, 650, 650 m.
    walk = nearest_walk(CELLS, OFFERS, detour=1.3)
    assert walk.tolist() == pytest.approx([0.0, 650.0, 650.0])
    area = np.array([0, 0, 0])
    assert share_within(walk, DEMAND, area, 1, 500)[0] == pytest.approx(100 / 350)
    assert share_within(walk, DEMAND, area, 1, 1000)[0] == pytest.approx(1.0)


def test_without_any_offer_nobody_is_in_reach():
    walk = nearest_walk(CELLS, np.empty((0, 2)), detour=1.3)
    assert np.isinf(walk).all()
    assert share_within(walk, DEMAND, np.array([0, 0, 1]), 2, 1000).tolist() == [0.0, 0.0]


def test_the_index_is_the_same_whether_the_pairs_come_in_one_block_or_many():
    rng = np.random.default_rng(7)
    cells = rng.uniform(0, 3000, (400, 2))
    offers = rng.uniform(0, 3000, (60, 2))
    demand = rng.uniform(0, 50, 400)
    supply = rng.uniform(1, 80, 60)
    whole = two_step_fca(
        cells, demand, offers, supply, catchment=800.0, detour=1.3, block=len(cells)
    )
    for block in (1, 7, 250):
        np.testing.assert_allclose(
            two_step_fca(cells, demand, offers, supply, catchment=800.0, detour=1.3, block=block),
            whole,
            rtol=1e-12,
        )
    assert (whole > 0).sum() > 100  # most cells reach an offer: the case is not empty

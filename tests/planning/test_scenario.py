"""What if: a hypothetical site changes the index as computed by hand, the same as a
full recomputation with the site added; per district before and after; nothing is
written."""

import math

import numpy as np
import pytest
from sqlmodel import func, select

from app.models import Offer
from app.planning import fca
from app.planning.coverage import coverage
from app.planning.scenario import Site, add_sites_index, parse_site, what_if
from tests.factories import make_offer

MITTE_A = (7.2162, 51.4818)
WATTENSCHEID = (7.1290, 51.4830)


def _g(d: float, d0: float) -> float:
    edge = math.exp(-0.5)
    return (math.exp(-0.5 * (d / d0) ** 2) - edge) / (1 - edge) if d <= d0 else 0.0


def test_one_new_site_next_to_known_cells_adds_its_hand_computed_term():
    # three cells on a line, 100 m apart; one existing offer at the first cell
    cells = np.array([[0.0, 0.0], [100.0, 0.0], [200.0, 0.0]])
    pop = np.array([10.0, 20.0, 30.0])
    offers = np.array([[0.0, 0.0]])
    before = fca.two_step_fca(cells, pop, offers, np.array([1.0]), catchment=1000)
    site = np.array([[200.0, 0.0]])
    after = add_sites_index(before, cells, pop, site, np.array([2.0]), catchment=1000, detour=1.0)
    # by hand: the site's demand D = G(200)·10 + G(100)·20 + G(0)·30, R = 2 / D
    d = _g(200, 1000) * 10 + _g(100, 1000) * 20 + _g(0, 1000) * 30
    r = 2 / d
    expected = before + np.array([_g(200, 1000) * r, _g(100, 1000) * r, _g(0, 1000) * r])
    assert after == pytest.approx(expected, rel=1e-12)
    # and the same as computing everything again with the site among the offers
    full = fca.two_step_fca(
        cells, pop, np.vstack([offers, site]), np.array([1.0, 2.0]), catchment=1000
    )
    assert after == pytest.approx(full, rel=1e-12)


def test_a_site_string_names_what_is_wrong():
    assert parse_site("kita;51.48;7.21;60") == Site("kita", 51.48, 7.21, 60)
    for bad, part in [
        ("kita;51.48", "Art;Breite"),
        ("zoo;51.48;7.21", "Art"),
        ("kita;52.5;7.2", "Bochum"),
    ]:
        with pytest.raises(ValueError, match=part):
            parse_site(bad)


def test_a_new_kita_in_wattenscheid_raises_its_figures_and_writes_nothing(planned, client):
    make_offer(planned, category="kita", lon=MITTE_A[0], lat=MITTE_A[1])
    cov = coverage(planned)
    offers_before = planned.exec(select(func.count()).select_from(Offer)).one()
    [scenario] = what_if(cov, [Site("kita", WATTENSCHEID[1], WATTENSCHEID[0], 60)])
    watt = next(a for a in scenario.areas if a.slug == "wattenscheid")
    mitte = next(a for a in scenario.areas if a.slug == "mitte")
    assert (watt.before.offers, watt.after.offers) == (0, 1)
    assert watt.before.reach_500 == 0.0 < watt.after.reach_500
    assert watt.after.access > watt.before.access == 0.0
    assert watt.after.per_1000 > watt.before.per_1000
    assert mitte.after.per_1000 == mitte.before.per_1000
    assert scenario.city.after.offers == scenario.city.before.offers + 1

    params = {"ort": "kita;51.48300;7.12900;60"}
    page = client.get("/planung/szenario", params=params)
    assert page.status_code == 200 and "Wattenscheid" in page.text
    exported = client.get("/planung/szenario.csv", params=params)
    assert exported.status_code == 200 and "wattenscheid" in exported.text
    bad = client.get("/planung/szenario.csv", params={"ort": "zoo;1;2"})
    assert bad.status_code == 422
    assert planned.exec(select(func.count()).select_from(Offer)).one() == offers_before

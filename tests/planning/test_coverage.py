"""The coverage table on small catalogues built through the real write path."""

import json

import pytest
from shapely.geometry import shape
from sqlmodel import select

from app.catalogue.write import archive_offer, update_offer
from app.models import District, Offer
from app.planning.coverage import coverage
from app.planning.kinds import KIND_BY_SLUG
from tests.factories import STAFF, make_offer

# Points (WGS84): two in Bochum-Mitte near the Rathaus, one in Wattenscheid.
MITTE_A = (7.2162, 51.4818)
MITTE_B = (7.2230, 51.4790)
WATTENSCHEID = (7.1290, 51.4830)


def _kita(session, lonlat, **fields):
    return make_offer(session, category="kita", lon=lonlat[0], lat=lonlat[1], **fields)


def test_every_district_gets_figures_and_estimates_are_labelled(planned):
    _kita(planned, MITTE_A)
    cov = coverage(planned)
    assert [a.slug for a in cov.areas] == [
        "mitte",
        "wattenscheid",
        "nord",
        "ost",
        "sued",
        "suedwest",
    ]
    mitte = cov.get("mitte").kinds["kita"]
    assert mitte.offers == 1 and mitte.placed == 1
    assert mitte.population.basis == "estimate"
    assert mitte.population.value == pytest.approx(103514 * (9684 + 9124) / 370797)
    assert mitte.per_1000 == pytest.approx(1000 / mitte.population.value, abs=0.01)
    assert 0 < mitte.reach_1000 <= 1 and 0 <= mitte.reach_500 <= mitte.reach_1000
    assert cov.get("wattenscheid").kinds["kita"].reach_1000 == 0.0
    # 65+ cannot be formed from the city's bands: the wider band from 60 (which exists)
    # is used, and the kind says so
    seniors = cov.get("mitte").kinds["seniorenbuero"]
    assert seniors.population.value == pytest.approx(103514 * (45940 + 33322 + 25273) / 370797)
    assert KIND_BY_SLUG["seniorenbuero"].ages == (60, None)
    assert "breiteren Gruppe ab 60" in str(KIND_BY_SLUG["seniorenbuero"].wider)


def test_moving_an_offer_changes_its_districts_figures(planned):
    _kita(planned, MITTE_A)
    moving = _kita(planned, MITTE_B)
    before = coverage(planned)
    assert before.get("mitte").kinds["kita"].offers == 2
    assert before.get("wattenscheid").kinds["kita"].offers == 0

    update_offer(planned, moving, {"lon": WATTENSCHEID[0], "lat": WATTENSCHEID[1]}, STAFF)
    planned.commit()
    after = coverage(planned)
    assert after is not before, "the cache did not notice the change"
    assert after.computed_at >= before.computed_at
    mitte, watt = after.get("mitte").kinds["kita"], after.get("wattenscheid").kinds["kita"]
    assert (mitte.offers, watt.offers) == (1, 1)
    assert watt.reach_1000 > 0 and watt.access > 0
    assert mitte.access < before.get("mitte").kinds["kita"].access


def test_archived_offers_do_not_count(planned):
    kept = _kita(planned, MITTE_A)
    gone = _kita(planned, MITTE_B)
    archive_offer(planned, gone, STAFF)
    planned.commit()
    mitte = coverage(planned).get("mitte").kinds["kita"]
    assert mitte.offers == 1 and kept.archived_at is None


def test_places_count_only_where_known_and_the_index_uses_places_when_all_are_known(planned):
    _kita(planned, MITTE_A, capacity=80, capacity_u3=20)
    unknown = _kita(planned, MITTE_B)
    cov = coverage(planned)
    mitte = cov.get("mitte").kinds["kita"]
    assert (mitte.places, mitte.places_known, mitte.offers) == (80, 1, 2)
    assert mitte.places_per_100 == pytest.approx(80 / mitte.population.value * 100, abs=0.05)
    assert cov.kinds["kita"].supply == "offers"  # one Kita lacks its places

    update_offer(planned, unknown, {"capacity": 40, "capacity_u3": 10}, STAFF)
    planned.commit()
    cov = coverage(planned)
    assert cov.kinds["kita"].supply == "places"
    # The index hands out every place once: 120 places over the city's children.
    city = cov.city.kinds["kita"]
    assert city.access == pytest.approx(120 / city.population.value * 1000, rel=0.01)
    u3 = cov.get("mitte").kinds["u3"]
    assert (u3.places, u3.places_known) == (30, 2)


def _inside(session, slug: str) -> tuple[float, float]:
    """A point well inside the district's boundary (WGS84)."""
    district = session.get(District, slug)
    point = shape(json.loads(district.geometry)).representative_point()
    return point.x, point.y


def test_the_gap_ranking_puts_a_district_without_offers_first(planned):
    # Kitas in every Stadtbezirk but Ost, most of them (three) in Mitte.
    for slug, count in {"mitte": 3, "nord": 1, "sued": 1, "suedwest": 1, "wattenscheid": 1}.items():
        for _ in range(count):
            _kita(planned, _inside(planned, slug))
    cov = coverage(planned)
    gaps = {a.slug: a.kinds["kita"].gap for a in cov.areas}
    assert {a.slug: a.kinds["kita"].offers for a in cov.areas} == {
        "mitte": 3,
        "nord": 1,
        "ost": 0,
        "sued": 1,
        "suedwest": 1,
        "wattenscheid": 1,
    }
    assert gaps["ost"].rank == 1 and gaps["ost"].position == 1
    assert gaps["ost"].worst is not None
    assert sorted(g.rank for g in gaps.values()) == [1, 2, 3, 4, 5, 6]
    # Emptying another district puts it next to Ost, ahead of every district with kitas.
    for offer in planned.exec(select(Offer).where(Offer.district_slug == "nord")).all():
        archive_offer(planned, offer, STAFF)
    planned.commit()
    gaps = {a.slug: a.kinds["kita"].gap for a in coverage(planned).areas}
    assert {gaps["ost"].rank, gaps["nord"].rank} == {1, 2}

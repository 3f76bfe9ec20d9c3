"""The coverage of the real Bochum data (imported once per backend)."""

import math

from sqlmodel import Session

from app.planning.coverage import clear_cache, coverage
from app.planning.coverage_model import GAP_MEASURES
from app.planning.kinds import KINDS


def test_every_district_gets_a_value_and_reach_is_a_share(real_engine):
    clear_cache()
    with Session(real_engine) as session:
        cov = coverage(session)
    assert len(cov.areas) == 6 and cov.grid_cells > 10_000
    for area in cov.areas:
        assert area.residents.value and area.residents.basis == "official"
        for kind in KINDS:
            m = area.kinds[kind.slug]
            if kind.slug == "u3":  # no Kita is known to take under-3s: no figure
                assert m.unknown and m.status_known == 0 and m.candidates > 0
                assert m.per_1000 is None and m.reach_1000 is None and m.access is None
                continue
            assert m.population.estimated and m.population.year == 2018
            assert m.per_1000 is not None and m.access is not None, (area.slug, kind.slug)
            assert 0.0 <= m.reach_500 <= m.reach_1000 <= 1.0
    kitas = sum(a.kinds["kita"].offers for a in cov.areas)
    assert kitas == cov.city.kinds["kita"].offers >= 190
    assert cov.kinds["kita"].places_known == 0  # the real data has no capacities yet


def test_the_target_groups_of_the_districts_add_up_to_the_citys(real_engine):
    with Session(real_engine) as session:
        cov = coverage(session)
    for kind in ("kita", "u3", "ogs", "jugendfreizeithaus"):
        total = sum(a.kinds[kind].population.value for a in cov.areas)
        assert math.isclose(total, cov.city.kinds[kind].population.value, rel_tol=1e-9)
    assert cov.city.kinds["kita"].population.value == 9684 + 9124


def test_every_kind_has_a_full_gap_ranking(real_engine):
    with Session(real_engine) as session:
        cov = coverage(session)
    for kind in KINDS:
        ranks = sorted(a.kinds[kind.slug].gap.rank or 0 for a in cov.areas)
        if kind.slug == "u3":
            assert ranks == [0] * 6
        else:
            assert ranks == [1, 2, 3, 4, 5, 6]
            assert all(a.kinds[kind.slug].gap.worst in GAP_MEASURES for a in cov.areas)


def test_the_press_figures_are_matched_to_their_districts(real_engine):
    with Session(real_engine) as session:
        cov = coverage(session)
    mitte = [i for i in cov.indicators if i.area_slug == "mitte"]
    assert {"Bochum-Mitte", "Kruppwerke"} <= {i.area for i in mitte}
    shortage = [
        i for i in mitte if i.area == "Bochum-Mitte" and i.period.startswith("Kita-Jahr 2023/24")
    ]
    assert [(i.indicator, i.value) for i in shortage] == [("Ü3-Plätze fehlend", 222.0)]
    assert len(cov.indicators) == 59


def test_the_zensus_grid_spreads_residents_and_reach_rises_where_people_live(real_engine):
    """People live where the streets (and so the Kitas and schools) are: with the Zensus
    2011 grid loaded by default, more of each target group is within walking reach
    than with residents spread evenly over each district's fields and woods."""
    from datetime import date

    with Session(real_engine) as session:
        cov = coverage(session)
    assert "Zensus 2011" in cov.weighted_by and cov.grid_date == date(2011, 5, 9)
    for kind in ("kita", "ogs", "spielplatz", "familienzentrum"):
        city = cov.city.kinds[kind]
        even_500, even_1000 = cov.even_reach[kind]
        assert city.reach_500 > even_500 and city.reach_1000 > even_1000, kind
    assert cov.city.kinds["kita"].reach_500 - cov.even_reach["kita"][0] > 0.2


def test_mitte_best_by_buildings_disagrees_with_the_citys_missing_places(real_engine):
    from app.planning.compare import published_comparison

    with Session(real_engine) as session:
        cov = coverage(session)
    assert cov.kinds["kita"].supply == "offers"
    periods = {c.period: c for c in published_comparison(cov, "kita")}
    mitte = periods["Kita-Jahr 2023/24"].by_area["mitte"]
    assert mitte.rank == 1 and mitte.computed_rank > 3 and mitte.disagrees
    assert periods["Kita-Jahr 2025/26"].by_area["mitte"].disagrees

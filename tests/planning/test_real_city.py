"""The coverage of the real Bochum data (imported once per backend)."""

import math

from sqlmodel import Session

from app.planning.coverage import GAP_MEASURES, clear_cache, coverage
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
            if kind.slug == "seniorenbuero":  # 65+ cannot be formed from the city's bands
                assert m.population.value is None and m.reach_1000 is None
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
        if kind.slug == "seniorenbuero":
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

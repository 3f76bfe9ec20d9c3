"""Published indicators, the schools' social index, the population grid and the gap
ranking, each on small inputs."""

import numpy as np
import pytest
from shapely.geometry import box
from sqlmodel import select

from app.models import GridCell, PlanningIndicator, School
from app.planning import grid as gridmod
from app.planning.coverage import coverage
from app.planning.indicators import load_indicators_csv, parse_value
from app.planning.ranking import gap_ranking, positions

HEADER = "topic,period,level,area,indicator,value,unit,source_url,source_date,note\n"


def test_published_values_are_read_as_numbers_only_where_they_are_numbers():
    assert parse_value("222") == 222
    assert parse_value("8,1") == 8.1
    assert parse_value("11.843") == 11843
    assert parse_value(">97") is None
    assert parse_value("fast 57.000 (>15 %)") is None


def test_an_indicator_table_replaces_the_one_of_the_same_name(planned):
    first = (
        HEADER + "kita,2030 (generiert),Stadtbezirk,Bochum-Nord,Plätze geplant,12,Plätze,"
        "https://example.org/a,2026,generiert\n"
        "kita,2030 (generiert),statistischer Bezirk,Kruppwerke,Plätze geplant,3,Plätze,"
        "https://example.org/b,2026,generiert\n"
    )
    report = load_indicators_csv(planned, first.encode(), name="generiert")
    planned.commit()
    assert report.errors == [] and report.loaded == 2 and report.unmatched == []
    rows = planned.exec(
        select(PlanningIndicator).where(PlanningIndicator.table_name == "generiert")
    ).all()
    assert {(r.area, r.area_slug, r.value) for r in rows} == {
        ("Bochum-Nord", "nord", 12.0),
        ("Kruppwerke", "mitte", 3.0),
    }

    second = HEADER + (
        "kita,2031 (generiert),Stadt,Bochum,Plätze geplant,,Plätze,https://example.org/c,2026,\n"
    )
    bad = load_indicators_csv(planned, second.encode(), name="generiert")
    assert [str(e) for e in bad.errors] == ["generiert:2: value: leer"]
    planned.rollback()
    assert (
        len(
            planned.exec(
                select(PlanningIndicator).where(PlanningIndicator.table_name == "generiert")
            ).all()
        )
        == 2
    )
    # the press table from the set-up is untouched
    assert (
        len(
            planned.exec(
                select(PlanningIndicator).where(PlanningIndicator.table_name == "presse")
            ).all()
        )
        == 59
    )


_SCHOOL_NUMBERS = iter(range(900_001, 999_999))


def _school(session, name, index, pupils, x, y, startchancen=False, kind="Grundschule"):
    session.add(
        School(
            id=next(_SCHOOL_NUMBERS),
            name=f"{name} (generiert)",
            school_type=kind,
            pupils=pupils,
            social_index=index,
            startchancen=startchancen,
            x=x,
            y=y,
            district_slug=None,
            source="generiert (Test)",
        )
    )


def test_the_social_index_is_the_pupil_weighted_mean_of_the_districts_primary_schools(planned):
    # Points (EPSG:25832) in Mitte and in Wattenscheid.
    _school(planned, "Schule A", 8, 300, 377_600, 5_705_100, startchancen=True)
    _school(planned, "Schule B", 2, 100, 377_900, 5_704_800)
    _school(planned, "Gymnasium C", 9, 900, 377_700, 5_705_000, kind="Gymnasium")
    _school(planned, "Schule D", None, 200, 371_000, 5_705_300)
    planned.commit()
    cov = coverage(planned)
    mitte = cov.get("mitte").need
    assert (mitte.schools, mitte.with_index, mitte.pupils, mitte.startchancen) == (2, 2, 400, 1)
    assert mitte.mean_index == pytest.approx((8 * 300 + 2 * 100) / 400)
    watt = cov.get("wattenscheid").need
    assert (watt.schools, watt.with_index, watt.mean_index) == (1, 0, None)
    assert cov.get("nord").need.schools == 0


def test_the_grid_spreads_residents_evenly_or_by_loaded_counts():
    square = box(0, 0, 300, 200)  # 6 cells of 100 m
    grid = gridmod.build_grid([square], 100)
    assert len(grid) == 6 and sorted(set(grid.x)) == [50, 150, 250]
    even = gridmod.spread(grid.area, np.array([600.0]))
    assert even.tolist() == [100.0] * 6
    weights = gridmod.cell_weights(grid, [(50.0, 50.0, 30), (250.0, 150.0, 10)])
    by_counts = gridmod.spread(grid.area, np.array([600.0]), weights)
    assert sorted(by_counts.tolist()) == [0, 0, 0, 0, 150.0, 450.0]


def test_a_zensus_grid_is_a_drop_in_that_moves_the_residents(planned):
    # Two GENERATED cells in the Zensus format (EPSG:3035 centres): one in Mitte near
    # the Rathaus, one with a withheld count.
    csv = (
        "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\n"
        "generiert-1;4120350;3149850;250\n"
        "generiert-2;4120450;3149850;–\n"
    )
    report = gridmod.load_grid_csv(planned, csv.encode(), year=2022, source="generiert")
    planned.commit()
    assert report.errors == [] and (report.loaded, report.suppressed) == (2, 1)
    cells = planned.exec(select(GridCell)).all()
    assert 360_000 < cells[0].x < 390_000 and 5_690_000 < cells[0].y < 5_720_000
    cov = coverage(planned)
    assert cov.weighted_by == "generiert (2022)"


def test_gap_positions_and_order():
    assert positions([3.0, None, 1.0, 3.0]) == [2, None, 1, 2]
    gaps = gap_ranking({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]}, 3)
    # Districts 0 (weakest in a) and 1 (weakest in b) both sit at position 1; the mean
    # position breaks the tie: district 1 (1 and 2: 1.5) before district 0 (1 and 3: 2).
    # District 2 is at best second (in b) and comes last.
    assert [g.rank for g in gaps] == [2, 1, 3]
    assert [g.worst for g in gaps] == ["a", "b", "b"]


def test_a_table_python_cannot_read_is_refused_in_words_in_the_pages_language():
    from app import i18n
    from app.planning.tables import read_table

    too_long = b"area,value\nMitte,1\nWest," + b"9" * 200_000 + b"\n"
    latin1 = "area,value\nMitte,1\nH\xf6ntrop,2\n".encode("latin-1")
    assert [e.worded() for e in read_table(too_long, "t", ("area", "value")).errors] == [
        "Zeile 3, Datei: ab hier kein lesbares CSV: ein Feld ist länger als 131072 Zeichen"
    ]
    assert [e.worded() for e in read_table(latin1, "t", ("area", "value")).errors] == [
        "Zeile 3, Datei: nicht in UTF-8 gespeichert (Byte 0xf6); die Datei wird nicht gelesen"
    ]
    i18n.set_locale("en")
    try:
        english = [e.worded() for e in read_table(too_long, "t", ("area", "value")).errors]
    finally:
        i18n.set_locale(i18n.DEFAULT)
    assert english == [
        "Line 3, File: no readable CSV from here on: a field is longer than 131072 characters"
    ]

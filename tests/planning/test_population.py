"""Target groups: official figures where loaded, else estimates labelled as such,
else no number at all; loading a table is all or nothing."""

import pytest
from sqlmodel import select

from app.models import PopulationFigure
from app.models.planning import CITY
from app.planning.population import PopulationTable, compose, load_population_csv
from tests.factories import add_districts

CITY_2018 = {
    (0, None): 370797,
    (0, 3): 9684,
    (3, 6): 9124,
    (6, 10): 11470,
    (10, 14): 11534,
    (14, 18): 12201,
    (60, 70): 45940,
    (70, 80): 33322,
    (80, None): 25273,
}


def test_age_bands_compose_a_group_only_when_they_tile_it_exactly():
    assert compose(CITY_2018, (0, 6)) == 9684 + 9124
    assert compose(CITY_2018, (0, 18)) == 9684 + 9124 + 11470 + 11534 + 12201
    assert compose(CITY_2018, (60, None)) == 45940 + 33322 + 25273
    assert compose(CITY_2018, (65, None)) is None  # 60 to under 70 is one band
    assert compose(CITY_2018, (0, 4)) is None


def _table() -> PopulationTable:
    table = PopulationTable()
    for band, value in CITY_2018.items():
        table.add(CITY, 2018, band, value, "Stadt (generiert)")
    table.add("mitte", 2018, (0, None), 103514, "Bezirke (generiert)")
    return table


def test_a_district_without_age_figures_gets_an_estimate_from_the_city_share():
    figure = _table().figure("mitte", (0, 6))
    assert figure.basis == "estimate" and figure.estimated
    assert figure.value == pytest.approx(103514 * (9684 + 9124) / 370797)
    assert figure.year == 2018 and figure.share_year == 2018
    assert "Schätzung" in figure.note()


def test_no_figure_is_made_up_where_the_age_group_cannot_be_formed():
    figure = _table().figure("mitte", (65, None))
    assert figure.value is None and figure.note() == "keine Bevölkerungsdaten"
    assert _table().figure("atlantis", (0, 6)).value is None


def test_the_newest_official_year_wins():
    table = _table()
    table.add("mitte", 2021, (0, 6), 5000, "Amt (generiert)")
    table.add("mitte", 2023, (0, 3), 2400, "Amt (generiert)")
    table.add("mitte", 2023, (3, 6), 2500, "Amt (generiert)")
    figure = table.figure("mitte", (0, 6))
    assert (figure.value, figure.year, figure.basis) == (4900, 2023, "official")


def test_loading_a_table_replaces_the_estimate_for_that_district(session, data_dir):
    add_districts(session, data_dir)
    csv = (
        "bezirk;alter_von;alter_bis_unter;jahr;einwohner;quelle;stichtag\n"
        "Bochum-Mitte;0;6;2023;5.321;Amt für Statistik (generiert);31.12.2023\n"
        "Stadt Bochum;0;;2023;371.000;Amt für Statistik (generiert);\n"
    )
    report = load_population_csv(session, csv.encode(), name="tabelle.csv")
    session.commit()
    assert report.errors == [] and report.loaded == 2
    assert report.areas == [CITY, "mitte"] and report.years == [2023]
    figure = PopulationTable.load(session).figure("mitte", (0, 6))
    assert (figure.value, figure.year, figure.basis) == (5321, 2023, "official")
    assert "Schätzung" not in figure.note()


def test_a_bad_row_is_named_by_its_line_and_nothing_is_loaded(session, data_dir):
    add_districts(session, data_dir)
    csv = (
        "bezirk,alter_von,alter_bis_unter,jahr,einwohner,quelle\n"
        "Mitte,0,3,2023,2500,Amt (generiert)\n"
        "Mitte,3,2,2023,2500,Amt (generiert)\n"
        "Atlantis,0,3,2023,10,Amt (generiert)\n"
        "Nord,0,3,2023,-5,\n"
        "Mitte,0,3,2023,2600,Amt (generiert)\n"
    )
    report = load_population_csv(session, csv.encode(), name="tabelle.csv")
    assert [str(e) for e in report.errors] == [
        "tabelle.csv:3: alter_bis_unter: muss größer sein als „Alter von“",
        "tabelle.csv:4: bezirk: unbekannter Bezirk „Atlantis“ (Name, Kürzel oder Nummer eines "
        "geladenen Bezirks, oder „Bochum“)",
        "tabelle.csv:5: einwohner: -5 liegt nicht zwischen 0 und 10000000",
        "tabelle.csv:5: quelle: leer: jede Zahl braucht ihre Quelle",
        "tabelle.csv:6: bezirk: derselbe Bezirk, dieselben Alter und dasselbe Jahr wie in Zeile 2",
    ]
    session.commit()
    assert session.exec(select(PopulationFigure)).all() == []


def test_a_table_without_the_needed_columns_is_refused(session, data_dir):
    add_districts(session, data_dir)
    report = load_population_csv(session, b"bezirk;einwohner\nMitte;5\n", name="t.csv")
    assert [str(e) for e in report.errors] == [
        "t.csv:1: header: es fehlen die Spalten alter_von, alter_bis_unter, jahr, quelle"
    ]

"""The NRW holidays come from the ``holidays`` library, checked against the dates the
Ministry publishes (Ferienordnung NRW, schulministerium.nrw); a school year the library
does not know is reported, not guessed."""

from datetime import date

from app.catalogue import calendar

# Schulministerium NRW, Ferienordnung (first and last day of each holiday).
MINISTRY = {
    2025: [
        ("herbstferien", date(2025, 10, 13), date(2025, 10, 25)),
        ("weihnachtsferien", date(2025, 12, 22), date(2026, 1, 6)),
        ("osterferien", date(2026, 3, 30), date(2026, 4, 11)),
        ("pfingstferien", date(2026, 5, 26), date(2026, 5, 26)),
        ("sommerferien", date(2026, 7, 20), date(2026, 9, 1)),
    ],
    2026: [
        ("herbstferien", date(2026, 10, 17), date(2026, 10, 31)),
        ("weihnachtsferien", date(2026, 12, 23), date(2027, 1, 6)),
        ("osterferien", date(2027, 3, 22), date(2027, 4, 3)),
        ("pfingstferien", date(2027, 5, 18), date(2027, 5, 18)),
        ("sommerferien", date(2027, 7, 19), date(2027, 8, 31)),
    ],
}


def test_school_holidays_of_2025_26_and_2026_27_are_the_ministrys():
    for year, expected in MINISTRY.items():
        found = [(h.name, h.starts, h.ends) for h in calendar.school_holidays_of(year)]
        assert found == expected, year


def test_public_holidays_of_nrw_include_fronleichnam_and_all_saints():
    assert calendar.public_holiday(date(2026, 6, 4)) == "Fronleichnam"
    assert calendar.public_holiday(date(2026, 11, 1)) == "Allerheiligen"
    assert calendar.public_holiday(date(2026, 12, 25)) == "Erster Weihnachtstag"
    assert calendar.public_holiday(date(2026, 6, 5)) is None


def test_a_school_year_the_library_does_not_know_is_reported():
    assert calendar.unknown_school_years(2025, 2026) == []
    assert "2029/30" in calendar.unknown_school_years(2025, 2029)


def test_the_first_weeks_of_a_holiday_close_only_those_weeks():
    closure = "sommerferien:3"
    assert calendar.closes_for_school_holiday(closure, date(2026, 7, 20))  # week 1
    assert calendar.closes_for_school_holiday(closure, date(2026, 8, 9))  # week 3
    assert calendar.closes_for_school_holiday(closure, date(2026, 8, 10)) is None  # week 4
    assert calendar.closes_for_school_holiday("alle", date(2026, 10, 20))
    assert calendar.closes_for_school_holiday("sommerferien", date(2026, 10, 20)) is None


def test_the_days_of_an_unknown_school_year_are_named_with_it():
    # holidays 0.109 ends with the summer holiday of 2029 (2 July – 14 August).
    assert calendar.unknown_school_year_on(date(2029, 7, 31)) is None  # 2028/29
    assert calendar.unknown_school_year_on(date(2029, 8, 14)) is None  # a known holiday
    assert calendar.unknown_school_year_on(date(2029, 8, 15)) == "2029/30"
    assert calendar.unknown_school_year_on(date(2030, 5, 2)) == "2029/30"
    assert calendar.unknown_school_year_on(date(2026, 6, 2)) is None
    assert calendar.unknown_school_years_ahead(date(2026, 6, 2)) == []
    assert calendar.unknown_school_years_ahead(date(2028, 7, 31)) == []
    assert calendar.unknown_school_years_ahead(date(2028, 8, 1)) == ["2029/30"]
    assert calendar.unknown_school_years_ahead(date(2030, 1, 1)) == ["2029/30", "2030/31"]

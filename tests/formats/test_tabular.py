"""The one rule of every table export: a cell never starts like a formula."""

import csv
import io

import pytest

from app.formats.tabular import csv_text, neutralise_cell


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x","klick")', "+1+1", "-2+3", "@SUM(1,1)", "\t=1+1", "\r=1+1", "=", "-"],
)
def test_a_text_starting_like_a_formula_becomes_text(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["Kita Sonnenschein", "0234 123456", "", " =1", "a=b", "44787 Bochum", "'=schon neutral"],
)
def test_other_text_is_left_as_it_is(value):
    assert neutralise_cell(value) == value


@pytest.mark.parametrize("value", [-1, -2.5, 0, 3, True, None])
def test_numbers_booleans_and_empty_cells_are_not_touched(value):
    assert neutralise_cell(value) is value


def test_csv_text_neutralises_every_cell_and_reads_back():
    text = csv_text(["name", "=header"], [["=1+1", -3], ["Kita", "@x"]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows == [["name", "'=header"], ["'=1+1", "-3"], ["Kita", "'@x"]]

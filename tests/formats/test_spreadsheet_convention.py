"""The exports as a German spreadsheet program reads them: every CSV twin in the one
convention (BOM, ``;``, decimal comma, whole numbers as whole numbers), the XLSX with
real numbers and number formats (percent for shares, one decimal), published values
as numbers."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from app.formats.tabular import csv_cell, csv_text, number_text
from tests.factories import add_planning_inputs, make_offer

KITAS = [(7.2162, 51.4818), (7.2230, 51.4790), (7.1290, 51.4830), (7.2600, 51.5300)]
DECIMAL_POINT = re.compile(r"^-?\d+\.\d+$")  # "10.48": German Excel reads a date or text
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3, "3"),
        (3.0, "3"),
        (10.48, "10,48"),
        (-2.5, "-2,5"),
        (103514, "103514"),
        (1e-7, "0,0000001"),
    ],
)
def test_numbers_have_a_decimal_comma_and_whole_numbers_no_decimals(value, text):
    assert number_text(value) == text


def test_cells_follow_the_convention():
    assert [csv_cell(v) for v in (None, True, False, ["a", "b"], "=1+1", 0.5)] == [
        "",
        "ja",
        "nein",
        "a | b",
        "'=1+1",
        "0,5",
    ]


def test_a_negative_number_stays_a_number_not_neutralised_text():
    text = csv_text(["x"], [[-3.5]])
    assert text.splitlines()[1] == "-3,5"


def read_csv(body: str) -> tuple[list[str], list[list[str]]]:
    assert body.startswith("\ufeff"), "no BOM: Excel would read UTF-8 as ANSI"
    assert "\r\n" in body
    header, *rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=";"))
    return header, rows


@pytest.fixture
def city(session, data_dir):
    add_planning_inputs(session, data_dir)
    for i, (lon, lat) in enumerate(KITAS):
        make_offer(session, name=f"Kita {i} (generiert)", category="kita", lon=lon, lat=lat)
    return session


@pytest.mark.parametrize(
    "url",
    [
        "/planung.csv",
        "/planung.csv?mass=angebote",
        "/planung.csv?mass=erreichbar_500",
        "/planung.csv?mass=sozialindex",
        "/angebote.csv",
        "/bezirke.csv",
    ],
)
def test_every_csv_twin_writes_decimal_commas_and_whole_counts(client, city, url):
    answer = client.get(url)
    assert answer.status_code == 200
    header, rows = read_csv(answer.text)
    cells = [c for r in rows for c in r]
    assert all(len(r) == len(header) for r in rows)
    assert not [c for c in cells if DECIMAL_POINT.match(c)], "a decimal point in a CSV cell"
    assert not [c for c in cells if c.endswith(",0") or c.endswith(".0")], "a count as 3.0"
    assert any(DECIMAL_COMMA.match(c) or c.isdigit() for c in cells)


def test_the_planning_csv_counts_are_integers(client, city):
    header, rows = read_csv(client.get("/planung.csv", params={"mass": "angebote"}).text)
    kitas = header.index("Kitas (Anzahl)")
    assert [r[kitas] for r in rows][-1] == "4"  # the city: four Kitas, not "4.0"
    assert all(r[kitas].isdigit() for r in rows)


def test_the_offers_csv_has_coordinates_with_a_decimal_comma(client, city):
    header, rows = read_csv(client.get("/angebote.csv", params={"q": "Kita 0"}).text)
    lat = rows[0][header.index("lat")]
    assert DECIMAL_COMMA.match(lat) and lat.startswith("51,48"), lat


def test_the_xlsx_writes_shares_as_percent_and_counts_as_whole_numbers(client, city):
    book = load_workbook(
        io.BytesIO(client.get("/planung.xlsx", params={"mass": "erreichbar_500"}).content)
    )
    table = book["Tabelle"]
    header = [c.value for c in table[1]]
    kitas = header.index("Kitas (%)") + 1
    city_row = table.max_row
    cell = table.cell(row=city_row, column=kitas)
    assert cell.data_type == "n" and isinstance(cell.value, float)
    assert 0 <= cell.value <= 1, "a share is a fraction the percent format shows"
    assert cell.number_format == "0.0%"

    detail = book["Alle Maße"]
    head = [c.value for c in detail[1]]
    rows = list(detail.iter_rows(min_row=2))
    mitte_kita = next(r for r in rows if r[0].value == "Mitte" and r[1].value == "Kitas")
    offers = mitte_kita[head.index("Angebote")]
    assert isinstance(offers.value, int) and offers.number_format == "#,##0"
    share = mitte_kita[head.index("Anteil bis 500 m")]
    assert share.data_type == "n" and share.number_format == "0.0%"
    per_1000 = mitte_kita[head.index("Angebote je 1.000")]
    assert per_1000.data_type == "n" and per_1000.number_format == "#,##0.0"


def test_the_xlsx_carries_published_values_as_numbers(client, city):
    book = load_workbook(io.BytesIO(client.get("/planung.xlsx").content))
    sheet = book["Veröffentlichte Zahlen"]
    head = [c.value for c in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    value = head.index("Wert")
    mitte = next(
        r
        for r in rows
        if r[head.index("Gebiet")].value == "Bochum-Mitte"
        and r[head.index("Kennzahl")].value == "Ü3-Plätze fehlend"
    )
    assert mitte[value].value == 222 and mitte[value].data_type == "n"
    assert mitte[value].number_format == "#,##0"
    texts = [r[value].value for r in rows if isinstance(r[value].value, str)]
    assert all(not re.fullmatch(r"[\d.,]+", t) for t in texts), texts  # only ">97" and such

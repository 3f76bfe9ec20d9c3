"""/planung and its twins over HTTP: the table, the exports of exactly its rows, the
map, the district profile and the report."""

import csv
import io
import json
import re
from html import unescape
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from tests.factories import add_planning_inputs, make_offer

KITAS = [(7.2162, 51.4818), (7.2230, 51.4790), (7.1290, 51.4830), (7.2600, 51.5300)]
OGS = [(7.2100, 51.4700), (7.1200, 51.4850)]


@pytest.fixture
def city(session, data_dir):
    add_planning_inputs(session, data_dir)
    for i, (lon, lat) in enumerate(KITAS):
        make_offer(session, name=f"Kita {i} (generiert)", category="kita", lon=lon, lat=lat)
    for i, (lon, lat) in enumerate(OGS):
        make_offer(session, name=f"OGS {i} (generiert)", category="ogs", lon=lon, lat=lat)
    return session


def html_rows(page: str) -> list[list[str]]:
    """The planning table's rows: area name, then each cell's data-value."""
    table = page[page.index('id="planungstabelle"') :]
    table = table[: table.index("</table>")]
    rows = []
    for body in re.findall(r"<tr data-slug=\"[^\"]+\"[^>]*>(.*?)</tr>", table, re.S):
        name = unescape(
            re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", body, re.S).group(1)).strip()
        )
        values = re.findall(r'<td[^>]*data-value="([^"]*)"', body)
        rows.append([name, *values])
    return rows


def _num(value: object) -> str:
    """A cell's number, from the page's data-value, a CSV cell (decimal comma) or XLSX."""
    if value in (None, ""):
        return ""
    return repr(round(float(str(value).replace(",", ".")), 6))


def test_the_page_shows_districts_by_kinds_with_estimates_and_worst_cells_marked(client, city):
    page = client.get("/planung")
    assert page.status_code == 200
    rows = html_rows(page.text)
    assert [r[0] for r in rows] == [
        "Mitte",
        "Wattenscheid",
        "Nord",
        "Ost",
        "Süd",
        "Südwest",
        "Stadt Bochum",
    ]
    text = unescape(page.text)
    assert "Schätzung" in text and 'class="estimate-mark"' in page.text
    assert "schwächster Wert" in text
    assert "So wird gerechnet" in text and "Luo und Wang 2003" in text
    assert re.search(r"Berechnet am \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", text)
    assert "unbekannt" in text  # U3: no Kita is known to take under-3s
    assert "Ü3-Plätze fehlend" in text  # the press figures beside our own
    assert "<svg" in page.text and "natürliche Brüche (Fisher-Jenks)" in text


def test_with_htmx_only_the_results_come_back(client, city):
    page = client.get(
        "/planung", params={"mass": "erreichbar_1000"}, headers={"HX-Request": "true"}
    )
    assert page.status_code == 200
    assert "<html" not in page.text and 'id="planungstabelle"' in page.text
    assert 'hx-swap-oob="innerHTML"' in page.text
    assert "Zielgruppe bis 1.000 m Fußweg je Gebiet" in unescape(page.text)


def test_a_bad_parameter_is_named_on_the_page_and_answered_422_by_the_twins(client, city):
    page = client.get("/planung", params={"mass": "alles", "art": "kita"})
    assert page.status_code == 200
    assert 'class="error-summary"' in page.text
    assert 'href="#mass"' in page.text and 'aria-invalid="true"' in page.text
    assert "Angebote je 1.000 der Zielgruppe je Gebiet" in unescape(page.text)  # default
    for twin in ("/planung.csv", "/planung.json", "/planung.xlsx", "/planung/karte.svg"):
        answer = client.get(twin, params={"mass": "alles", "sortierung": "x"})
        assert answer.status_code == 422, twin
        assert {d["loc"][1] for d in answer.json()["detail"]} == {"mass", "sortierung"}


@pytest.mark.parametrize("mass", ["je_1000", "erreichbar_500", "zugang", "sozialindex"])
def test_csv_xlsx_and_geojson_hold_exactly_the_rows_of_the_html_table(client, city, mass):
    params = {"mass": mass, "art": "ogs", "sortierung": "name", "richtung": "ab"}
    shown = [
        [r[0], *map(_num, r[1:])] for r in html_rows(client.get("/planung", params=params).text)
    ]

    reader = csv.reader(
        io.StringIO(client.get("/planung.csv", params=params).text.removeprefix("\ufeff")),
        delimiter=";",
    )
    header, *records = list(reader)
    value_columns = [i for i, h in enumerate(header) if i >= 2 and "Grundlage" not in h]
    assert [[r[0], *(_num(r[i]) for i in value_columns)] for r in records] == shown

    book = load_workbook(io.BytesIO(client.get("/planung.xlsx", params=params).content))
    assert book.sheetnames == [
        "Tabelle",
        "Alle Maße",
        "Quellen und Methode",
        "Veröffentlichte Zahlen",
        "Quellen",
    ]
    sheet = list(book["Tabelle"].iter_rows(values_only=True))
    assert list(sheet[0]) == header
    share = 100 if mass.startswith("erreichbar") else 1  # shares as fractions, percent format
    assert [
        [r[0], *(_num(r[i] * share if isinstance(r[i], float) else r[i]) for i in value_columns)]
        for r in sheet[1:]
    ] == shown

    features = json.loads(client.get("/planung.geojson", params=params).text)["features"]
    assert [
        [f["properties"][header[0]], *(_num(f["properties"][header[i]]) for i in value_columns)]
        for f in features
    ] == shown
    assert features[0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert features[-1]["geometry"] is None  # the city's row


def test_the_xlsx_names_sources_years_and_method(client, city):
    book = load_workbook(io.BytesIO(client.get("/planung.xlsx").content))
    cells = [
        str(c) for row in book["Quellen und Methode"].iter_rows(values_only=True) for c in row if c
    ]
    text = " ".join(cells)
    assert "Bochum im Überblick 2018" in text and "OpenStreetMap" in text
    assert "Zugangsindex (2SFCA)" in text and "Umwegfaktor 1,3" in text
    detail = list(book["Alle Maße"].iter_rows(values_only=True))
    assert any(r[0] == "Mitte" and r[1] == "Kitas" and "Schätzung" in r[4] for r in detail)
    published = list(book["Veröffentlichte Zahlen"].iter_rows(values_only=True))
    assert len(published) == 60  # header and the 59 press figures


def test_the_json_carries_every_measure_for_kitas_and_ogs_per_district(client, city):
    data = client.get("/planung.json").json()
    assert [a["slug"] for a in data["areas"]] == [
        "mitte",
        "wattenscheid",
        "nord",
        "ost",
        "sued",
        "suedwest",
    ]
    mitte = data["areas"][0]["kinds"]
    for kind in ("kita", "ogs"):
        m = mitte[kind]
        assert m["target_population"]["estimated"] is True
        assert {
            "offers",
            "je_1000",
            "erreichbar_500",
            "erreichbar_1000",
            "zugang",
            "gap_rank",
            "places_known_for",
        } <= set(m)
    assert mitte["kita"]["offers"] == 2
    assert data["city"]["kinds"]["kita"]["target_population"]["value"] == 18808
    assert data["settings"]["detour_factor"] == 1.3


def test_the_map_is_a_standalone_svg_with_one_area_per_district_and_a_legend(client, city):
    answer = client.get(
        "/planung/karte.svg", params={"mass": "erreichbar_1000", "klassen": "quantile"}
    )
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/svg+xml"
    root = ElementTree.fromstring(answer.content)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert len(root.findall("svg:path", ns)) == 6
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Klassen: Quantile" in texts and "Wattenscheid" in texts and "%" in texts


def test_sorting_by_a_column_orders_the_rows(client, city):
    rows = html_rows(client.get("/planung", params={"sortierung": "kita", "richtung": "ab"}).text)[
        :-1
    ]
    values = [float(r[1]) for r in rows]
    assert values == sorted(values, reverse=True)


def test_the_district_profile_shows_ages_measures_published_figures_and_neighbours(client, city):
    page = client.get("/planung/bezirke/mitte")
    assert page.status_code == 200
    text = unescape(re.sub(r"<[^>]+>", " ", page.text))
    assert "Planungsprofil Mitte" in text
    assert "Kinder unter 3 Jahren" in text and "Schätzung: Einwohner des Bezirks (2018)" in text
    assert "amtliche Zahl 2018" in text  # all residents
    assert "Ü3-Plätze fehlend" in text and "Kruppwerke" in text
    assert "Nächste Angebote knapp außerhalb" in text
    assert client.get("/planung/bezirke/atlantis").status_code == 404


def test_the_report_has_table_map_method_and_sources(client, city):
    page = client.get("/planung/bericht", params={"art": "ogs"})
    assert page.status_code == 200
    text = unescape(page.text)
    assert 'id="planungstabelle"' in page.text and "<svg" in page.text
    assert "So wird gerechnet" in text and "Quellen" in text
    # places are known for no OGS: the ranking counts buildings and says so
    assert (
        "Rangfolge nach Zahl der Einrichtungen, nicht nach Plätzen: Offene Ganztagsschulen (OGS)"
        in text
    )
    assert "Rangfolge der Lücken:" not in text
    assert "css/planning.css" in page.text

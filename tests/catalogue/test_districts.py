"""Districts: /bezirke with counts and residents, its JSON/CSV/GeoJSON twins, one
district's page, and the German 404 for an unknown district."""

import csv
import io

import pytest

from app.catalogue.districts import district_overview
from tests.factories import add_districts, make_offer

SIX = {
    "mitte": "Mitte",
    "wattenscheid": "Wattenscheid",
    "nord": "Nord",
    "ost": "Ost",
    "sued": "Süd",
    "suedwest": "Südwest",
}


@pytest.fixture
def catalogue(session, data_dir):
    add_districts(session, data_dir)
    make_offer(
        session,
        name="Kita Hollandstraße",
        category="kita",
        district="wattenscheid",
        extra_categories=["familienzentrum"],
        lat=51.4862,
        lon=7.1184,
    )
    make_offer(
        session,
        name="Kita St. Nikolaus",
        category="kita",
        district="wattenscheid",
        lat=51.4735,
        lon=7.1295,
    )
    make_offer(
        session, name="Seniorenbüro Wattenscheid", category="seniorenbuero", district="wattenscheid"
    )  # no point known
    make_offer(
        session, name="Kita Regenbogen", category="kita", district="mitte", lat=51.4818, lon=7.2162
    )
    make_offer(
        session,
        name="Jugendhaus Gerthe",
        category="jugendfreizeithaus",
        district="nord",
        lat=51.52,
        lon=7.27,
    )
    make_offer(
        session, name="Begrüßungsteam", category="begruessungsteam", service_area="ganz Bochum"
    )  # city-wide: no district


def test_overview_counts_offers_per_district_and_category(session, catalogue):
    overview = district_overview(session)
    watt = overview.get("wattenscheid")
    assert [d.slug for d in overview.top_level] == list(SIX)
    assert watt.counts["kita"] == 2 and watt.counts["familienzentrum"] == 1
    assert watt.counts["seniorenbuero"] == 1 and watt.total == 3  # distinct offers
    assert overview.get("sued").total == 0
    assert overview.without_district == 1
    assert watt.population == 72738 and watt.population_date.isoformat() == "2018-12-31"
    assert watt.per_1000 == pytest.approx(3 / 72738 * 1000, abs=0.01)


def test_district_list_shows_six_districts_with_counts_and_residents(client, catalogue):
    page = client.get("/bezirke")
    assert page.status_code == 200
    for slug, name in SIX.items():
        assert f'href="/bezirke/{slug}">{name}</a>' in page.text
    assert "Angebote je Stadtbezirk und Art" in page.text
    assert "72.738" in page.text  # residents, German number format
    assert "31.12.2018" in page.text and "Bochum im Überblick 2018" in page.text
    assert "1 Angebot gehört zu keinem Stadtbezirk" in page.text
    assert "keine Grenzen" in page.text  # no Ortsteil polygons in the data, said so
    assert page.text.count('class="map-district-link"') == 6  # the map links each district


def test_district_json_and_csv_twins_come_from_the_same_overview(client, catalogue):
    data = client.get("/bezirke.json").json()
    assert [d["slug"] for d in data["districts"]] == list(SIX)
    watt = next(d for d in data["districts"] if d["slug"] == "wattenscheid")
    assert watt["offers"] == 3 and watt["offers_by_category"]["kita"] == 2
    assert watt["population"] == 72738 and watt["population_date"] == "2018-12-31"
    rows = list(
        csv.DictReader(io.StringIO(client.get("/bezirke.csv").text.lstrip("\ufeff")), delimiter=";")
    )
    assert [r["slug"] for r in rows] == list(SIX)
    assert rows[1]["kita"] == "2" and rows[1]["offers"] == "3"


def test_district_geojson_has_six_polygons_with_counts(client, catalogue):
    geo = client.get("/bezirke.geojson")
    assert geo.headers["content-type"].startswith("application/geo+json")
    features = geo.json()["features"]
    assert len(features) == 6
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}
    watt = next(f for f in features if f["id"] == "wattenscheid")
    assert watt["properties"]["offers"] == 3
    assert watt["properties"]["offers_by_category"]["familienzentrum"] == 1
    assert watt["properties"]["url"] == "/bezirke/wattenscheid"
    lon, lat = watt["geometry"]["coordinates"][0][0][:2]
    assert 7.0 < lon < 7.4 and 51.3 < lat < 51.6  # EPSG:4326


def test_district_page_shows_its_offers_by_category_and_a_map(client, catalogue):
    page = client.get("/bezirke/wattenscheid")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Stadtbezirk Wattenscheid</h1>" in text
    assert "Kitas (2)" in text and "Seniorenbüros (1)" in text
    assert "Kita Hollandstraße" in text and "Kita Regenbogen" not in text
    assert "Noch nicht auf der Karte" in text  # the Seniorenbüro has no point
    assert "<svg" in text and text.count('class="map-marker-link"') == 2
    assert "map-district map-district-current" in text
    assert "72.738" in text


def test_bezirk_filter_of_the_search_matches_the_district_page(client, catalogue):
    data = client.get("/angebote.json", params={"bezirk": "wattenscheid"}).json()
    assert data["total"] == 3


def test_unknown_district_gets_a_german_404(client, catalogue):
    page = client.get("/bezirke/atlantis")
    assert page.status_code == 404
    assert "Einen Stadtbezirk „atlantis“ gibt es nicht" in page.text
    assert 'href="/bezirke/wattenscheid"' in page.text
    assert client.get("/bezirke/Nicht gültig!").status_code == 404

"""Near-me search: postcode, district, street and lat/lon, the gazetteer's suggestions,
the external geocoder and its fallback, and the spatial index against shapely."""

import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from shapely.geometry import Point

from app.deps import get_geocoder
from app.geo.crs import utm_to_wgs
from app.geo.geocoder import Geocoder
from app.search.filters import Filters
from app.search.query import search_offers
from app.text import place_key, split_house_number
from tests.factories import add_districts, make_offer

# Real places of the city's POI files (EPSG:25832): name -> (street, postcode, x, y,
# district, category). Two of them share Stresemannstraße.
PLACES = {
    "Martin-Luther-Kinderhaus": ("Lutherstr. 3", "44866", 371162, 5705110, "wattenscheid", "kita"),
    "Kita St. Pius": ("Stresemannstr. 11", "44866", 370687, 5705438, "wattenscheid", "kita"),
    "Spielplatz Stresemannstraße": (
        "Stresemannstr.",
        "44866",
        370733,
        5705477,
        "wattenscheid",
        "spielplatz",
    ),
    "Abenteuerspielplatz Hüller Straße": (
        "Hüller Str.",
        "44866",
        370470,
        5705662,
        "wattenscheid",
        "spielplatz",
    ),
    "Kita Hollandstraße": ("Hollandstr. 24", "44866", 369741, 5705850, "wattenscheid", "kita"),
    "Kita St. Nikolaus": ("Isenbrockstr. 9", "44867", 370553, 5703618, "wattenscheid", "kita"),
    "Familienzentrum Castroper Straße": (
        "Castroper Str. 51",
        "44791",
        376860,
        5705251,
        "mitte",
        "familienzentrum",
    ),
}


@pytest.fixture
def wattenscheid(session, data_dir):
    add_districts(session, data_dir)
    offers = {}
    for name, (street, plz, x, y, district, category) in PLACES.items():
        lon, lat = utm_to_wgs(x, y)
        offers[name] = make_offer(
            session,
            name=name,
            category=category,
            district=district,
            street=street,
            postcode=plz,
            lat=lat,
            lon=lon,
        )
    offers["Seniorenbüro Wattenscheid"] = make_offer(
        session,
        name="Seniorenbüro Wattenscheid",
        category="seniorenbuero",
        district="wattenscheid",
        street="Propst-Hellmich-Promenade 29",
    )  # no point known
    return offers


def names(data):
    return [item["name"] for item in data["items"]]


def distances(data):
    return [item["distance_m"] for item in data["items"]]


def test_street_names_are_normalised_for_lookup():
    assert place_key("Hüller Straße") == place_key("Hüller Str.") == place_key("hüllerstr")
    assert place_key("HÜLLER STRASSE") == place_key("Huellerstrasse") == "huellerstr"
    assert split_house_number("Hüller Str. 12 a") == ("Hüller Str.", "12a")
    assert split_house_number("In der Schornau 23 - 25") == ("In der Schornau", "23-25")
    assert split_house_number("Hüller Str.") == ("Hüller Str.", None)


def test_search_near_postcode_keeps_its_area_and_sorts_by_distance(client, wattenscheid):
    data = client.get("/angebote.json", params={"nahe": "44866"}).json()
    assert data["near"]["kind"] == "postcode" and data["near"]["radius_m"] is None
    assert sorted(names(data)) == sorted(
        n for n, p in PLACES.items() if p[1] == "44866"
    )  # not 44867, though close
    assert all(d is not None for d in distances(data))
    assert distances(data) == sorted(distances(data))


def test_search_near_postcode_with_a_chosen_radius_crosses_the_area_border(client, wattenscheid):
    data = client.get("/angebote.json", params={"nahe": "44866", "umkreis": "5000"}).json()
    assert data["near"]["radius_m"] == 5000
    assert "Kita St. Nikolaus" in names(data)  # 44867
    assert "Familienzentrum Castroper Straße" not in names(data)  # 6 km away
    assert distances(data) == sorted(distances(data))


def test_search_near_district_name_keeps_the_district_sorted_by_distance(client, wattenscheid):
    data = client.get("/angebote.json", params={"nahe": "Bochum-Wattenscheid"}).json()
    assert data["near"]["kind"] == "district" and data["near"]["district"] == "wattenscheid"
    assert "Familienzentrum Castroper Straße" not in names(data)
    assert len(data["items"]) == 7
    # the offer without a known point is in the district, listed last without distance
    assert names(data)[-1] == "Seniorenbüro Wattenscheid" and distances(data)[-1] is None
    assert distances(data)[:-1] == sorted(distances(data)[:-1])


def test_search_near_street_starts_from_the_middle_of_its_known_addresses(client, wattenscheid):
    data = client.get(
        "/angebote.json", params={"nahe": "Stresemannstraße", "kategorie": "kita"}
    ).json()
    near = data["near"]
    assert near["kind"] == "street" and near["label"] == "Stresemannstr."
    mean_lon, mean_lat = utm_to_wgs((370687 + 370733) / 2, (5705438 + 5705477) / 2)
    assert near["lon"] == pytest.approx(mean_lon, abs=1e-5)
    assert near["lat"] == pytest.approx(mean_lat, abs=1e-5)
    assert near["radius_m"] == 2000
    assert names(data)[0] == "Kita St. Pius"
    assert distances(data) == sorted(distances(data))


@pytest.mark.parametrize(
    "typed",
    ["Hüller Str.", "Hüller Straße", "hüllerstr", "Huellerstrasse", "Hüller Str., 44866 Bochum"],
)
def test_street_spellings_find_the_same_street(client, wattenscheid, typed):
    data = client.get("/angebote.json", params={"nahe": typed}).json()
    assert data["near"]["label"] == "Hüller Str."
    assert names(data)[0] == "Abenteuerspielplatz Hüller Straße"
    assert distances(data)[0] == 0


def test_a_known_address_starts_at_that_address(client, wattenscheid):
    data = client.get("/angebote.json", params={"nahe": "Castroper Str. 51"}).json()
    assert data["near"]["kind"] == "address"
    assert names(data) == ["Familienzentrum Castroper Straße"] and distances(data) == [0]


def test_search_near_lat_lon_sorts_by_distance(client, wattenscheid):
    lon, lat = utm_to_wgs(370700, 5705450)
    data = client.get("/angebote.json", params={"lat": lat, "lon": lon, "umkreis": 1000}).json()
    assert data["near"]["kind"] == "point"
    assert names(data)[:2] == ["Kita St. Pius", "Spielplatz Stresemannstraße"]
    assert distances(data) == sorted(distances(data))
    assert max(distances(data)) <= 1000


def test_results_page_shows_distance_walking_estimate_and_sentence(client, wattenscheid):
    page = client.get("/angebote", params={"nahe": "Hüller Str.", "kategorie": "kita"}).text
    assert "3 Kitas im Umkreis von 2,0 km um Hüller Str." in page
    assert "Minuten zu Fuß (Schätzung, Luftlinie)" in page
    assert 'id="nahe"' in page and 'value="Hüller Str."' in page
    assert "Meinen Standort verwenden" in page and "js/near.js" in page


def test_postcode_search_page_says_it_kept_the_postcode_area(client, wattenscheid):
    page = client.get("/angebote", params={"nahe": "44866", "kategorie": "kita"}).text
    assert "3 Kitas im Postleitzahlgebiet 44866" in page
    assert 'class="map-area"' in page  # the postcode polygon is drawn on the map


def test_unknown_place_gets_a_message_with_suggestions(client, wattenscheid):
    page = client.get("/angebote", params={"nahe": "Hüler Strase"})
    assert page.status_code == 200
    assert "Den Ort „Hüler Strase“ haben wir nicht gefunden" in page.text
    assert "Meinten Sie" in page.text
    assert 'href="/angebote?nahe=H%C3%BCller+Str."' in page.text
    assert 'aria-invalid="true"' in page.text


def test_unknown_place_gives_422_naming_nahe_in_json(client, wattenscheid):
    for url in ("/angebote.json", "/angebote.csv", "/angebote.geojson", "/api/v1/offers"):
        response = client.get(url, params={"nahe": "Hüler Strase"})
        assert response.status_code == 422
        detail = response.json()["detail"][0]
        assert detail["loc"] == ["query", "nahe"]
        assert "Hüller Str." in detail["ctx"]["suggestions"]


def test_postcode_outside_bochum_names_the_nearest_bochum_postcodes_by_distance(
    client, wattenscheid
):
    detail = client.get("/angebote.json", params={"nahe": "44137"}).json()["detail"][0]
    assert "Die Postleitzahl 44137 liegt nicht in Bochum" in detail["msg"]
    places = detail["ctx"]["places"]
    # 44137 is Dortmund-Mitte, east of Bochum: the nearest are Bochum's eastern postcodes,
    # not the ones spelt most alike (44787, 44789, ...)
    assert [p["name"] for p in places] == ["44892", "44894", "44805"]
    assert [p["district"] for p in places] == ["Ost", "Ost", "Nord"]
    assert [p["distance_m"] for p in places] == sorted(p["distance_m"] for p in places)
    assert 5000 < places[0]["distance_m"] < 15000
    page = client.get("/angebote", params={"nahe": "44137"}).text
    assert "liegt nicht in Bochum" in page
    assert 'href="/angebote?nahe=44892"' in page and "Stadtbezirk Ost" in page


def test_an_unknown_postcode_is_not_in_bochum_without_suggestions(client, wattenscheid):
    detail = client.get("/angebote.json", params={"nahe": "00000"}).json()["detail"][0]
    assert "Die Postleitzahl 00000 liegt nicht in Bochum" in detail["msg"]
    assert "ctx" not in detail


@pytest.mark.parametrize("typed", ["Höntrop", "Bochum-Höntrop", "hoentrop"])
def test_stadtteil_name_searches_around_its_published_centre_point(client, wattenscheid, typed):
    data = client.get("/angebote.json", params={"nahe": typed}).json()
    near = data["near"]
    assert near["kind"] == "stadtteil" and near["label"] == "Höntrop"
    assert near["radius_m"] == 1500 and "Wikipedia" in near["source"]
    assert near["lat"] == pytest.approx(51.463889, abs=1e-4)
    assert near["lon"] == pytest.approx(7.151944, abs=1e-4)
    assert distances(data) == sorted(distances(data)) and max(distances(data)) <= 1500
    assert "Kita St. Nikolaus" in names(data)  # 44867, 1.1 km from Höntrop's centre


def test_stadtteil_page_says_it_searched_around_a_point_not_a_boundary(client, wattenscheid):
    page = client.get("/angebote", params={"nahe": "Höntrop"}).text
    assert "im Umkreis von 1,5 km um den Ortsmittelpunkt von Höntrop" in page
    assert "ein Punkt, keine Grenze" in page
    assert 'class="map-radius"' in page  # the circle, not an area, on the map


def test_a_chosen_radius_replaces_the_stadtteil_default(client, wattenscheid):
    data = client.get("/angebote.json", params={"nahe": "Höntrop", "umkreis": "3000"}).json()
    assert data["near"]["radius_m"] == 3000


def test_bochum_alone_means_the_whole_city_without_a_distance(client, wattenscheid):
    data = client.get("/angebote.json", params={"nahe": "Bochum"}).json()
    assert data["near"]["kind"] == "city" and data["near"]["radius_m"] is None
    assert data["total"] == len(wattenscheid)
    assert all(d is None for d in distances(data))
    page = client.get("/angebote", params={"nahe": "Bochum"}).text
    assert "in ganz Bochum" in page and "ohne Entfernung" in page


def test_a_name_without_a_point_searches_its_stadtbezirk_and_says_so(client, wattenscheid):
    data = client.get("/angebote.json", params={"nahe": "Leithe"}).json()
    near = data["near"]
    assert near["kind"] == "district" and near["district"] == "wattenscheid"
    assert "Für „Leithe“ ist kein Ortsmittelpunkt veröffentlicht" in near["notice"]
    page = client.get("/angebote", params={"nahe": "Ehrenfeld"}).text
    assert "Ehrenfeld gehört zum Stadtbezirk Mitte (teilweise Süd)" in page
    assert 'href="/angebote?nahe=Wiemelhausen"' in page
    assert "Stattdessen um den Ortsmittelpunkt von Wiemelhausen suchen" in page


def test_a_name_no_source_places_in_one_district_is_not_guessed(client, wattenscheid):
    detail = client.get("/angebote.json", params={"nahe": "Engelsburg"}).json()["detail"][0]
    assert "lässt sich keinem Stadtbezirk eindeutig zuordnen" in detail["msg"]


def test_misspelt_street_suggestions_are_ranked_by_likeness_with_their_district(
    client, wattenscheid
):
    detail = client.get("/angebote.json", params={"nahe": "Stresemanstr"}).json()["detail"][0]
    places = detail["ctx"]["places"]
    assert places[0] == {"name": "Stresemannstr.", "district": "Wattenscheid", "distance_m": None}
    page = client.get("/angebote", params={"nahe": "Hüler Strase"}).text
    assert "Hüller Str. (Wattenscheid)" in page  # in the message
    assert "Stadtbezirk Wattenscheid" in page  # beside the link


def test_postcode_search_keeps_offers_whose_address_carries_the_postcode(
    client, session, wattenscheid
):
    """An address in 44866 whose point lies just across the border in 44867."""
    lon, lat = utm_to_wgs(370553, 5703618)  # in the postcode area 44867
    make_offer(
        session,
        name="Villa am Rand (generiert)",
        category="kita",
        street="Randstraße 4 a",
        postcode="44866",
        lat=lat,
        lon=lon,
    )
    found = names(client.get("/angebote.json", params={"nahe": "44866"}).json())
    assert "Villa am Rand (generiert)" in found
    assert "Kita St. Nikolaus" not in found  # the same point, an address in 44867


# --- the external geocoder, against a small local server --------------------------------


class _FakeNominatim(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        server = self.server
        server.queries.append(parse_qs(urlsplit(self.path).query))
        if server.slow:
            server.release.wait(10)
        body = json.dumps(server.answer).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up waiting

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nominatim():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeNominatim)
    server.daemon_threads = True
    server.queries, server.answer, server.slow = [], [], False
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}/search"
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def with_geocoder(client, nominatim):
    client.app.dependency_overrides[get_geocoder] = lambda: Geocoder(nominatim.url, 0.3)
    return nominatim


def test_geocoder_timeout_falls_back_to_the_gazetteer_with_a_notice(
    client, wattenscheid, with_geocoder
):
    with_geocoder.slow = True
    page = client.get("/angebote", params={"nahe": "Hüller Str."})
    assert page.status_code == 200
    assert "Der Adressdienst hat nicht rechtzeitig geantwortet" in page.text
    assert "Abenteuerspielplatz Hüller Straße" in page.text
    data = client.get("/angebote.json", params={"nahe": "Hüller Str."}).json()
    assert data["near"]["kind"] == "street"
    assert "nicht rechtzeitig" in data["near"]["notice"]
    assert len(with_geocoder.queries) == 2


def test_geocoder_answer_is_used_for_addresses_the_gazetteer_lacks(
    client, wattenscheid, with_geocoder
):
    lon, lat = utm_to_wgs(376870, 5705260)  # next to Castroper Str. 51
    with_geocoder.answer = [
        {"lat": str(lat), "lon": str(lon), "display_name": "Am Bergbaumuseum 28, Bochum"}
    ]
    data = client.get("/angebote.json", params={"nahe": "Am Bergbaumuseum 28"}).json()
    assert data["near"]["kind"] == "geocoder"
    assert data["near"]["found_as"] == "Am Bergbaumuseum 28, Bochum"
    assert names(data) == ["Familienzentrum Castroper Straße"]
    assert 10 < distances(data)[0] < 20
    assert with_geocoder.queries[0]["q"] == ["Am Bergbaumuseum 28, Bochum"]
    assert with_geocoder.queries[0]["format"] == ["jsonv2"]


def test_geocoder_is_not_asked_for_postcodes_and_far_answers_are_ignored(
    client, wattenscheid, with_geocoder
):
    assert client.get("/angebote.json", params={"nahe": "44866"}).status_code == 200
    assert with_geocoder.queries == []
    with_geocoder.answer = [{"lat": "52.52", "lon": "13.40", "display_name": "Berlin"}]
    response = client.get("/angebote.json", params={"nahe": "Unter den Linden 1"})
    assert response.status_code == 422  # Berlin is not near Bochum; gazetteer: unknown


def test_geocoder_is_off_by_default():
    assert get_geocoder() is None


# --- the spatial index against plain geometry --------------------------------------------


def test_near_query_returns_the_ids_shapely_distances_give(session):
    """R*Tree (SQLite) and GiST (PostGIS) both: same ids, same order as shapely says."""
    rng = random.Random(20261124)
    origin = (377_000.0, 5_705_000.0)
    points = {}
    for i in range(40):
        lon, lat = utm_to_wgs(
            origin[0] + rng.uniform(-3500, 3500), origin[1] + rng.uniform(-3500, 3500)
        )
        offer = make_offer(
            session, name=f"Punkt {i:02d} (generiert)", category="spielplatz", lat=lat, lon=lon
        )
        points[offer.id] = Point(offer.location.x, offer.location.y)
    centre = Point(origin)
    for radius in (500, 1500, 3000):
        expected = sorted(
            (i for i, p in points.items() if p.distance(centre) <= radius),
            key=lambda i: points[i].distance(centre),
        )
        result = search_offers(session, Filters(umkreis=radius), page_size=None, origin=origin)
        assert result.ids == expected
        for hit in result.hits:
            assert hit.distance_m == pytest.approx(points[hit.offer.id].distance(centre), abs=0.01)
    assert 0 < len(expected) < 40

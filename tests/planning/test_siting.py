"""What-if sites by address (only from the data we hold) and by a click on the map:
the point found, how it was found, and worded errors naming the field."""

import pytest

from app.geo.crs import to_metric, utm_to_wgs
from app.maps.scenario_map import MAP_WIDTHS, city_frame, click_point, metres_per_pixel
from app.maps.svg import Frame
from app.planning.scenario import Site, parse_site
from app.planning.siting import SiteNotFound, locate_address
from tests.factories import make_offer

HUELLER = (7.1950, 51.5100)  # lon, lat of a generated Kita at "Hüller Str. 12"


@pytest.fixture
def street(planned):
    make_offer(
        planned,
        category="kita",
        street="Hüller Str. 12",
        postcode="44649",
        lon=HUELLER[0],
        lat=HUELLER[1],
    )
    make_offer(
        planned, category="ogs", street="Hüller Str. 40", postcode="44649", lon=7.1970, lat=51.5120
    )
    return planned


def test_an_address_of_the_directory_is_that_offers_point(street):
    found = locate_address(street, "Hüller Straße 12")
    assert (found.how, found.label) == ("adresse", "Hüller Str. 12")
    assert (found.lat, found.lon) == pytest.approx((HUELLER[1], HUELLER[0]), abs=1e-5)


def test_a_street_without_a_known_number_is_the_middle_of_its_known_points(street):
    found = locate_address(street, "Hüller Str. 99")
    assert (found.how, found.label) == ("strasse", "Hüller Str.")
    # the mean of the two known points (in metres), by hand
    a, b = to_metric_points([(7.1950, 51.5100), (7.1970, 51.5120)])
    lon, lat = utm_to_wgs((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    assert (found.lat, found.lon) == pytest.approx((lat, lon), abs=1e-5)


def to_metric_points(points):  # noqa: ANN001, ANN201
    from shapely import Point

    return [(p.x, p.y) for p in (to_metric(Point(lon, lat)) for lon, lat in points)]


def test_a_postcode_and_a_stadtteil_are_their_centres_and_a_district_is_too_large(street):
    assert locate_address(street, "44866").how == "plz"
    assert locate_address(street, "Weitmar").how == "stadtteil"
    with pytest.raises(SiteNotFound, match="zu groß"):
        locate_address(street, "Wattenscheid")
    with pytest.raises(SiteNotFound, match="nicht gefunden"):
        locate_address(street, "Nirgendwoweg 5")


def test_the_page_names_the_address_field_in_german_and_english(street, client):
    params = {"neu_art": "kita", "neu_adresse": "Nirgendwoweg 5"}
    page = client.get("/planung/szenario", params=params)
    assert page.status_code == 200
    assert "Adresse: Den Ort „Nirgendwoweg 5“ haben wir nicht gefunden." in page.text
    assert 'href="#neu_adresse"' in page.text and 'aria-invalid="true"' in page.text
    assert 'value="Nirgendwoweg 5"' in page.text  # the typed input is kept
    english = client.get("/planung/szenario", params={**params, "lang": "en"})
    assert "Address: We could not find" in english.text


def test_a_found_address_becomes_a_site_that_says_how_it_was_found(street, client):
    page = client.get(
        "/planung/szenario",
        params={"neu_art": "kita", "neu_adresse": "Hüller Str. 99", "neu_plaetze": "40"},
    )
    assert page.status_code == 200 and "szenario-kita" in page.text
    assert "Hüller Str." in page.text and "Mitte der bekannten Adressen" in page.text
    assert "ort=kita%3B51.51" in page.text and "%3Bstrasse%3BH" in page.text
    assert parse_site("kita;51.51100;7.19600;40;strasse;Hüller Str.") == Site(
        "kita", 51.511, 7.196, 40, "strasse", "Hüller Str."
    )


def test_a_click_converts_by_the_maps_projection_as_computed_by_hand():
    # bounds 370,000–390,000 m east, 5,700,000–5,715,000 m north, 400 m padding:
    # 20,800 m across 1,000 SVG units, so 20.8 m per unit; on the 288 px image one
    # pixel is 1,000/288 units = 72.22 m. The pixel (143, 99): its middle is at
    # 143.5 px → 498.26 units → 369,600 + 498.26 · 20.8 = 379,963.9 m east, and
    # 99.5 px → 345.49 units → 5,715,400 − 345.49 · 20.8 = 5,708,213.9 m north.
    frame = Frame.around((370_000, 5_700_000, 390_000, 5_715_000))
    assert (frame.minx, frame.maxy, frame.scale) == (369_600, 5_715_400, 1000 / 20_800)
    x, y = click_point(frame, "karte", 143, 99)
    assert x == pytest.approx(369_600 + 143.5 * 1000 / 288 * 20.8)
    assert y == pytest.approx(5_715_400 - 99.5 * 1000 / 288 * 20.8)
    assert (round(x, 1), round(y, 1)) == (379_963.9, 5_708_213.9)
    assert metres_per_pixel(frame, "karte") == pytest.approx(72.222, abs=1e-3)
    # the large image: half the metres per pixel
    assert metres_per_pixel(frame, "karte_gross") == pytest.approx(32.5)
    # and back: the point drawn at an SVG position is found at that position
    u, v = frame.point(x, y)
    assert (u, v) == pytest.approx((143.5 * 1000 / 288, 99.5 * 1000 / 288), abs=0.1)


def test_a_click_on_the_page_sets_a_site_there(planned, client):
    frame, _shapes = city_frame(planned)
    target = to_metric_points([(7.1290, 51.4830)])[0]  # Wattenscheid
    u, v = frame.point(*target)
    px, py = int(u * MAP_WIDTHS["karte_gross"] / 1000), int(v * MAP_WIDTHS["karte_gross"] / 1000)
    page = client.get(
        "/planung/szenario",
        params={"neu_art": "kita", "karte_gross.x": px, "karte_gross.y": py},
    )
    assert page.status_code == 200 and "szenario-kita" in page.text
    site = parse_site(page.text.split('name="ort" value="')[1].split('"')[0].replace("&amp;", "&"))
    assert site.how == "karte"
    x, y = to_metric_points([(site.lon, site.lat)])[0]
    half = metres_per_pixel(frame, "karte_gross")
    assert abs(x - target[0]) <= half and abs(y - target[1]) <= half
    assert (
        "Punkt auf der Karte, auf etwa 16 m genau" in page.text
        or "Punkt auf der Karte" in page.text
    )
    # the keyboard sends (0, 0): worded, naming the map, the fields to use instead
    keyboard = client.get("/planung/szenario", params={"karte.x": 0, "karte.y": 0})
    assert "Karte: Mit der Tastatur" in keyboard.text and 'href="#karte"' in keyboard.text
    # the map image itself
    svg = client.get("/planung/szenario/karte.svg", params={"art": "kita", "breite": 288})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert 'width="288"' in svg.text
    # a width the page never draws, or a site that cannot be read, is refused, not
    # silently drawn as something else (make fuzz found both answered with a map)
    for params in ({"breite": "34.0"}, {"breite": 300}, {"ort": "6.5e+158"}):
        refused = client.get("/planung/szenario/karte.svg", params=params)
        assert refused.status_code in (404, 422), params
    bad_site = client.get("/planung/szenario/karte.svg", params={"ort": "kita;99;7.2;"})
    assert bad_site.status_code == 422 and bad_site.json()["detail"][0]["loc"] == ["query", "ort"]

"""The server-rendered SVG map: /karte with the search filters, markers as named links,
the list beside it, and no inline styles or scripts (strict CSP)."""

import re
from html import unescape

import pytest

from app.config import Settings
from app.deps import map_tiles
from app.main import content_security_policy
from app.maps.svg import Frame
from tests.factories import add_districts, make_offer

MARKER = re.compile(r'<a href="/angebote/(\d+)" class="map-marker-link" aria-label="([^"]*)">')


@pytest.fixture
def catalogue(session, data_dir):
    add_districts(session, data_dir)
    return {
        "watt1": make_offer(
            session,
            name="Kita Hollandstraße",
            category="kita",
            district="wattenscheid",
            lat=51.4862,
            lon=7.1184,
        ),
        "watt2": make_offer(
            session,
            name='Kita "Kleine Füße" & Co',
            category="kita",
            district="wattenscheid",
            lat=51.4735,
            lon=7.1295,
        ),
        "watt3": make_offer(
            session,
            name="Spielplatz Stadtgarten",
            category="spielplatz",
            district="wattenscheid",
            lat=51.4810,
            lon=7.1390,
        ),
        "watt4": make_offer(
            session,
            name="Kita ohne Lage",
            category="kita",
            district="wattenscheid",
            street="Frankenweg 47",
        ),
        "mitte": make_offer(
            session,
            name="Kita Regenbogen",
            category="kita",
            district="mitte",
            lat=51.4818,
            lon=7.2162,
        ),
    }


def markers(html: str) -> list[tuple[int, str]]:
    return [(int(i), unescape(name)) for i, name in MARKER.findall(html)]


def test_map_renders_one_marker_link_per_filtered_result(client, catalogue):
    page = client.get("/karte", params={"kategorie": "kita", "bezirk": "wattenscheid"})
    assert page.status_code == 200
    assert "<svg" in page.text
    found = markers(page.text)
    assert sorted(found) == sorted(
        [
            (catalogue["watt1"].id, "Kita Hollandstraße"),
            (catalogue["watt2"].id, 'Kita "Kleine Füße" & Co'),
        ]
    )
    assert page.text.count('<path class="map-district') == 6
    assert "1 Angebot ohne bekannte Lage steht nur in der Liste" in page.text


def test_map_lists_the_same_offers_beside_it(client, catalogue):
    page = client.get("/karte", params={"kategorie": "kita", "bezirk": "wattenscheid"}).text
    listed = page[page.index('id="karte-liste"') :]
    for key in ("watt1", "watt2", "watt4"):
        assert f'href="/angebote/{catalogue[key].id}"' in listed
    assert "Kita Regenbogen" not in page
    assert "3 Kitas in Wattenscheid" in page


def test_map_without_filters_shows_every_offer_with_a_point(client, catalogue):
    assert len(markers(client.get("/karte").text)) == 4


def test_map_markers_are_focusable_links_with_accessible_names(client, catalogue):
    page = client.get("/karte").text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="group"' in svg and 'aria-labelledby="karte-caption"' in svg
    for offer_id, name in markers(svg):
        assert name  # every marker link is named
        assert f'href="/angebote/{offer_id}"' in svg
    assert "<title>Kita Regenbogen (Kita)</title>" in svg


def test_map_pages_use_no_inline_styles_or_scripts(client, catalogue):
    for path in (
        "/karte",
        "/karte?nahe=Wattenscheid",
        "/bezirke",
        "/bezirke/wattenscheid",
        "/angebote?kategorie=kita",
    ):
        html = client.get(path).text
        assert "style=" not in html, path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=", html), path
        assert "leaflet" not in html.lower(), path  # no tiles configured: nothing external


def test_map_follows_a_near_search(client, catalogue):
    page = client.get("/karte", params={"nahe": "Wattenscheid"}).text
    assert 'class="map-origin"' in page
    assert "map-district map-district-current" in page
    assert "im Stadtbezirk Wattenscheid (nach Entfernung von seiner Mitte)" in page


def test_map_with_an_unknown_place_shows_the_message_and_the_boundaries(client, catalogue):
    page = client.get("/karte", params={"nahe": "Atlantis"})
    assert page.status_code == 200
    assert "Den Ort „Atlantis“ haben wir nicht gefunden" in page.text
    assert page.text.count('<path class="map-district') == 6 and not markers(page.text)


def test_search_results_carry_a_map_of_their_page(client, catalogue):
    page = client.get("/angebote", params={"kategorie": "kita"}).text
    assert '<details class="results-map"' in page
    assert len(markers(page)) == 3
    assert 'href="/karte?kategorie=kita"' in page


def test_leaflet_is_offered_only_when_tiles_are_configured(client, catalogue):
    client.app.dependency_overrides[map_tiles] = lambda: {
        "url": "https://tiles.example.org/{z}/{x}/{y}.png",
        "attribution": "© Beispiel",
        "js": "/static/vendor/leaflet/leaflet.js",
        "css": "/static/vendor/leaflet/leaflet.css",
        "local": True,
        "js_sri": "",
        "css_sri": "",
        "version": "1.9.4",
    }
    page = client.get("/karte", params={"bezirk": "wattenscheid"}).text
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in page
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in page
    assert 'data-offers="/angebote.geojson?bezirk=wattenscheid"' in page
    assert "<svg" in page  # the SVG map stays until Leaflet has drawn


def test_csp_admits_the_tile_host_only_when_configured():
    assert "img-src 'self' data:;" in content_security_policy(Settings(map_tiles_url=""))
    csp = content_security_policy(
        Settings(map_tiles_url="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    )
    assert "img-src 'self' data: https://*.tile.openstreetmap.org;" in csp
    assert "unsafe-inline" not in csp


def test_frame_puts_north_up_and_keeps_the_aspect_ratio():
    frame = Frame.around((0, 0, 2000, 1000), width=1000, padding_m=0)
    assert frame.viewbox == "0 0 1000 500"
    assert frame.point(0, 1000) == (0, 0) and frame.point(2000, 0) == (1000, 500)


def test_a_map_of_many_matches_counts_them_per_cell_in_the_database(client, session, data_dir):
    """More matches than markers: the map shows counts per grid cell, read from the
    database (every match counted once), and the list below is paged."""
    from app.catalogue.write import create_offers
    from app.catalogue.writers import IMPORT, NewOffer, SourceInfo
    from app.models import OfferCreate
    from app.search.filters import Filters
    from app.search.query import cell_counts, search_offers
    from tests.factories import add_districts

    add_districts(session, data_dir)
    items = [
        NewOffer(
            OfferCreate(
                name=f"Spielplatz {i} (generiert)",
                category="spielplatz",
                lon=7.15 + (i % 17) * 0.008,
                lat=51.45 + (i // 17) * 0.004,
            ),
            SourceInfo("test", f"many{i}"),
        )
        for i in range(260)
    ]
    create_offers(session, items, IMPORT)
    session.commit()

    result = search_offers(session, Filters(kategorie=("spielplatz",)))
    groups = cell_counts(session, result.matches, 1000)
    assert sum(n for _i, _j, n, _x, _y in groups) == 260 == result.total
    assert len(groups) > 1

    page = client.get("/karte", params={"kategorie": "spielplatz"})
    counts = [int(n) for n in re.findall(r'class="map-cell-count"[^>]*>(\d+)<', page.text)]
    assert sum(counts) == 260
    assert page.text.count('class="map-marker-link"') == 0  # no 260 markers
    assert "Seite 1 von 13" in page.text


def test_a_map_around_a_position_draws_the_borders_in_view_as_the_city_map_does(session, data_dir):
    """Around a phone's position the outlines are cut to the view (plus a margin): every
    border vertex inside the picture is drawn at the same place as without the cut, and
    the paths are a fraction of the city's."""
    from app.maps.svg import _in_view, district_shapes

    add_districts(session, data_dir)
    shapes = district_shapes(session)
    x, y, r = 371500.0, 5706000.0, 2000.0  # Wattenscheid's centre, 2 km
    frame = Frame.around((x - r, y - r, x + r, y + r))
    width = frame.width / frame.scale
    whole = cut = 0
    for _slug, _name, geometry in shapes:
        full, shown = frame.path(geometry), frame.path(_in_view(geometry, frame))
        whole, cut = whole + len(full), cut + len(shown)
        in_picture = {
            p
            for p in re.findall(r"-?[\d.]+,-?[\d.]+", full)
            if 0 <= float(p.split(",")[0]) <= frame.width
            and 0 <= float(p.split(",")[1]) <= frame.height
        }
        assert in_picture <= set(re.findall(r"-?[\d.]+,-?[\d.]+", shown))
    assert width < 6000 and 0 < cut < whole / 2, (cut, whole)


def test_the_envelope_of_the_districts_is_the_bounds_of_their_union(session, data_dir):
    """Every city map is framed by the districts' envelope, read from their bounds
    instead of overlaying them: the same numbers to the last digit, for the city and
    for one district with a point outside it (the offer page)."""
    import shapely

    from app.maps.svg import district_shapes, envelope
    from tests.factories import add_districts

    add_districts(session, data_dir)
    shapes = [g for _s, _n, g in district_shapes(session)]
    assert len(shapes) == 6
    assert envelope(shapes) == shapely.union_all(shapes).bounds
    for g in shapes:
        outside = shapely.Point(g.bounds[2] + 250.5, g.bounds[1] - 10.25)
        assert envelope([g, outside]) == shapely.union_all([g, outside]).bounds

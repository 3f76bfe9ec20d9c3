"""Point-in-polygon assignment on the real boundaries (one vectorised sjoin)."""

import csv

import pytest

from app.geo.areas import assign_areas, load_postcode_areas, load_stadtbezirke

DAYCARE = "bochum-opendata/bochum_daycare_centers.csv"

# Real Kitas of the city's POI file whose postcode lies wholly in one Stadtbezirk
# (postcode table of the data README): poi_id -> (postcode, Stadtbezirk slug).
KNOWN = {
    "610891": ("44866", "wattenscheid"),  # Martin-Luther-Kinderhaus, Lutherstr. 3
    "611860": ("44892", "ost"),  # ASB-Kita In der Schornau 23-25
    "606049": ("44805", "nord"),  # Städt. Kita Fischerstr. 15
    "358149": ("44879", "suedwest"),  # Waldkindergarten Matschzwerge, Lewackerstr. 181
    "23005": ("44797", "sued"),  # Städt. Kita Hevener Straße 17
}


@pytest.fixture
def known_points(data_dir):
    with (data_dir / DAYCARE).open(encoding="utf-8", newline="") as fh:
        rows = {r["poi_id"]: r for r in csv.DictReader(fh, delimiter=";") if r["poi_id"] in KNOWN}
    assert set(rows) == set(KNOWN)
    for poi_id, (plz, _slug) in KNOWN.items():
        assert rows[poi_id]["plz_ort"].startswith(plz)  # the file states the postcode
    return [
        (poi_id, (float(rows[poi_id]["rechts_utm"]), float(rows[poi_id]["hoch_utm"])))
        for poi_id in KNOWN
    ]


def test_known_kitas_land_in_the_district_their_postcode_fixes(known_points, data_dir):
    districts = assign_areas([xy for _id, xy in known_points], load_stadtbezirke(data_dir), "slug")
    assert districts == [KNOWN[poi_id][1] for poi_id, _xy in known_points]


def test_known_kitas_land_in_their_postcode_area(known_points, data_dir):
    postcodes = assign_areas([xy for _id, xy in known_points], load_postcode_areas(data_dir), "plz")
    assert postcodes == [KNOWN[poi_id][0] for poi_id, _xy in known_points]


def test_a_point_outside_bochum_is_in_no_district(data_dir):
    dortmund = (393_500.0, 5_709_000.0)  # east of the city border, EPSG:25832
    essen = (362_000.0, 5_703_000.0)  # west of Wattenscheid
    inside = (376_860.0, 5_705_251.0)  # Castroper Str. 51, Mitte
    assert assign_areas([dortmund, inside, essen], load_stadtbezirke(data_dir), "slug") == [
        None,
        "mitte",
        None,
    ]
    assert assign_areas([], load_stadtbezirke(data_dir), "slug") == []


def test_a_new_offer_with_a_point_gets_its_district_and_postcode_area(session, data_dir):
    from tests.factories import add_districts, make_offer

    add_districts(session, data_dir)
    # Hochstraße, Wattenscheid-Mitte (a point inside the postcode area 44866)
    offer = make_offer(session, name="Kita am Markt (generiert)", lat=51.4831, lon=7.1385)
    assert offer.district_slug == "wattenscheid" and offer.district_from == "point"
    assert offer.location.plz_area == "44866"

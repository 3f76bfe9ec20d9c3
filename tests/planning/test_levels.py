"""A finer district level, loaded from GENERATED polygons (no invented Bochum
districts): Bochum-Mitte cut into a west and an east half along a straight line."""

import json

import pytest
import shapely
from shapely.geometry import box, mapping, shape
from sqlmodel import select

from app.geo.crs import to_metric, utm_to_wgs
from app.models import District
from app.planning.coverage import coverage
from app.planning.levels import levels, load_district_level
from app.planning.population import load_population_csv
from tests.factories import make_offer

LEVEL = "generiert-test"


def _halves(session) -> dict:
    """Mitte split at its centroid's longitude: two generated polygons (EPSG:4326)."""
    mitte = shape(json.loads(session.get(District, "mitte").geometry))
    minx, miny, maxx, maxy = mitte.bounds
    cut = mitte.centroid.x
    west = mitte.intersection(box(minx - 1, miny - 1, cut, maxy + 1))
    east = mitte.intersection(box(cut, miny - 1, maxx + 1, maxy + 1))
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Mitte West (generiert)", "nummer": 1},
                "geometry": mapping(shapely.make_valid(west)),
            },
            {
                "type": "Feature",
                "properties": {"name": "Mitte Ost (generiert)", "nummer": 2},
                "geometry": mapping(shapely.make_valid(east)),
            },
        ],
    }


def test_a_loaded_level_gets_parents_and_the_view_works_at_that_level(planned):
    report = load_district_level(planned, _halves(planned), LEVEL)
    planned.commit()
    assert report.errors == [] and report.loaded == 2
    rows = planned.exec(select(District).where(District.level == LEVEL)).all()
    assert {(d.slug, d.parent_slug) for d in rows} == {
        ("mitte-west-generiert", "mitte"),
        ("mitte-ost-generiert", "mitte"),
    }
    assert levels(planned) == ["stadtbezirk", LEVEL]

    west = shape(json.loads(next(d.geometry for d in rows if d.slug.startswith("mitte-west"))))
    inside = to_metric(west).representative_point()
    lon, lat = utm_to_wgs(inside.x, inside.y)
    make_offer(planned, category="kita", lon=lon, lat=lat)

    cov = coverage(planned, LEVEL)
    assert [a.slug for a in cov.areas] == ["mitte-west-generiert", "mitte-ost-generiert"]
    west_kita = cov.get("mitte-west-generiert").kinds["kita"]
    east_kita = cov.get("mitte-ost-generiert").kinds["kita"]
    assert (west_kita.offers, east_kita.offers) == (1, 0)
    # Without figures of its own, each half gets Mitte's estimate spread by area.
    assert west_kita.population.basis == "spread"
    assert west_kita.population.spread_from == "Mitte"
    mitte_total = coverage(planned).get("mitte").kinds["kita"].population.value
    assert west_kita.population.value + east_kita.population.value == pytest.approx(mitte_total)
    assert west_kita.reach_1000 > east_kita.reach_1000


def test_figures_for_the_finer_level_replace_the_spread(planned):
    load_district_level(planned, _halves(planned), LEVEL)
    csv = (
        "bezirk;alter_von;alter_bis_unter;jahr;einwohner;quelle\n"
        "mitte-west-generiert;0;6;2024;3000;generiert\n"
        "mitte-ost-generiert;0;6;2024;2000;generiert\n"
    )
    assert load_population_csv(planned, csv.encode()).errors == []
    planned.commit()
    cov = coverage(planned, LEVEL)
    west = cov.get("mitte-west-generiert").kinds["kita"].population
    assert (west.value, west.basis, west.year) == (3000, "official", 2024)


def test_bad_features_are_named_and_nothing_is_loaded(planned):
    data = _halves(planned)
    data["features"].append(
        {
            "type": "Feature",
            "properties": {"name": "Irgendwo (generiert)"},
            "geometry": mapping(box(2.0, 48.0, 2.1, 48.1)),
        }
    )  # Paris
    data["features"].append(
        {"type": "Feature", "properties": {}, "geometry": mapping(box(7.2, 51.47, 7.21, 51.48))}
    )
    report = load_district_level(planned, data, LEVEL, name="ebene.geojson")
    assert [str(e) for e in report.errors] == [
        "ebene.geojson:3: geometry: liegt in keinem Bezirk der Ebene „stadtbezirk“",
        "ebene.geojson:4: name: fehlt (Eigenschaft „name“)",
    ]
    planned.commit()
    assert planned.exec(select(District).where(District.level == LEVEL)).all() == []


def test_an_invalid_polygon_is_named_in_words_not_in_geos_english(planned):
    from app import i18n

    halves = _halves(planned)
    west = shape(halves["features"][0]["geometry"])
    minx, miny, maxx, maxy = west.bounds  # a bow tie: its two edges cross in the middle
    bowtie = {
        "type": "Polygon",
        "coordinates": [[(minx, miny), (maxx, maxy), (maxx, miny), (minx, maxy), (minx, miny)]],
    }
    halves["features"][0]["geometry"] = bowtie

    german = load_district_level(planned, halves, LEVEL).errors
    i18n.set_locale("en")
    try:
        english = load_district_level(planned, halves, LEVEL).errors
    finally:
        i18n.set_locale(i18n.DEFAULT)

    assert len(german) == 1 and german[0].worded().startswith(
        "Bezirk 1 der Datei, Grenze: ungültiges Polygon: es überschneidet sich selbst (bei "
    )
    assert "Self-intersection" not in german[0].message
    assert english[0].message.startswith("invalid polygon: it intersects itself (at ")

"""Loading the areas into the database: the place names people type, with the
published centre points of the Stadtteile (``places/``)."""

from shapely.geometry import Point
from sqlmodel import select

from app.db import state
from app.geo.areas import load_stadtbezirke
from app.geo.crs import to_metric
from app.importer.areas import load_areas
from app.models import PlaceName


def test_stadtteile_are_loaded_with_their_published_point_inside_their_district(session, data_dir):
    assert load_areas(session, data_dir) is True
    names = {p.key: p for p in session.exec(select(PlaceName)).all()}
    weitmar = names["weitmar"]
    assert (weitmar.name, weitmar.kind, weitmar.district_slug) == (
        "Weitmar",
        "stadtteil",
        "suedwest",
    )
    assert "Wikipedia" in weitmar.source and "CC BY-SA" in weitmar.source
    districts = {r.slug: to_metric(r.geometry) for r in load_stadtbezirke(data_dir).itertuples()}
    with_points = [p for p in names.values() if p.x is not None]
    assert len({p.name for p in with_points}) == 32
    for place in with_points:
        assert districts[place.district_slug].contains(Point(place.x, place.y)), place.name
    assert not [k for k in names if k.startswith("bochum")]  # "Bochum-Weitmar" -> "weitmar"
    assert names["kirchharpen"].name == "Harpen"  # an alternative name


def test_names_without_a_point_keep_what_they_belong_to(session, data_dir):
    load_areas(session, data_dir)
    ehrenfeld = session.exec(select(PlaceName).where(PlaceName.key == "ehrenfeld")).one()
    assert (ehrenfeld.x, ehrenfeld.district_slug) == (None, "mitte")
    assert ehrenfeld.note == "Mitte (teilweise Süd)"
    assert ehrenfeld.nearby == "Wiemelhausen|Innenstadt"
    engelsburg = session.exec(select(PlaceName).where(PlaceName.key == "engelsburg")).one()
    assert engelsburg.district_slug is None  # the source calls it ambiguous


def test_loading_the_same_areas_again_changes_nothing(session, data_dir):
    load_areas(session, data_dir)
    session.commit()
    version = state.versions(session)[state.AREAS]
    assert load_areas(session, data_dir) is False
    assert state.versions(session)[state.AREAS] == version

"""The same query on SQLite and on PostgreSQL/PostGIS returns the same offers.

Both databases hold the real Bochum import. Results are sorted by name (or by
distance), so the ids agree in order too. Where the two full-text engines
legitimately differ, the test says so: PostgreSQL's ``german`` configuration stems
words ("Familienzentren" also finds "Familienzentrum"), SQLite FTS5 matches word
beginnings only; text queries are therefore compared as sets, and only for words
whose stem is the word itself. Their ranking (``bm25`` vs ``ts_rank``) differs in
detail, but both put the same offers on top: those whose name holds the words.
"""

import pytest
from sqlmodel import Session

from app.db import migrate
from app.db.session import make_engine
from app.geo.crs import wgs_to_utm
from app.importer.run import run_import
from app.search.filters import Filters
from app.search.query import search_offers
from app.text import sort_key
from tests.conftest import new_database_url, require_postgres


@pytest.fixture(scope="module")
def both(tmp_path_factory, request):
    require_postgres()
    from app.config import get_settings

    data_dir = get_settings().data_dir
    engines, cleanups = {}, []
    for backend in ("sqlite", "postgres"):
        url, cleanup = new_database_url(backend, tmp_path_factory.mktemp(f"agree-{backend}"))
        cleanups.append(cleanup)
        migrate.upgrade(url)
        engines[backend] = make_engine(url)
        run_import(engines[backend], data_dir)
    yield engines
    for engine in engines.values():
        engine.dispose()
    for cleanup in cleanups:
        cleanup()


def ids(engine, filters: Filters, origin=None) -> list[int]:
    with Session(engine) as session:
        return [
            (h.offer.source, h.offer.source_id)
            for h in search_offers(session, filters, page_size=None, origin=origin).hits
        ]


CASES = [
    Filters(kategorie=("kita",)),
    Filters(kategorie=("kita",), bezirk="wattenscheid", alter=3),
    Filters(kategorie=("familienbildung", "beratung")),
    Filters(bezirk="sued"),
    Filters(alter=14),
    Filters(kategorie=("spielplatz",), bezirk="nord"),
]


@pytest.mark.parametrize("filters", CASES, ids=lambda f: f.query_string() or "all")
def test_filters_give_the_same_offers_in_the_same_order(both, filters):
    assert ids(both["sqlite"], filters) == ids(both["postgres"], filters)


@pytest.mark.parametrize("q", ["Kita", "Seniorenbüro", "Zechenstraße", "Falken", "Spielplatz"])
def test_text_queries_find_the_same_offers(both, q):
    sqlite_ids = set(ids(both["sqlite"], Filters(q=q)))
    assert sqlite_ids, f"no result for {q!r}"
    assert sqlite_ids == set(ids(both["postgres"], Filters(q=q)))


@pytest.mark.parametrize(
    ("lon", "lat", "radius"), [(7.2162, 51.4818, 2000), (7.1265, 51.4830, 1500)]
)
def test_near_queries_agree_on_offers_and_distance_order(both, lon, lat, radius):
    origin = wgs_to_utm(lon, lat)
    filters = Filters(lat=lat, lon=lon, umkreis=radius)
    sqlite_ids = ids(both["sqlite"], filters, origin)
    assert sqlite_ids
    assert sqlite_ids == ids(both["postgres"], filters, origin)


@pytest.mark.parametrize(
    "q", ["Familienbildung", "Seniorenbüro", "Falken", "Regenbogen", "Spielplatz Park"]
)
def test_text_queries_rank_the_same_offers_on_top(both, q):
    words = sort_key(q).split()
    tops = {}
    for backend, engine in both.items():
        with Session(engine) as session:
            hits = search_offers(session, Filters(q=q), page_size=None).hits
        in_name = [all(f" {w}" in f" {h.offer.sort_name}" for w in words) for h in hits]
        top = in_name.count(True)
        assert top and in_name[:top] == [True] * top, f"{backend}: names not first for {q!r}"
        tops[backend] = [(h.offer.source, h.offer.source_id) for h in hits[:top]]
    assert set(tops["sqlite"]) == set(tops["postgres"])
    if q == "Familienbildung":  # five Familienbildungsstätten/-werk, the Soziales Zentrum
        assert len(tops["sqlite"]) == 6

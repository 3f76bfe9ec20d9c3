"""The ranking kept per query shape gives what the former page query gives.

One database per backend holds the real import and 3,000 generated Kitas (as ``make
bench`` makes them). A few hundred generated queries (words, kinds, districts, ages,
places, phone positions, radius, page numbers, facts listed apart, the clock) are
answered three times: by the former path (``keep=False``: a count, one LIMITed page,
a count per fact), by the ranking computed afresh, and by the ranking kept from that
first answer. All three must be the same offers in the same order, with the same
counts and the same distances; a search around a phone's position counts up to
``COUNT_CAP`` (then it says "more than"), everything else is exact.
"""

import random
from datetime import datetime

import pytest
from sqlmodel import Session

from app.catalogue.read import district_names
from app.db import migrate
from app.db.session import make_engine
from app.importer.rules import DAYCARE
from app.importer.run import run_import
from app.numbers import BERLIN
from app.search.nearest import COUNT_CAP
from app.search.ranking import RANKINGS
from app.search.run import run_search
from bench.generate import write_poi_file
from tests.conftest import new_database_url
from tests.factories import make_offer
from tests.staff.helpers import make_user, sign_in

WORDS = (
    "kita", "Kita", "familienzentrum", "generierte", "beratung", "spielplatz", "senioren",
    "falken", "kita 12", "straße 3", "generierte kita 7", "familie", "jugend", "zentrum",
    "regenbogen", "ev", "\u00fc", "_", "kinder garten",
)  # fmt: skip
KINDS = ("kita", "familienzentrum", "spielplatz", "beratung", "familienbildung", "ogs")
PLACES = ("44866", "44787", "44789", "Wattenscheid", "Weitmar", "Mitte", "Bochum", "Langendreer")
MOMENT = datetime(2026, 3, 4, 10, 30, tzinfo=BERLIN)


@pytest.fixture(scope="module")
def generated(db_backend, tmp_path_factory):
    from app.config import get_settings

    tmp = tmp_path_factory.mktemp(f"ranking-{db_backend}")
    url, cleanup = new_database_url(db_backend, tmp)
    migrate.upgrade(url)
    engine = make_engine(url)
    real = get_settings().data_dir
    run_import(engine, real, geojson_target=tmp / "d.geojson")
    data = tmp / "data"
    data.mkdir()
    for name in ("boundaries", "population"):
        (data / name).symlink_to(real / name)
    write_poi_file(data / DAYCARE, real, 3_000, seed=22)
    run_import(engine, data, files=[DAYCARE], geojson_target=tmp / "d.geojson")
    yield engine
    engine.dispose()
    cleanup()


def queries(districts: list[str], n: int, seed: int = 22) -> list[list[tuple[str, str]]]:
    rng = random.Random(seed)
    found = []
    for _ in range(n):
        pairs: list[tuple[str, str]] = []
        if rng.random() < 0.6:
            pairs.append(("q", rng.choice(WORDS)))
        for kind in rng.sample(KINDS, rng.choice((0, 0, 1, 1, 2))):
            pairs.append(("kategorie", kind))
        if rng.random() < 0.25:
            pairs.append(("bezirk", rng.choice(districts)))
        if rng.random() < 0.25:
            pairs.append(("alter", str(rng.randint(0, 18))))
        where = rng.random()
        if where < 0.15:
            pairs.append(("nahe", rng.choice(PLACES)))
        elif where < 0.3:
            pairs += [
                ("lat", f"{rng.uniform(51.42, 51.53):.5f}"),
                ("lon", f"{rng.uniform(7.10, 7.33):.5f}"),
            ]
        if where < 0.3 and rng.random() < 0.6:
            pairs.append(("umkreis", str(rng.choice((500, 1000, 2000, 5000)))))
        if rng.random() < 0.1:
            pairs.append(("geoeffnet", rng.choice(("jetzt", "sa", "mo-23:30"))))
        if rng.random() < 0.1:
            pairs.append(("kosten", "frei"))
        if rng.random() < 0.1:
            pairs.append(("barrierefrei", "1"))
        pairs.append(("seite", str(rng.choice((1, 1, 1, 2, 3, 7)))))
        found.append(pairs)
    return found


def answer(session: Session, pairs, *, keep: bool, page_size, rank_all_up_to=None):
    found = run_search(
        session,
        pairs,
        page_size=page_size,
        load=page_size is not None,  # every match: the exports' ids, no ORM objects
        rank_all_up_to=rank_all_up_to,
        now=MOMENT,
        keep=keep,
    )
    if found.result is None:
        return ("errors", sorted(found.errors))
    r = found.result
    return (
        r.total,
        r.ranked,
        [(h.offer.id, h.distance_m, h.unknown) for h in r.hits],
        r.unknown,
        r.unknown_counts,
        r.apart_total,
        sorted(found.errors),
        r.total_at_least,
    )


def same(new, old) -> bool:
    """The same answer; a count that stopped at the cap stands for any larger one."""
    if new[0] == "errors" or not new[-1]:
        return new == old
    assert old[0] > new[0] >= COUNT_CAP, (new[0], old[0])
    return new[1:-1] == old[1:-1]


def test_kept_rankings_give_the_former_pages(generated):
    RANKINGS.clear()
    with Session(generated) as session:
        districts = list(district_names(session))
        asked = queries(districts, 300)
        shapes = 0
        for k, pairs in enumerate(asked):
            page_size, rank_all = [(20, None), (20, 400), (None, None)][k % 3]
            old = answer(session, pairs, keep=False, page_size=page_size, rank_all_up_to=rank_all)
            fresh = answer(session, pairs, keep=True, page_size=page_size, rank_all_up_to=rank_all)
            kept = answer(session, pairs, keep=True, page_size=page_size, rank_all_up_to=rank_all)
            assert same(fresh, old), pairs
            assert same(kept, old), pairs
            shapes += old[0] != "errors" and old[0] > 0
    assert shapes > 150  # most queries found something


def test_a_count_around_a_position_stops_at_the_cap_and_says_so(generated):
    """More than 1,000 offers within 5 km of the city centre: the page is the exact
    query's page, the count reads "mehr als 1.000", the JSON says it is not exact, and
    a page past the cap still exists."""
    from app.search.wording import describe

    centre = [("lat", "51.48180"), ("lon", "7.21620"), ("umkreis", "5000")]
    with Session(generated) as session:
        for page in ("1", "60"):
            pairs = [*centre, ("seite", page)]
            old = answer(session, pairs, keep=False, page_size=20)
            new = answer(session, pairs, keep=True, page_size=20)
            assert old[0] > COUNT_CAP and new[-1], (old[0], new[0])
            assert new[1:-1] == old[1:-1] and len(new[2]) == 20
        found = run_search(session, [*centre, ("seite", "1")], page_size=20, now=MOMENT)
        assert describe(found.result, {}).startswith("mehr als 1.000 Angebote im Umkreis")
        assert found.result.pages == COUNT_CAP // 20
        deep = run_search(session, [*centre, ("seite", "60")], page_size=20, now=MOMENT)
        assert not deep.errors and deep.result.pages > 60


def test_a_write_is_never_answered_from_a_kept_ranking(generated):
    pairs = [("q", "generierte"), ("seite", "1")]
    with Session(generated) as session:
        before = answer(session, pairs, keep=True, page_size=20)
        make_offer(session, name="Aaa Generierte Kita (generiert)", category="kita")
    with Session(generated) as session:
        after = answer(session, pairs, keep=True, page_size=20)
        old = answer(session, pairs, keep=False, page_size=20)
    assert after == old
    assert after[0] == before[0] + 1


def test_the_pages_and_the_json_say_more_than_when_the_count_stopped(generated):
    """What a parent reads: the heading and the page count say "mehr als", in German
    and in English, and the JSON twin says its total is not exact."""
    from fastapi.testclient import TestClient

    from app.db.session import get_session
    from app.main import create_app

    app = create_app()

    def _session():
        with Session(generated) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    near = "lat=51.48180&lon=7.21620&umkreis=5000"
    with TestClient(app) as client:
        page = client.get(f"/angebote?{near}").text
        english = client.get(f"/angebote?{near}&lang=en").text
        data = client.get(f"/angebote.json?{near}").json()
        small = client.get("/angebote.json?lat=51.48180&lon=7.21620&umkreis=300").json()
        with Session(generated) as session:
            make_user(session, email="ranking@example.org")
        sign_in(client, "ranking@example.org")
        staff = client.get(f"/verwaltung/angebote?{near}&lang=de").text
    assert "mehr als 1.000 Angebote im Umkreis von 5,0 km" in page
    assert "Seite 1 von mehr als 50" in page
    assert "more than 1,000 offers" in english and "Page 1 of more than 50" in english
    assert data["total"] == COUNT_CAP and data["total_exact"] is False and data["pages"] == 50
    assert small["total_exact"] is True and small["total"] < COUNT_CAP
    # Staff list 50 a page: 1,000 counted are 20 pages, and more.
    assert "mehr als 1.000 Angebote" in staff and "Seite 1 von mehr als 20" in staff


def test_a_kind_read_by_its_index_or_tested_per_offer_gives_the_same_pages(generated, monkeypatch):
    """Kinds with few offers are read as the list of their offers, common ones tested per
    candidate (``rare_kinds``): the same offers in the same order either way, on the
    generated queries that name one or two kinds (Kitas common here, the rest rare)."""
    from app.search import kinds

    with Session(generated) as session:
        rare = kinds.rare_kinds(session)
        assert "kita" not in rare and {"spielplatz", "ogs", "beratung"} <= rare
        districts = list(district_names(session))
        asked = [p for p in queries(districts, 300, seed=23) if any(k == "kategorie" for k, _ in p)]
        assert len(asked) > 100
        answers = {}
        for limit in (0, 10**9):  # every kind tested per offer; every kind read by its index
            monkeypatch.setattr(kinds, "RARE_KIND_MAX", limit)
            answers[limit] = [answer(session, p, keep=False, page_size=20) for p in asked]
        assert answers[0] == answers[10**9]
        assert sum(1 for a in answers[0] if a[0] != "errors" and a[0] > 0) >= 60

"""The planning view says what it cannot know: U3 only where known, a ranking on
building counts named so and set beside the city's published figures, map classes
that do not exaggerate small spreads, residents spread by the loaded grid."""

import json
from html import unescape

import pytest
from shapely.geometry import Point, shape
from sqlalchemy import delete
from sqlmodel import select

from app.db import state
from app.geo.crs import to_metric
from app.maps.choropleth import build_choropleth, is_small_spread
from app.models import District, GridCell
from app.planning import grid as gridmod
from app.planning.compare import published_comparison
from app.planning.coverage import clear_cache, coverage
from tests.factories import make_offer

MITTE_A = (7.2162, 51.4818)
MITTE_B = (7.2230, 51.4790)
WATTENSCHEID = (7.1290, 51.4830)


def _kita(session, lonlat, **fields):
    return make_offer(session, category="kita", lon=lonlat[0], lat=lonlat[1], **fields)


def _inside(session) -> dict[str, tuple[float, float]]:
    """A point (lon, lat) inside each Stadtbezirk."""
    rows = session.exec(select(District).where(District.level == "stadtbezirk")).all()
    return {d.slug: shape(json.loads(d.geometry)).representative_point().coords[0] for d in rows}


def test_u3_counts_only_kitas_known_to_take_under_threes(planned, client):
    _kita(planned, MITTE_A)  # ages not stated: not known
    _kita(planned, MITTE_B, age_min=0, age_max=6, age_min_months=4, age_max_months=72)
    _kita(planned, WATTENSCHEID, capacity=40, capacity_u3=0)  # known: no under-3s
    cov = coverage(planned)
    mitte, watt = cov.get("mitte").kinds["u3"], cov.get("wattenscheid").kinds["u3"]
    assert (mitte.offers, mitte.status_known, mitte.candidates) == (1, 1, 2)
    assert cov.get("mitte").kinds["kita"].offers == 2
    assert (watt.offers, watt.status_known, watt.unknown) == (0, 1, False)
    assert watt.reach_1000 == 0.0
    nord = cov.get("nord").kinds["u3"]
    assert nord.unknown and nord.per_1000 is None and nord.reach_500 is None

    page = unescape(client.get("/planung", params={"mass": "erreichbar_1000"}).text)
    table = page[page.index('id="planungstabelle"') : page.index("</table>")]
    assert "U3 bekannt für 1 von 2 Kitas" in table
    row = table[table.index('data-slug="nord"') :]
    assert "unbekannt" in row[: row.index("</tr>")]


def test_without_any_known_kita_u3_is_unbekannt_not_the_kita_figure(planned, client):
    _kita(planned, MITTE_A)
    _kita(planned, WATTENSCHEID)
    cov = coverage(planned)
    assert cov.city.kinds["kita"].reach_1000 > 0
    assert cov.city.kinds["u3"].unknown and cov.city.kinds["u3"].reach_1000 is None
    data = client.get("/planung.json").json()
    mitte = next(a for a in data["areas"] if a["slug"] == "mitte")
    assert mitte["kinds"]["u3"]["offers"] is None
    assert mitte["kinds"]["u3"]["erreichbar_1000"] is None
    page = unescape(client.get("/planung", params={"art": "u3"}).text)
    assert "Für keine Kita ist bekannt, ob sie Kinder unter drei Jahren aufnimmt" in page


def test_a_ranking_on_building_counts_says_so_and_names_the_published_disagreement(planned, client):
    points = _inside(planned)
    for lon, lat in points.values():
        _kita(planned, (lon, lat))
    for i in range(4):  # Mitte: many buildings, so best covered by building count
        _kita(planned, (MITTE_A[0] + i * 0.004, MITTE_A[1]))
    cov = coverage(planned)
    ranks = {a.slug: a.kinds["kita"].gap.rank for a in cov.areas}
    assert ranks["mitte"] > 3  # lower half: well covered by buildings

    comparisons = {c.period: c for c in published_comparison(cov, "kita")}
    assert set(comparisons) == {"Kita-Jahr 2023/24", "Kita-Jahr 2025/26"}
    first = comparisons["Kita-Jahr 2023/24"].by_area["mitte"]
    assert (first.value_text, first.rank, first.of) == ("222", 1, 6)
    assert first.disagrees and "Mitte" in comparisons["Kita-Jahr 2023/24"].disagreements
    nord = comparisons["Kita-Jahr 2023/24"].by_area["nord"]
    assert nord.shortage == -4  # "Überversorgung": a surplus ranks last
    assert nord.rank == 6
    assert published_comparison(cov, "u3") == []  # Ü3 figures are not U3's

    page = unescape(client.get("/planung", params={"art": "kita"}).text)
    assert "Rangfolge nach Zahl der Einrichtungen, nicht nach Plätzen: Kitas" in page
    assert "Rangfolge der Lücken:" not in page
    assert "Veröffentlicht: Kita-Jahr 2023/24" in page
    assert "widerspricht der berechneten Rangfolge" in page
    assert "Widerspruch (Kita-Jahr 2023/24): Mitte" in page


def test_the_ranking_is_a_gap_ranking_once_every_placed_offer_has_its_places(planned, client):
    _kita(planned, MITTE_A, capacity=60)
    _kita(planned, WATTENSCHEID, capacity=40)
    page = unescape(client.get("/planung", params={"art": "kita"}).text)
    assert "Rangfolge der Lücken: Kitas" in page
    assert "Rangfolge nach Zahl der Einrichtungen, nicht nach Plätzen: Kitas" not in page


def test_values_close_together_get_one_class_and_the_legend_says_why(planned):
    rows = planned.exec(select(District).where(District.level == "stadtbezirk")).all()
    districts = [(d.slug, d.name, d.geometry) for d in rows]
    close = dict(zip([d[0] for d in districts], (9.5, 9.8, 10.0, 10.2, 10.5, 10.7), strict=True))
    assert is_small_spread(list(close.values()))
    chart = build_choropleth(
        districts,
        {k: (v, str(v)) for k, v in close.items()},
        scheme="natuerlich",
        title="t",
        method="natürliche Brüche",
        fmt=str,
        no_data="keine Daten",
        small_spread="eine Klasse",
    )
    assert len({a.fill for a in chart.areas}) == 1
    assert [e.text for e in chart.legend] == ["9.5 – 10.7"] and chart.method == "eine Klasse"
    wide = {k: (v * (i + 1), "") for i, (k, v) in enumerate(close.items())}
    chart = build_choropleth(
        districts, wide, scheme="natuerlich", title="t", method="m", fmt=str, no_data="-"
    )
    assert len({a.fill for a in chart.areas}) > 1 and chart.method == "m"


def _grid_csv(cells: list[tuple[float, float, int, int]]) -> bytes:
    lines = ["x;y;einwohner;unter_18"] + [f"{x};{y};{n};{u}" for x, y, n, u in cells]
    return "\n".join(lines).encode()


def test_the_grid_spreads_children_where_they_live_and_reach_follows(planned):
    planned.execute(delete(GridCell))  # the set-up's Zensus grid: start from none
    state.bump(planned, state.PLANNING)
    planned.commit()
    _kita(planned, MITTE_A)
    even = coverage(planned)
    assert even.weighted_by is None
    near = to_metric(Point(*MITTE_A))
    far = to_metric(Point(7.2650, 51.4600))  # Mitte's south-east, > 1 km from the Kita
    report = gridmod.load_grid_csv(
        planned,
        _grid_csv([(near.x, near.y, 100, 40), (far.x, far.y, 900, 0)]),
        year=2011,
        source="Testgitter",
    )
    planned.commit()
    assert report.loaded == 2
    clear_cache()
    cov = coverage(planned)
    assert cov.weighted_by == "Testgitter (2011)"
    kita = cov.get("mitte").kinds["kita"]
    # every child of Mitte lives in the Kita's cell: all within 500 m
    assert kita.reach_500 == 1.0 > even.get("mitte").kinds["kita"].reach_500
    # the even spread is kept beside it for the closing note
    assert cov.even_reach["kita"][0] == pytest.approx(even.city.kinds["kita"].reach_500)
    assert cov.city.kinds["kita"].reach_500 > cov.even_reach["kita"][0]


def test_the_zensus_grid_is_loaded_by_default_with_its_date(planned, client):
    from datetime import date

    cov = coverage(planned)
    assert cov.weighted_by and "Zensus 2011" in cov.weighted_by
    assert cov.grid_date == date(2011, 5, 9)
    page = unescape(client.get("/planung").text)
    assert "Bevölkerungsraster: " in page and "Stand 09.05.2011" in page

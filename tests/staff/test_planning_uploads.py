"""Staff load the planning view's tables through /verwaltung/planungsdaten: official
residents per district replace the estimates, published figures and a finer district
level (GENERATED polygons) appear; a bad line is named and nothing is stored."""

import json
import re
from html import unescape

import pytest
import shapely
from shapely.geometry import box, mapping, shape
from sqlmodel import select

from app.models import District, PlanningIndicator, PopulationFigure
from tests.factories import add_planning_inputs
from tests.staff.helpers import make_user, sign_in, token_of

PAGE = "/verwaltung/planungsdaten"
POPULATION = (
    "bezirk;alter_von;alter_bis_unter;jahr;einwohner;quelle\n"
    "Mitte;0;6;2030;4321;Generierte Testzahl (generiert)\n"
    "Wattenscheid;0;6;2030;2100;Generierte Testzahl (generiert)\n"
)


@pytest.fixture
def editor(client, session, data_dir):
    add_planning_inputs(session, data_dir)
    session.commit()
    make_user(session)
    sign_in(client)
    return client


def _upload(
    client, action: str, field: str, name: str, content: str | bytes, data: dict | None = None
):
    return client.post(
        f"{PAGE}/{action}",
        data={"csrf_token": token_of(client, PAGE), **(data or {})},
        files={field: (name, content, "text/csv")},
    )


def _figures(session, year: int) -> list[tuple[str, int]]:
    session.expire_all()
    return sorted(
        session.exec(
            select(PopulationFigure.area_slug, PopulationFigure.residents).where(
                PopulationFigure.year == year
            )
        ).all()
    )


def test_the_page_says_what_the_planning_view_stands_on(editor):
    page = editor.get(PAGE)
    assert page.status_code == 200
    assert "Planungsdaten laden" in page.text
    assert "2018" in page.text  # the residents of 31.12.2018 the set-up loaded
    assert "bochum_indicators_from_press" in page.text or "Kennzahlen" in page.text


def test_official_residents_replace_the_estimate_and_the_view_names_their_year(editor, session):
    answer = _upload(editor, "einwohner", "einwohner-datei", "einwohner-2030.csv", POPULATION)
    assert answer.status_code == 200
    assert "2 Einwohnerzahlen aus einwohner-2030.csv geladen" in answer.text
    assert _figures(session, 2030) == [("mitte", 4321), ("wattenscheid", 2100)]
    profile = unescape(re.sub(r"<[^>]+>", " ", editor.get("/planung/bezirke/mitte").text))
    assert re.search(r"Kinder unter 6 Jahren\s+4\.321\s+amtliche Zahl 2030", profile)
    assert "Geladene Jahrgänge: 2018, 2030" in editor.get("/planung").text
    assert "Generierte Testzahl (generiert)" in editor.get(PAGE).text  # the loaded source


def test_a_bad_line_is_named_and_nothing_of_the_file_is_stored(editor, session):
    bad = (
        POPULATION + "Atlantis;0;6;2030;100;Generierte Testzahl (generiert)\n"
        "Nord;0;6;2030;viele;Generierte Testzahl (generiert)\n"
    )
    answer = _upload(editor, "einwohner", "einwohner-datei", "einwohner.csv", bad)
    assert answer.status_code == 422
    assert "Zeile 4, Bezirk: unbekannter Bezirk „Atlantis“" in answer.text
    assert "Zeile 5, Einwohner: „viele“ ist keine ganze Zahl" in answer.text
    assert "nichts wurde gespeichert" in answer.text
    assert _figures(session, 2030) == []


def test_a_file_without_the_form_token_changes_nothing(editor, session):
    answer = editor.post(
        f"{PAGE}/einwohner",
        data={"csrf_token": "falsch"},
        files={"einwohner-datei": ("e.csv", POPULATION, "text/csv")},
    )
    assert answer.status_code == 403
    assert _figures(session, 2030) == []


def test_a_missing_or_foreign_file_names_the_field(editor):
    answer = editor.post(f"{PAGE}/einwohner", data={"csrf_token": token_of(editor, PAGE)})
    assert answer.status_code == 422
    assert 'href="#einwohner-datei"' in answer.text
    latin1 = _upload(
        editor,
        "einwohner",
        "einwohner-datei",
        "e.csv",
        "bezirk;quelle\nMünster;x\n".encode("latin-1"),
    )
    assert latin1.status_code == 422 and "nicht UTF-8" in latin1.text


def test_a_file_name_that_looks_like_a_path_is_only_a_name(editor, session):
    answer = _upload(editor, "einwohner", "einwohner-datei", "/etc/passwd", POPULATION)
    assert answer.status_code == 200
    assert _figures(session, 2030) == [("mitte", 4321), ("wattenscheid", 2100)]


def test_a_published_indicator_table_is_loaded_under_its_name(editor, session):
    table = (
        "period,area,indicator,value,source_url,note\n"
        "2030 (generiert),Bochum-Nord,Plätze geplant,12,https://example.org/a,generiert\n"
    )
    answer = _upload(
        editor,
        "kennzahlen",
        "kennzahlen-datei",
        "k.csv",
        table,
        {"tabelle": "Testtabelle (generiert)"},
    )
    assert answer.status_code == 200, answer.text[:3000]
    session.expire_all()
    rows = session.exec(
        select(PlanningIndicator).where(PlanningIndicator.table_name == "Testtabelle (generiert)")
    ).all()
    assert [(r.area_slug, r.value) for r in rows] == [("nord", 12)]
    without_name = _upload(editor, "kennzahlen", "kennzahlen-datei", "k.csv", table)
    assert without_name.status_code == 422 and 'href="#tabelle"' in without_name.text


def _mitte_halves(session) -> str:
    """Mitte cut in two along its centroid's longitude: GENERATED polygons."""
    mitte = shape(json.loads(session.get(District, "mitte").geometry))
    minx, miny, maxx, maxy = mitte.bounds
    cut = mitte.centroid.x
    halves = [
        mitte.intersection(box(minx - 1, miny - 1, cut, maxy + 1)),
        mitte.intersection(box(cut, miny - 1, maxx + 1, maxy + 1)),
    ]
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": f"Mitte {side} (generiert)"},
                    "geometry": mapping(shapely.make_valid(half)),
                }
                for side, half in zip(("West", "Ost"), halves, strict=True)
            ],
        }
    )


def test_a_finer_district_level_is_loaded_inside_its_parents(editor, session):
    answer = _upload(
        editor,
        "bezirksebene",
        "ebene-datei",
        "halb.geojson",
        _mitte_halves(session),
        {"ebene": "generiert-test", "oberebene": "stadtbezirk"},
    )
    assert answer.status_code == 200, answer.text[:3000]
    session.expire_all()
    loaded = session.exec(
        select(District.slug, District.parent_slug).where(District.level == "generiert-test")
    ).all()
    assert sorted(loaded) == [("mitte-ost-generiert", "mitte"), ("mitte-west-generiert", "mitte")]
    assert editor.get("/planung?ebene=generiert-test").status_code == 200


def test_a_district_level_name_too_long_for_the_table_is_refused(editor, session):
    answer = _upload(
        editor,
        "bezirksebene",
        "ebene-datei",
        "halb.geojson",
        _mitte_halves(session),
        {"ebene": "eine-sehr-lange-ebene-mit-namen"},
    )
    assert answer.status_code == 422
    assert "Ebene: höchstens 20 Zeichen" in answer.text


def test_a_grid_needs_its_year_and_source(editor):
    answer = _upload(
        editor,
        "raster",
        "raster-datei",
        "r.csv",
        "x;y;einwohner\n",
        {"jahr": "zwanzig", "quelle": ""},
    )
    assert answer.status_code == 422
    assert 'href="#jahr"' in answer.text and 'href="#quelle"' in answer.text

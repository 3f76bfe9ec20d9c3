"""No stored link can run script: every URL from data is accepted only as http(s)
(mailto:/tel: for contacts) where it comes in, with a line-numbered error, and pages
render it through the one helper (``app.web.links.link``), which shows anything else
as text without a link, including values stored before the loaders checked them."""

import json
import re

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from shapely.geometry import box, mapping, shape
from sqlmodel import select

from app.db import state
from app.importer.candidates import check_candidate
from app.importer.checks import check_curated
from app.models import District, OfferCreate, PlanningIndicator, ProviderCreate
from app.planning.indicators import load_indicators_csv
from app.planning.levels import load_district_level
from app.planning.population import load_population_csv
from app.urls import check_url, safe_href, url_problem
from app.web.links import link
from tests.factories import add_planning_inputs, make_offer
from tests.security.conftest import FUZZ, PROPERTY
from tests.security.test_properties import VALID_CURATED
from tests.staff.helpers import make_user, sign_in, token_of

HOSTILE = [
    "javascript:alert(110)",
    "JaVaScRiPt:alert(110)",
    " javascript:alert(110)",
    "vbscript:msgbox(110)",
    "data:text/html,<script>alert(110)</script>",
    "java\tscript:alert(110)",
    "\x01javascript:alert(110)",
]
HEADER = "topic,period,level,area,indicator,value,unit,source_url,source_date,note\n"
PAGE = "/verwaltung/planungsdaten"


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def _no_script_links(html: str) -> None:
    bad = [h for h in _hrefs(html) if not re.match(r"^(https?:|/|#|\?|mailto:|tel:)", h)]
    assert bad == [], bad


@pytest.fixture
def editor(client, session, data_dir):
    add_planning_inputs(session, data_dir)
    session.commit()
    make_user(session)
    sign_in(client)
    return client


@pytest.mark.parametrize("url", HOSTILE[:5])
def test_an_indicator_table_with_a_script_link_is_refused_by_line(editor, session, url):
    line = (
        f'kita,2030 (generiert),Stadtbezirk,Bochum-Mitte,Plätze geplant,12,Plätze,"{url}",'
        "2026,generiert\n"
    )
    good = "kita,2030 (generiert),Stadtbezirk,Bochum-Nord,Plätze,3,Plätze,https://example.org/a,,\n"
    answer = editor.post(
        f"{PAGE}/kennzahlen",
        data={"csrf_token": token_of(editor, PAGE), "tabelle": "generiert"},
        files={"kennzahlen-datei": ("k.csv", HEADER + good + line, "text/csv")},
    )
    assert answer.status_code == 422
    text = answer.text
    assert "Zeile 3, Quelle (source_url):" in text
    assert "ist nicht erlaubt, nur http://, https://" in text
    assert "nichts wurde gespeichert" in text
    stored = session.exec(
        select(PlanningIndicator).where(PlanningIndicator.table_name == "generiert")
    ).all()
    assert stored == []
    english = editor.post(
        f"{PAGE}/kennzahlen?lang=en",
        data={"csrf_token": token_of(editor, PAGE), "tabelle": "generiert"},
        files={"kennzahlen-datei": ("k.csv", HEADER + line, "text/csv")},
    )
    assert "Line 2, Source (source_url):" in english.text
    assert "is not allowed, only http://, https://" in english.text


@pytest.fixture
def stored_bad_links(session, data_dir):
    """Values written straight into the database, as if stored before the checks."""
    add_planning_inputs(session, data_dir)
    for n, url in enumerate(HOSTILE):
        session.add(
            PlanningIndicator(
                table_name="alt",
                line=n + 2,
                period="2030 (generiert)",
                level="Stadtbezirk",
                area="Bochum-Mitte",
                area_slug="mitte",
                indicator=f"Plätze geplant {n} (generiert)",
                value=12,
                value_text="12",
                source=url,
            )
        )
    state.bump(session, state.PLANNING)
    session.commit()
    return make_offer(
        session,
        name="Kita Skript (generiert)",
        lon=7.2162,
        lat=51.4818,
        website="www.example.org",
        source_urls=HOSTILE,
    )


@pytest.mark.parametrize("path", ["/planung", "/planung/bericht", "/planung/bezirke/mitte"])
def test_a_stored_script_link_is_shown_without_a_link_on_the_planning_pages(
    client, stored_bad_links, path
):
    page = client.get(path)
    assert page.status_code == 200
    assert "Plätze geplant 0 (generiert)" in page.text  # the figures are shown
    assert "javascript:alert(110)" in page.text  # as text
    _no_script_links(page.text)


def test_a_stored_script_link_is_shown_without_a_link_on_the_offer_page(
    client, session, stored_bad_links
):
    offer = stored_bad_links
    offer.website = "javascript:alert(110)"
    session.add(offer)
    state.bump(session, state.OFFERS)
    session.commit()
    page = client.get(f"/angebote/{offer.id}")
    assert page.status_code == 200
    assert "javascript:alert(110)" in page.text
    _no_script_links(page.text)


# --- the rule itself, fuzzed -----------------------------------------------------------

SCHEMES = st.one_of(
    st.sampled_from(["javascript", "vbscript", "data", "file", "blob", "about", "jar"]),
    st.from_regex(r"[a-zA-Z][a-zA-Z0-9+.-]{0,12}", fullmatch=True),
)
# Blanks, controls and zero-width characters a browser may drop or ignore.
NOISE = st.text(st.sampled_from(" \t\n\r\x00\x01\x0b\x0c\x1f\x7f\u00a0\u200b\ufeff"), max_size=3)


@st.composite
def hostile_urls(draw: st.DrawFn) -> str:
    scheme = draw(SCHEMES)
    cased = "".join(draw(st.sampled_from([c.lower(), c.upper()])) for c in scheme)
    inside = draw(st.integers(0, len(cased)))
    noisy = cased[:inside] + draw(NOISE) + cased[inside:]
    rest = draw(st.sampled_from(["alert(110)", "//example.org/x", "text/html,<b>x</b>", ""]))
    return draw(NOISE) + noisy + ":" + rest


def _what_a_browser_runs(url: str) -> str:
    """The scheme a browser would see: blanks and controls around it dropped, tabs and
    line breaks inside removed (WHATWG URL parsing), lower-cased."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x0b\x0c\x1f\x7f ")
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


@PROPERTY
@given(hostile_urls())
def test_only_http_links_pass_the_validator_and_the_render_helper(url):
    href = safe_href(url)
    html = str(link(url, "Quelle"))
    if href is not None:
        assert href.startswith(("http://", "https://"))
        assert _what_a_browser_runs(url) in ("http", "https")
        assert url_problem(url) is None or url_problem(url, bare=True) is None
    else:
        assert "href" not in html and html == "Quelle"
        with pytest.raises(ValueError):
            check_url(url)
    if _what_a_browser_runs(url) not in ("http", "https"):
        assert href is None and "<a" not in html


@PROPERTY
@given(st.text(max_size=40))
def test_any_text_renders_either_as_an_http_link_or_as_escaped_text(text):
    html = str(link(text))
    if html.startswith("<a "):
        assert re.match(r'^<a href="https?://', html)
    else:
        assert "<" not in html.replace("&lt;", "")


VALID_CANDIDATE = {
    "key": "generiert-1",
    "found_address": "Generierte Straße 1",
    "found_plz": "44787",
    "match_type": "exact address",
    "source_record": "Generierter POI 1",
    "x_epsg25832": "376500",
    "y_epsg25832": "5705000",
    "source": "https://example.org/quelle",
    "source_date": "2024",
    "licence": "CC0 1.0",
    "note": "",
}


@PROPERTY
@given(hostile_urls())
def test_every_url_field_of_models_and_imports_refuses_a_hostile_scheme(url):
    """Websites of offers and providers, the curated file's sources and websites and
    the location candidates' sources: only what a browser runs as http(s) passes."""
    if _what_a_browser_runs(url) in ("http", "https"):
        return
    cell = url.strip()  # the readers strip cells
    with pytest.raises(ValidationError):
        OfferCreate(name="Kita (generiert)", category="kita", website=url)
    with pytest.raises(ValidationError):
        ProviderCreate(name="Träger (generiert)", website=url)
    for column in ("quellen", "website"):
        row, problems = check_curated("k.csv", 2, {**VALID_CURATED, column: cell})
        if cell or column == "quellen":
            assert row is None and any(name == column for name, _text in problems), column
    found, problems = check_candidate("c.csv", 2, {**VALID_CANDIDATE, "source": cell})
    assert found is None and [name for name, _text in problems] == ["source"]


@FUZZ
@given(hostile_urls())
def test_an_indicator_table_refuses_every_hostile_scheme_with_its_line(planned_session, url):
    if _what_a_browser_runs(url) in ("http", "https"):
        return
    cell = url.replace('"', '""')
    table = HEADER + f'kita,2030,Stadtbezirk,Bochum-Mitte,Plätze,12,Plätze,"{cell}",,\n'
    report = load_indicators_csv(planned_session, table.encode(), name="fuzz")
    assert report.loaded == 0 and report.errors
    assert {(e.line, e.field) for e in report.errors} <= {(2, "source_url"), (2, "row")}
    stored = planned_session.exec(
        select(PlanningIndicator).where(PlanningIndicator.table_name == "fuzz")
    ).all()
    assert stored == []


@pytest.fixture
def planned_session(session, data_dir):
    add_planning_inputs(session, data_dir)
    session.commit()
    return session


def test_contacts_may_be_mailto_and_tel_but_only_where_they_are_contacts():
    assert safe_href("mailto:kita@example.org", contact=True) == "mailto:kita@example.org"
    assert safe_href("tel:+492349100", contact=True) == "tel:+492349100"
    assert safe_href("mailto:kita@example.org") is None
    assert safe_href("javascript:alert(1)", contact=True) is None
    assert safe_href("www.example.org") == "https://www.example.org"
    assert str(link("https://example.org/a?b=1&c=2", "WAZ, 12.03.2024")) == (
        '<a href="https://example.org/a?b=1&amp;c=2">WAZ, 12.03.2024</a>'
    )


def test_text_sources_of_population_tables_and_district_levels_may_not_be_script_links(
    planned_session,
):
    """A source given as text stays text on every page; one that is a bare link must
    be http(s), named with its line (or the feature of a GeoJSON file)."""
    session = planned_session
    table = (
        "bezirk;alter_von;alter_bis_unter;jahr;einwohner;quelle\n"
        "Mitte;0;6;2030;100;Stadt Bochum, Statistik (https://www.bochum.de/statistik)\n"
        "Nord;0;6;2030;100;JaVaScRiPt:alert(110)\n"
    )
    report = load_population_csv(session, table.encode(), name="e.csv")
    assert [(e.line, e.field) for e in report.errors] == [(3, "quelle")]
    assert report.errors[0].worded().startswith("Zeile 3, Quelle: „JaVaScRiPt:“ ist nicht erlaubt")
    assert report.loaded == 0
    mitte = shape(json.loads(session.get(District, "mitte").geometry))
    inner = mitte.buffer(-0.001).intersection(box(*mitte.buffer(-0.001).bounds))
    level = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "Innen (generiert)", "quelle": "data:text/html,x"},
                    "geometry": mapping(shapely.make_valid(inner)),
                }
            ],
        }
    )
    levels = load_district_level(session, level, "generiert", name="l.geojson")
    assert [(e.line, e.field) for e in levels.errors] == [(1, "quelle")]
    assert levels.errors[0].worded().startswith("Bezirk 1 der Datei, Quelle: „data:“")
    assert session.exec(select(District).where(District.level == "generiert")).all() == []

"""Each search filter is declared once: the form, the URLs, the OpenAPI parameters of
the page, its twins and the API, and "you searched for" come from the declarations."""

import pytest

from app.search.filters import FILTERS, Filters, parse_filters

SEARCH_ROUTES = ("/angebote", "/angebote.json", "/angebote.csv", "/angebote.geojson")


def test_every_declared_parameter_is_documented_on_the_page_its_twins_and_the_api(client):
    schema = client.get("/api/openapi.json").json()
    paths = {**schema["paths"]}
    for path in (*SEARCH_ROUTES, "/karte", "/api/v1/offers"):
        documented = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        for declared in FILTERS:
            assert declared.name in documented, (path, declared.name)
        assert documented["alter"]["schema"]["anyOf"][0] == {
            "type": "integer",
            "minimum": 0,
            "maximum": 120,
        }
        assert documented["kategorie"]["explode"] is True


def test_the_form_has_a_field_for_every_declared_filter_with_a_template(client):
    page = client.get("/angebote").text
    for declared in FILTERS:
        if declared.template:
            assert f'id="{declared.name}"' in page, declared.name


@pytest.mark.parametrize(
    "filters",
    [
        Filters(q="Kita Sonne", kategorie=("kita", "ogs"), alter=3),
        Filters(bezirk="mitte", barrierefrei=True, seite=2),
        Filters(nahe="44866", umkreis=1000),
        Filters(lat=51.48, lon=7.22),
    ],
)
def test_a_search_reads_back_from_its_own_url(filters):
    assert parse_filters(filters.params(), ["mitte"]) == filters


def test_a_removed_filter_is_gone_from_the_url_and_the_count():
    filters = Filters(kategorie=("kita", "ogs"), alter=3, nahe="44866", umkreis=500)
    assert filters.active_count == 4  # two kinds, the age, the place with its radius
    assert filters.without("kategorie", "ogs") == "kategorie=kita&alter=3&nahe=44866&umkreis=500"
    assert filters.without("nahe") == "kategorie=kita&kategorie=ogs&alter=3"


def test_what_the_schema_declares_is_what_the_parameters_take(client):
    # found by `make fuzz` (500 examples, PostgreSQL): "alter_monate=0.0" was a 200 though
    # the schema says integer, "barrierefrei=false" a 200 though the enum lacked the word
    for query in ("alter_monate=0.0", "alter_monate=4.0", "alter=3.0", "alter=1e1", "alter=-1"):
        assert client.get(f"/angebote.json?{query}").status_code == 422, query
    for query in ("alter_monate=4", "alter=3", "alter_monate=+"):
        assert client.get(f"/angebote.json?{query}").status_code == 200, query
    schema = client.get("/api/openapi.json").json()
    [param] = [
        p
        for p in schema["paths"]["/angebote.json"]["get"]["parameters"]
        if p["name"] == "barrierefrei"
    ]
    words = param["schema"]["items"]["enum"]
    assert {"1", "aufzug", "false", "nein", "ja", "true"} <= set(words)
    for word in words:
        assert client.get(f"/angebote.json?barrierefrei={word}").status_code == 200, word

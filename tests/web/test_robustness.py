"""Odd input never gives a 5xx; errors carry the security headers; the OpenAPI schema
documents the search parameters and the twins' responses."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db.session import get_session, make_engine
from app.main import create_app
from app.search.filters import FILTERS
from tests.factories import make_offer

ODD = [
    ({"seite": "²"}, "seite"),
    ({"seite": "99999999999999999999"}, "seite"),
    ({"seite": "9" * 5000}, "seite"),
    ({"alter": "٣"}, "alter"),
    ({"alter": "-1"}, "alter"),
    ({"lat": "1e308", "lon": "7.2"}, "lat"),
    ({"lat": "nan", "lon": "nan"}, "lat"),
    ({"lat": "51.4"}, "lat"),
    ({"umkreis": "0"}, "umkreis"),
    ({"umkreis": "1e9"}, "umkreis"),
    ({"kategorie": "kita\x00"}, "kategorie"),
    ({"q": "x" * 5000}, "q"),
    ({"bezirk": "../../etc"}, "bezirk"),
    ({"lang": "fr"}, "lang"),
    ({"barrierefrei": "-1.7976931348623157e+308"}, "barrierefrei"),
]
TWINS = ("/angebote.json", "/angebote.csv", "/angebote.geojson")


@pytest.mark.parametrize("params, field", ODD)
def test_odd_values_are_a_422_naming_the_field_in_every_machine_twin(client, params, field):
    for path in TWINS:
        response = client.get(path, params=params)
        assert response.status_code == 422, (path, params)
        assert [d["loc"] for d in response.json()["detail"]] == [["query", field]]


@pytest.mark.parametrize("params, field", ODD)
def test_odd_values_are_a_message_on_the_pages_with_the_input_kept(client, params, field):
    for path in ("/angebote", "/karte"):
        response = client.get(path, params=params)
        assert response.status_code == 200, (path, params)
        assert 'class="error-summary' in response.text
        if field == "seite":
            assert "Zur ersten Seite" in response.text
        elif field != "lang":
            anchor = {"lat": "nahe", "kategorie": "kategorie-"}.get(field, field)
            assert f'href="#{anchor}' in response.text


def test_a_page_beyond_the_last_is_named_not_an_error(client, session):
    make_offer(session, name="Kita Eins (generiert)")
    response = client.get("/angebote.json", params={"seite": "99999"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "seite"]


def test_openapi_documents_the_search_parameters_types_ranges_and_responses(client):
    schema = client.get("/api/openapi.json").json()
    for path in ("/angebote", "/angebote.json", "/angebote.csv", "/angebote.geojson", "/karte"):
        params = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        # Every declared filter (app.search.filters), and nothing else.
        assert set(params) == {f.name for f in FILTERS}, path
        assert {"q", "kategorie", "alter", "nahe", "lat", "lon", "geoeffnet", "lang"} <= set(params)
    params = {p["name"]: p for p in schema["paths"]["/angebote.json"]["get"]["parameters"]}
    assert params["seite"]["schema"]["minimum"] == 1
    assert params["umkreis"]["schema"]["anyOf"][0]["maximum"] == 50_000
    assert "kita" in params["kategorie"]["schema"]["items"]["enum"]
    assert params["kategorie"]["explode"] is True
    responses = schema["paths"]["/angebote.json"]["get"]["responses"]
    assert {"200", "422"} <= set(responses)
    assert "text/csv" in schema["paths"]["/angebote.csv"]["get"]["responses"]["200"]["content"]
    geojson = schema["paths"]["/angebote.geojson"]["get"]["responses"]["200"]["content"]
    assert "application/geo+json" in geojson
    assert "404" in schema["paths"]["/angebote/{offer_id}.json"]["get"]["responses"]


def _app_with_a_failing_route():
    app = create_app()

    @app.get("/kaputt")
    def broken() -> None:
        raise RuntimeError("boom")

    @app.get("/kaputt.json")
    def broken_json() -> None:
        raise RuntimeError("boom")

    return app


def test_an_unhandled_error_is_a_german_page_with_the_security_headers():
    with TestClient(_app_with_a_failing_route(), raise_server_exceptions=False) as client:
        page = client.get("/kaputt")
        data = client.get("/kaputt.json")
    assert page.status_code == 500 and "Das hat nicht geklappt" in page.text
    assert data.status_code == 500 and data.json() == {"detail": "Interner Fehler."}
    for response in (page, data):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "permissions-policy" in response.headers
        assert "boom" not in response.text


def test_a_database_that_is_not_there_is_a_503_not_a_trace(tmp_path):
    app = create_app()
    engine = make_engine(f"sqlite:///{tmp_path}/no/such/dir/db.sqlite")

    def _session():  # noqa: ANN202
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/angebote")
        data = client.get("/angebote.json")
    assert page.status_code == 503 and "Datenbank" in page.text
    assert data.status_code == 503 and "vorübergehend" in data.json()["detail"]
    assert page.headers["retry-after"] == "30"
    assert "content-security-policy" in page.headers


def test_head_works_where_get_does_and_405_names_what_is_allowed(client):
    head = client.head("/healthz")
    assert head.status_code == 200 and head.content == b""
    assert client.head("/angebote").status_code == 200
    refused = client.post("/angebote")
    assert refused.status_code == 405 and "GET" in refused.headers["allow"]
    assert "content-security-policy" in refused.headers


def test_empty_parameters_are_as_if_not_given(client, session):
    """HTML forms send empty fields (kategorie=, alter=, lang=): no filter, no error."""
    make_offer(session, name="Kita Eins (generiert)")
    for path in TWINS:
        response = client.get(
            path + "?q=&kategorie=&bezirk=&alter=&nahe=&lat=&lon="
            "&umkreis=&seite=&lang=&barrierefrei="
        )
        assert response.status_code == 200, path
    assert client.get("/angebote.json?kategorie=&alter=").json()["total"] == 1


def test_a_point_far_outside_europe_is_named_not_a_server_error(client):
    # Far outside zone 32 the metric grid has no coordinates for it (inf).
    answer = client.get("/angebote.json", params={"lat": "1.3", "lon": "-88.60832640216574"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "lat"]
    page = client.get("/angebote", params={"lat": "1.3", "lon": "-88.60832640216574"})
    assert page.status_code == 200 and "zu weit von Bochum entfernt" in page.text


def test_a_blank_district_is_no_district(client):
    assert client.get("/angebote.json", params={"bezirk": "\r"}).status_code == 200

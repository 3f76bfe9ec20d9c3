"""Search: text, category, district, age and combined filters, and the machine twins."""

import csv
import io

import pytest

from app.formats.tabular import number_text
from app.search.filters import FilterErrors, Filters, parse_filters
from app.search.query import search_offers
from tests.factories import add_districts, make_offer


@pytest.fixture
def catalogue(session, data_dir):
    add_districts(session, data_dir)
    return {
        "sonnenschein": make_offer(
            session,
            name="Kita Sonnenschein",
            category="kita",
            district="wattenscheid",
            street="Hochstr. 1",
            description="Kindergarten mit Garten",
            lat=51.4800,
            lon=7.1350,
            age_min=0,
            age_max=6,
            barrier_free=True,
        ),
        "regenbogen": make_offer(
            session,
            name="Kita Regenbogen",
            category="kita",
            extra_categories=["familienzentrum"],
            district="mitte",
            lat=51.4818,
            lon=7.2162,
            age_min=2,
            age_max=6,
        ),
        "jugend": make_offer(
            session,
            name="Jugendhaus Mitte",
            category="jugendfreizeithaus",
            district="mitte",
            age_min=6,
            age_max=27,
            lat=51.483,
            lon=7.22,
        ),
        "senioren": make_offer(
            session,
            name="Seniorenbüro Wattenscheid",
            category="seniorenbuero",
            district="wattenscheid",
            age_min=60,
            age_max=120,
            age_is_typical=True,
        ),
        "fbs": make_offer(
            session,
            name="Familienbildungsstätte Zechenstraße",
            category="familienbildung",
            district="mitte",
            provider_name="Stadt Bochum, Jugendamt",
        ),
    }


def names(result):
    return sorted(h.offer.name for h in result.hits)


def run(session, **kw):
    return search_offers(session, Filters(**kw))


def test_text_search_finds_name_description_provider_and_street(session, catalogue):
    assert names(run(session, q="Sonnenschein")) == ["Kita Sonnenschein"]
    assert names(run(session, q="garten")) == ["Kita Sonnenschein"]
    assert names(run(session, q="Jugendamt")) == ["Familienbildungsstätte Zechenstraße"]
    assert names(run(session, q="Hochstr")) == ["Kita Sonnenschein"]


def test_text_search_matches_word_beginnings_and_ignores_operators(session, catalogue):
    assert names(run(session, q="Regenb")) == ["Kita Regenbogen"]
    assert names(run(session, q='Kita "OR* -Regenbogen')) == []
    assert run(session, q="***").total == 5  # nothing searchable: no text filter


def test_category_filter_includes_offers_carrying_it_as_extra_category(session, catalogue):
    assert names(run(session, kategorie=("familienzentrum",))) == ["Kita Regenbogen"]
    assert names(run(session, kategorie=("kita",))) == ["Kita Regenbogen", "Kita Sonnenschein"]
    both = run(session, kategorie=("kita", "seniorenbuero"))
    assert both.total == 3


def test_age_filter_keeps_offers_whose_range_includes_the_age_and_those_without_age(
    session, catalogue
):
    assert names(run(session, alter=1)) == [
        "Familienbildungsstätte Zechenstraße",
        "Kita Sonnenschein",
    ]
    assert "Seniorenbüro Wattenscheid" in names(run(session, alter=70))
    assert "Jugendhaus Mitte" not in names(run(session, alter=3))


def test_combined_filters_narrow_the_result(session, catalogue):
    result = run(session, kategorie=("kita",), bezirk="wattenscheid", alter=3, barrierefrei=True)
    assert names(result) == ["Kita Sonnenschein"]
    assert run(session, kategorie=("kita",), bezirk="wattenscheid", q="Regenbogen").total == 0


def test_pages_hold_twenty_results(session, data_dir):
    for i in range(45):
        make_offer(session, name=f"Spielplatz {i:02d} (generiert)", category="spielplatz")
    page3 = search_offers(session, Filters(seite=3))
    assert page3.total == 45 and page3.pages == 3
    assert [h.offer.name for h in page3.hits][0] == "Spielplatz 40 (generiert)"
    assert len(search_offers(session, Filters(), page_size=None).hits) == 45


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ([("kategorie", "zoo")], "kategorie"),
        ([("alter", "abc")], "alter"),
        ([("alter", "-1")], "alter"),
        ([("seite", "0")], "seite"),
        ([("bezirk", "atlantis")], "bezirk"),
        ([("lat", "51.4"), ("lon", "")], "lat"),
        ([("umkreis", "0")], "umkreis"),
    ],
)
def test_bad_parameters_are_named(query, param):
    with pytest.raises(FilterErrors) as err:
        parse_filters(query, ["mitte"])
    assert param in err.value.errors


def test_search_page_states_the_search_in_words(client, session, catalogue):
    page = client.get(
        "/angebote", params={"kategorie": "kita", "bezirk": "wattenscheid", "alter": "3"}
    )
    assert page.status_code == 200
    assert "1 Kita in Wattenscheid für 3-Jährige" in page.text
    assert "Kita Sonnenschein" in page.text and "Kita Regenbogen" not in page.text


def test_search_page_shows_bad_parameters_as_messages_not_errors(client, catalogue):
    page = client.get("/angebote", params={"alter": "abc", "kategorie": "zoo", "seite": "0"})
    assert page.status_code == 200
    assert "Das Alter muss eine ganze Zahl" in page.text
    assert "Die Kategorie „zoo“ gibt es nicht" in page.text
    assert "Die Seite muss eine Zahl ab 1 sein" in page.text
    assert 'value="abc"' in page.text  # the input is kept as typed
    assert 'aria-invalid="true"' in page.text


def test_json_twin_refuses_bad_parameters_with_422_naming_them(client, catalogue):
    for params, name in [
        ({"alter": "abc"}, "alter"),
        ({"kategorie": "zoo"}, "kategorie"),
        ({"seite": "0"}, "seite"),
    ]:
        for fmt in ("json", "csv", "geojson"):
            response = client.get(f"/angebote.{fmt}", params=params)
            assert response.status_code == 422
            assert response.json()["detail"][0]["loc"] == ["query", name]


def test_no_results_page_offers_ways_out(client, catalogue):
    page = client.get("/angebote", params={"q": "Zirkus", "bezirk": "mitte"})
    assert "Keine Treffer" in page.text
    assert "in allen Bezirken suchen" in page.text


def test_machine_twins_return_the_same_ids_as_the_page(client, session, catalogue):
    params = {"kategorie": ["kita", "jugendfreizeithaus"], "bezirk": "mitte"}
    page = client.get("/angebote", params=params).text
    data = client.get("/angebote.json", params=params).json()
    ids = sorted(item["id"] for item in data["items"])
    assert data["total"] == 2 and len(ids) == 2
    for offer_id in ids:
        assert f'data-offer-id="{offer_id}"' in page
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/angebote.csv", params=params).text.lstrip("\ufeff")),
            delimiter=";",
        )
    )
    assert sorted(int(r["id"]) for r in rows) == ids
    geo = client.get("/angebote.geojson", params=params).json()
    assert sorted(f["id"] for f in geo["features"]) == ids
    first = next(f for f in geo["features"] if f["properties"]["name"] == "Kita Regenbogen")
    assert first["geometry"]["coordinates"] == [7.2162, 51.4818]


def test_json_items_carry_the_contract_fields(client, catalogue):
    item = client.get("/angebote.json", params={"q": "Regenbogen"}).json()["items"][0]
    for key in (
        "id",
        "name",
        "categories",
        "district",
        "street",
        "postcode",
        "lat",
        "lon",
        "website",
        "last_verified",
    ):
        assert key in item
    assert item["categories"] == ["kita", "familienzentrum"]
    assert item["district"] == "mitte"


def test_csv_and_geojson_export_every_match_not_one_page(client, session):
    for i in range(25):
        make_offer(session, name=f"Bolzplatz {i} (generiert)", category="spielplatz")
    assert client.get("/angebote.json").json()["total"] == 25
    assert len(client.get("/angebote.json").json()["items"]) == 20
    assert client.get("/angebote.csv").text.count("\r\n") == 26
    assert len(client.get("/angebote.geojson").json()["features"]) == 25


def test_exports_carry_the_same_fields_and_values_as_the_json_twin(client, catalogue):
    for params in ({}, {"lat": "51.4818", "lon": "7.2162", "umkreis": "20000"}):
        items = client.get("/angebote.json", params=params).json()["items"]
        features = client.get("/angebote.geojson", params=params).json()["features"]
        assert len(items) == len(features) > 0
        for item, feature in zip(items, features, strict=True):
            props = dict(feature["properties"])
            lon_lat = feature["geometry"]["coordinates"] if feature["geometry"] else None
            assert lon_lat == ([item["lon"], item["lat"]] if item["lat"] is not None else None)
            assert props == {k: v for k, v in item.items() if k not in ("lat", "lon")}
        rows = list(
            csv.DictReader(
                io.StringIO(client.get("/angebote.csv", params=params).text.lstrip("\ufeff")),
                delimiter=";",
            )
        )
        assert [r["name"] for r in rows] == [i["name"] for i in items]
        assert [r["distance_m"] for r in rows] == [  # the CSV convention: decimal comma
            "" if i["distance_m"] is None else number_text(i["distance_m"]) for i in items
        ]


def test_text_results_are_ranked_by_relevance_names_first(session, data_dir):
    add_districts(session, data_dir)
    make_offer(
        session,
        name="Aaa Beratungshaus (generiert)",
        category="beratung",
        description="Kurse der Familienbildung, auch für Eltern",
    )
    make_offer(session, name="Zentrum für Familienbildung (generiert)", category="familienbildung")
    make_offer(session, name="Familienbildungsstätte Süd (generiert)", category="familienbildung")
    make_offer(session, name="Kita Abc (generiert)", category="kita")
    ranked = [h.offer.name for h in search_offers(session, Filters(q="Familienbildung")).hits]
    assert ranked == [
        "Familienbildungsstätte Süd (generiert)",  # the name begins with it
        "Zentrum für Familienbildung (generiert)",  # the name holds it
        "Aaa Beratungshaus (generiert)",
    ]  # only the description does


def test_barrier_free_filter_says_when_no_offer_of_the_kind_has_accessibility_facts(
    client, catalogue
):
    page = client.get(
        "/angebote", params={"kategorie": "familienbildung", "barrierefrei": "1"}
    ).text
    assert "Für keine Familienbildungsstätte liegen Angaben zur Barrierefreiheit vor" in page
    page = client.get(
        "/angebote", params={"kategorie": "kita", "barrierefrei": "1", "bezirk": "mitte"}
    ).text
    assert "Angaben zur Barrierefreiheit vor" not in page  # a Kita elsewhere has them
    assert "Keine Treffer" in page


def test_htmx_pushes_a_url_with_only_the_parameters_that_are_set(client, catalogue):
    response = client.get(
        "/angebote?q=Kita&kategorie=kita&bezirk=&alter=&nahe=&umkreis=&lat=&lon=",
        headers={"HX-Request": "true"},
    )
    assert response.headers["HX-Push-Url"] == "/angebote?q=Kita&kategorie=kita"

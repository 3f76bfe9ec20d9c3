"""A filter never keeps offers silently: offers that do not state the fact a filter asks
about are listed after the known matches, counted and labelled, and the twins say which
is which (issue 16, point 4: ``/angebote?nahe=44866&alter=1``)."""

import re

import pytest

from tests.factories import add_districts, make_offer


@pytest.fixture
def offers(session, data_dir):
    add_districts(session, data_dir)
    make_offer(session, name="Bolzplatz Hüller Str. (generiert)", category="spielplatz")
    make_offer(session, name="Abenteuerspielplatz (generiert)", category="spielplatz")
    make_offer(session, name="Kita Zwergenland (generiert)", age_min=0, age_max=6)
    make_offer(session, name="Jugendtreff (generiert)", age_min=10, age_max=27)


def names_in(html: str) -> list[str]:
    return re.findall(r'class="offer-name"><a [^>]+>([^<]+)</a>', html)


def test_offers_without_an_age_come_after_the_known_matches_apart_and_counted(client, offers):
    page = client.get("/angebote", params={"alter": "1"}).text
    assert names_in(page) == [
        "Kita Zwergenland (generiert)",
        "Abenteuerspielplatz (generiert)",
        "Bolzplatz Hüller Str. (generiert)",
    ]
    known, apart = page.split('id="apart-heading"')
    assert "Kita Zwergenland" in known and "Bolzplatz" not in known
    assert "Alter nicht angegeben (2)</h2>" in apart
    assert "2 Angebote: Alter nicht angegeben." in page
    assert apart.count("<strong>Alter nicht angegeben</strong>") == 2
    assert "Jugendtreff" not in page


def test_the_twins_say_which_offers_do_not_state_an_age(client, offers):
    data = client.get("/angebote.json", params={"alter": "1"}).json()
    assert [(i["name"], i["unknown"]) for i in data["items"]] == [
        ("Kita Zwergenland (generiert)", []),
        ("Abenteuerspielplatz (generiert)", ["alter"]),
        ("Bolzplatz Hüller Str. (generiert)", ["alter"]),
    ]
    assert data["apart"] == {
        "total": 2,
        "filters": {"alter": {"count": 2, "label": "Alter nicht angegeben"}},
    }
    api = client.get("/api/v1/offers", params={"alter": "1"}).json()
    assert [i["unknown"] for i in api["items"]] == [i["unknown"] for i in data["items"]]
    features = client.get("/angebote.geojson", params={"alter": "1"}).json()["features"]
    assert [f["properties"]["unknown"] for f in features] == [[], ["alter"], ["alter"]]


def test_without_an_age_filter_nothing_is_set_apart(client, offers):
    data = client.get("/angebote.json").json()
    assert "apart" not in data and all(i["unknown"] == [] for i in data["items"])
    assert 'id="apart-heading"' not in client.get("/angebote").text

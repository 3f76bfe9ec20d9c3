"""What a parent gets from the real Bochum data (imported once per backend): the
neighbourhood names, the whole city, a postcode outside Bochum, a postcode across the
polygon border, an OGS offer's phone, relevance and the accessibility filter."""

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import Offer, OfferCategory


@pytest.fixture
def real_client(real_engine: Engine) -> Iterator:
    from fastapi.testclient import TestClient

    from app.db.session import get_session
    from app.main import create_app

    app = create_app()

    def _session() -> Iterator[Session]:
        with Session(real_engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as client:
        yield client


def near(client, **params) -> dict:
    return client.get("/angebote.json", params=params).json()


@pytest.mark.parametrize(
    ("typed", "label"),
    [("Weitmar", "Weitmar"), ("Langendreer", "Langendreer"), ("Bochum-Querenburg", "Querenburg")],
)
def test_stadtteil_names_search_around_their_centre_point(real_client, typed, label):
    data = near(real_client, nahe=typed)
    assert data["near"]["kind"] == "stadtteil" and data["near"]["label"] == label
    assert data["near"]["radius_m"] == 1500 and data["total"] > 10
    assert max(i["distance_m"] for i in data["items"]) <= 1500
    page = real_client.get("/angebote", params={"nahe": typed}).text
    assert f"um den Ortsmittelpunkt von {label}" in page


def test_bochum_is_the_whole_city(real_client):
    data = near(real_client, nahe="Bochum")
    everything = near(real_client)
    assert data["near"]["kind"] == "city" and data["total"] == everything["total"] >= 590


def test_a_dortmund_postcode_is_not_in_bochum_and_gets_the_nearest_bochum_postcodes(real_client):
    response = real_client.get("/angebote.json", params={"nahe": "44137"})
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["msg"].startswith("Die Postleitzahl 44137 liegt nicht in Bochum.")
    assert detail["ctx"]["suggestions"] == ["44892", "44894", "44805"]


def test_postcode_search_finds_villa_luna_across_the_polygon_border(real_client):
    names = [i["name"] for i in near(real_client, nahe="44789", kategorie="kita")["items"]]
    assert any("Villa Luna" in name for name in names)


def test_an_ogs_offer_page_shows_the_schools_phone_as_a_link(real_engine, real_client):
    with Session(real_engine) as session:
        ogs = session.exec(
            select(Offer)
            .join(OfferCategory)
            .where(OfferCategory.category == "ogs", Offer.source_id == "189")
        ).one()
    page = real_client.get(f"/angebote/{ogs.id}").text
    assert '<a class="contact-link" href="tel:0234865025">0234 865025</a>' in page
    assert 'href="mailto:128480@schule.nrw.de"' in page
    assert "Route planen" in page and "dl-de/by-2-0" in page


def test_familienbildung_lists_a_familienbildungsstaette_first(real_client):
    items = near(real_client, q="Familienbildung")["items"]
    assert items[0]["name"] == "Familienbildungsstätte der Stadt Bochum"
    assert all("Familienbildung" in i["name"] for i in items[:5])


def test_only_barrier_free_kitas_says_that_no_kita_has_accessibility_facts(real_client):
    page = real_client.get("/angebote", params={"kategorie": "kita", "barrierefrei": "1"}).text
    assert "Für keine Kita liegen Angaben zur Barrierefreiheit vor." in page


def test_an_approximate_point_says_so_on_the_page_and_an_exact_one_does_not(
    real_engine, real_client
):
    with Session(real_engine) as session:
        woody = session.exec(select(Offer).where(Offer.source_id == "kjfh-woody")).one()
        kita = session.exec(select(Offer).where(Offer.category == "kita")).first()
    assert "ungefähre Lage" in real_client.get(f"/angebote/{woody.id}").text
    assert "ungefähre Lage" not in real_client.get(f"/angebote/{kita.id}").text
    karte = real_client.get("/karte", params={"kategorie": "jugendfreizeithaus"}).text
    assert 'class="map-marker map-kind-jugendfreizeithaus map-approx"' in karte

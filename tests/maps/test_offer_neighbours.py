"""The offer page's same-kind neighbours: the nearest offers of its own kind within
1.5 km, nearest first, whichever way the database is asked (by the kind for a rare
kind, by growing circles of the spatial index for a common one)."""

import math
import re

import pytest
from sqlmodel import select

from app.catalogue.write import archive_offer, create_offers
from app.catalogue.writers import IMPORT, NewOffer, SourceInfo
from app.maps import offer_map
from app.models import Location, Offer, OfferCreate
from app.search import kinds
from tests.factories import add_districts

CENTRE = (7.2162, 51.4818)  # Bochum-Mitte


def _grid(kind: str, n: int, step: float, tag: str) -> list[NewOffer]:
    """``n`` offers of ``kind`` on a grid around the centre, some beyond 1.5 km."""
    side = math.ceil(math.sqrt(n))
    return [
        NewOffer(
            OfferCreate(
                name=f"{kind} {tag}{i} (generiert)",
                category=kind,
                lon=CENTRE[0] + (i % side - side / 2) * step,
                lat=CENTRE[1] + (i // side - side / 2) * step * 0.62,
            ),
            SourceInfo("test", f"{tag}{i}"),
        )
        for i in range(n)
    ]


@pytest.fixture
def city(session, data_dir):
    """40 playgrounds among 400 Kitas, both spread beyond 1.5 km of the centre, and one
    archived playground right beside the centre."""
    add_districts(session, data_dir)
    create_offers(session, _grid("kita", 400, 0.0025, "k"), IMPORT)
    create_offers(session, _grid("spielplatz", 40, 0.006, "s"), IMPORT)
    [gone] = create_offers(
        session,
        [
            NewOffer(
                OfferCreate(
                    name="Spielplatz geschlossen (generiert)",
                    category="spielplatz",
                    lon=CENTRE[0] + 0.0002,
                    lat=CENTRE[1],
                ),
                SourceInfo("test", "gone"),
            )
        ],
        IMPORT,
    )
    session.commit()
    archive_offer(session, session.get(Offer, gone), IMPORT)
    session.commit()
    return session


def _by_hand(session, offer: Offer) -> list[tuple[int, int]]:
    """The nearest twelve of the same kind within 1.5 km, worked out from every row."""
    rows = session.exec(
        select(Offer.id, Location.x, Location.y)
        .join(Location, Location.id == Offer.location_id)
        .where(Offer.category == offer.category, Offer.archived_at.is_(None))
    ).all()
    here = offer.location
    found = sorted(
        (math.hypot(x - here.x, y - here.y), i)
        for i, x, y in rows
        if i != offer.id and math.hypot(x - here.x, y - here.y) <= offer_map.NEARBY_M
    )
    return [(i, round(d)) for d, i in found[: offer_map.NEARBY_MAX]]


def _central(session, kind: str) -> Offer:
    rows = session.exec(
        select(Offer)
        .join(Location, Location.id == Offer.location_id)
        .where(Offer.category == kind, Offer.archived_at.is_(None))
    ).all()
    centre = min(
        rows, key=lambda o: abs(o.location.lon - CENTRE[0]) + abs(o.location.lat - CENTRE[1])
    )
    return centre


@pytest.mark.parametrize("kind", ["spielplatz", "kita"])
@pytest.mark.parametrize("by_kind", [True, False], ids=["by-kind", "by-circles"])
def test_both_ways_give_the_nearest_twelve_of_the_kind(city, kind, by_kind, monkeypatch):
    monkeypatch.setattr(offer_map, "RARE_KIND_MAX", 10_000 if by_kind else 0)
    monkeypatch.setattr(kinds, "RARE_KIND_MAX", 10_000 if by_kind else 0)
    offer = _central(city, kind)
    got = [(p.offer_id, p.distance_m) for p in offer_map.nearby_same_kind(city, offer)]
    assert got == _by_hand(city, offer)
    assert len(got) == offer_map.NEARBY_MAX  # the grid holds more than twelve within 1.5 km
    names = {city.get(Offer, i).name for i, _d in got}
    assert all(n.startswith(kind) for n in names)  # no Kita among the playgrounds
    assert "Spielplatz geschlossen (generiert)" not in names  # archived


def test_the_offer_page_lists_the_playgrounds_nearest_first(city, client):
    offer = _central(city, "spielplatz")
    page = client.get(f"/angebote/{offer.id}")
    assert page.status_code == 200
    listed = re.findall(r'<ul class="nearby-offers">(.*?)</ul>', page.text, re.S)[0]
    ids = [int(i) for i in re.findall(r'href="/angebote/(\d+)"', listed)]
    assert ids == [i for i, _d in _by_hand(city, offer)]
    assert "spielplatz" in listed and "kita " not in listed


def test_a_new_playground_next_door_is_listed_first_at_once(city, client):
    """The kinds' counts are kept per catalogue version: a new offer is seen at once."""
    offer = _central(city, "spielplatz")
    here = offer.location
    client.get(f"/angebote/{offer.id}")  # counts kept
    [new] = create_offers(
        city,
        [
            NewOffer(
                OfferCreate(
                    name="Spielplatz Neu (generiert)",
                    category="spielplatz",
                    lon=here.lon + 0.0003,
                    lat=here.lat,
                ),
                SourceInfo("test", "new"),
            )
        ],
        IMPORT,
    )
    city.commit()
    listed = re.findall(
        r'<ul class="nearby-offers">(.*?)</ul>', client.get(f"/angebote/{offer.id}").text, re.S
    )[0]
    assert re.findall(r'href="/angebote/(\d+)"', listed)[0] == str(new)

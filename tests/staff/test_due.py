"""/verwaltung/pruefen: the entries to check, filtered by kind, district and provider
with a GET form (a URL to share), never checked first, then the oldest check."""

import re
from datetime import date, timedelta

import pytest

from app.models import Offer
from tests.factories import add_districts, make_offer
from tests.staff.helpers import form_token, make_user, sign_in

TODAY = date.today()


@pytest.fixture
def due(client, session, data_dir):  # noqa: ANN001, ANN201
    add_districts(session, data_dir)
    make_user(session)
    offers = {
        "kita-mitte-never-old": make_offer(
            session,
            name="Kita Alte Quelle (generiert)",
            district="mitte",
            provider_name="Träger Eins (generiert)",
            source_changed=date(2011, 1, 1),
        ),
        "kita-mitte-never-new": make_offer(
            session,
            name="Kita Aaa Neue Quelle (generiert)",
            district="mitte",
            provider_name="Träger Eins (generiert)",
            source_changed=date(2023, 1, 1),
        ),
        "kita-watt-2y": make_offer(
            session,
            name="Kita Wattenscheid (generiert)",
            district="wattenscheid",
            provider_name="Träger Zwei (generiert)",
            last_verified=TODAY - timedelta(days=730),
        ),
        "ogs-mitte-13m": make_offer(
            session,
            name="OGS Mitte (generiert)",
            category="ogs",
            district="mitte",
            provider_name="Träger Zwei (generiert)",
            last_verified=TODAY - timedelta(days=400),
        ),
        "kita-mitte-fresh": make_offer(
            session,
            name="Kita Frisch geprüft (generiert)",
            district="mitte",
            provider_name="Träger Eins (generiert)",
            last_verified=TODAY - timedelta(days=30),
        ),
    }
    sign_in(client)
    return offers


def _names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/verwaltung/angebote/\d+">([^<]+)</a></td>', html)


def _option(html: str, select: str, value: str) -> str:
    block = re.search(rf'<select id="{select}".*?</select>', html, re.S).group(0)
    return re.search(rf'<option value="{re.escape(value)}"[^>]*>([^<]*)</option>', block).group(1)


def test_never_checked_come_first_oldest_source_first_then_the_oldest_check(client, due):
    html = client.get("/verwaltung/pruefen").text
    assert _names(html) == [
        "Kita Alte Quelle (generiert)",  # never checked, source of 2011
        "Kita Aaa Neue Quelle (generiert)",  # never checked, source of 2023
        "Kita Wattenscheid (generiert)",  # checked two years ago
        "OGS Mitte (generiert)",  # checked 13 months ago
    ]
    assert "4 Einträge, davon 2 nie geprüft" in html


def test_filters_by_kind_district_and_provider_with_a_shareable_get_form(client, due, session):
    html = client.get("/verwaltung/pruefen").text
    form = re.search(r'<form method="get" action="/verwaltung/pruefen".*?</form>', html, re.S)
    assert form, "no GET form"
    # Each choice says how many entries it lists (with the other filters applied).
    assert _option(html, "kategorie", "kita") == "Kitas (3)"
    assert _option(html, "kategorie", "ogs") == "Offene Ganztagsschulen (OGS) (1)"
    assert _option(html, "bezirk", "mitte") == "Mitte (3)"
    provider_two = session.get(Offer, due["kita-watt-2y"].id).provider_id
    assert _option(html, "traeger", str(provider_two)) == "Träger Zwei (generiert) (2)"

    kita_mitte = client.get("/verwaltung/pruefen?kategorie=kita&bezirk=mitte")
    assert _names(kita_mitte.text) == [
        "Kita Alte Quelle (generiert)",
        "Kita Aaa Neue Quelle (generiert)",
    ]
    assert "2 Einträge, davon 2 nie geprüft" in kita_mitte.text
    # The form shows what the URL chose, and the counts follow the other filters.
    assert re.search(r'<option value="kita" selected>', kita_mitte.text)
    assert _option(kita_mitte.text, "kategorie", "ogs") == "Offene Ganztagsschulen (OGS) (1)"
    assert _option(kita_mitte.text, "bezirk", "wattenscheid") == "Wattenscheid (1)"
    assert _option(kita_mitte.text, "bezirk", "nord") == "Nord (0)"

    by_provider = client.get(f"/verwaltung/pruefen?traeger={provider_two}")
    assert _names(by_provider.text) == ["Kita Wattenscheid (generiert)", "OGS Mitte (generiert)"]


def test_an_unknown_filter_value_is_named_and_the_rest_applies(client, due):
    response = client.get("/verwaltung/pruefen?kategorie=kita&bezirk=atlantis&traeger=999999")
    assert response.status_code == 200
    assert "Diesen Stadtbezirk gibt es nicht." in response.text
    assert "Diesen Träger gibt es nicht." in response.text
    assert 'href="#bezirk"' in response.text  # the error summary links to the field
    assert len(_names(response.text)) == 3  # the kind still applies


def test_marking_checked_from_a_filtered_list_comes_back_to_the_same_filter(client, due, session):
    url = "/verwaltung/pruefen?kategorie=kita&bezirk=mitte"
    html = client.get(url).text
    offer = due["kita-mitte-never-old"]
    response = client.post(
        f"/verwaltung/angebote/{offer.id}/pruefen",
        data={
            "csrf_token": form_token(html),
            "version": str(offer.version),
            "zurueck": "/verwaltung/pruefen?kategorie=kita&bezirk=mitte",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == url
    assert 'name="zurueck" value="/verwaltung/pruefen?kategorie=kita&amp;bezirk=mitte"' in html
    assert _names(client.get(url).text) == ["Kita Aaa Neue Quelle (generiert)"]

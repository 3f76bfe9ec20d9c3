"""Issue 19: open now (with NRW holidays), free of charge, languages, form of offer,
accessibility facts and babies' ages, each declared once in ``app.search.filters``.

On a fixed clock; the search's SQL and the Python rules that word each result agree;
every filter gives the same offers in the page, the partial, the twins and the API, on
SQLite and PostgreSQL; a bad value is a 422 naming it and a message on the page."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.catalogue import opening
from app.config import get_settings
from app.search.filters import Filters
from app.search.query import search_offers
from tests.factories import make_offer

BERLIN = ZoneInfo("Europe/Berlin")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def weekdays(opens: str, closes: str, days=range(5)) -> list[dict]:
    return [{"weekday": d, "opens": opens, "closes": closes} for d in days]


@pytest.fixture
def hours(session):
    return {
        "kita": make_offer(
            session,
            name="Kita Wochentags (generiert)",
            opening_hours=weekdays("07:00", "16:30"),
            closed_on_holidays=True,
            closed_school_holidays="sommerferien",
        ),
        "kita_summer": make_offer(
            session,
            name="Kita Sommer offen (generiert)",
            opening_hours=weekdays("07:00", "16:30"),
            closed_on_holidays=True,
            closed_school_holidays="sommerferien:3",
        ),
        "night": make_offer(
            session,
            name="Nachtcafé (generiert)",
            category="beratung",
            opening_hours=[{"weekday": 0, "opens": "22:00", "closes": "02:00"}],
        ),
        "always": make_offer(
            session,
            name="Notruf rund um die Uhr (generiert)",
            category="beratung",
            opening_hours=weekdays("00:00", "23:59", range(7)),  # the form keeps 24:00 so
        ),
        "unknown": make_offer(session, name="Spielplatz ohne Zeiten (generiert)"),
    }


def open_names(session, now: datetime) -> set[str]:
    result = search_offers(session, Filters(geoeffnet="jetzt"), page_size=None, now=now)
    return {h.offer.name for h in result.hits if not h.unknown}


CASES = [
    # (moment, open by the search and by the words)
    (at(2026, 6, 2, 10, 0), {"kita", "kita_summer", "always"}),  # Tuesday
    (at(2026, 6, 6, 10, 0), {"always"}),  # Saturday
    (at(2026, 12, 25, 10, 0), {"always"}),  # Christmas Day (a Friday)
    (at(2026, 6, 4, 10, 0), {"always"}),  # Fronleichnam, a Thursday
    (at(2026, 7, 21, 10, 0), {"always"}),  # summer holidays, week 1
    (at(2026, 8, 11, 10, 0), {"kita_summer", "always"}),  # summer holidays, week 4
    (at(2026, 6, 1, 23, 0), {"night", "always"}),  # Monday 23:00
    (at(2026, 6, 2, 1, 0), {"night", "always"}),  # Tuesday 01:00: Monday night
    (at(2026, 6, 2, 3, 0), {"always"}),
    (at(2026, 6, 7, 3, 17), {"always"}),  # Sunday night
    (at(2026, 6, 3, 23, 59), {"always"}),
]


@pytest.mark.parametrize("moment, expected", CASES, ids=[c[0].isoformat() for c in CASES])
def test_open_now_on_a_fixed_clock_in_sql_and_in_words(session, hours, moment, expected):
    names = {key: o.name for key, o in hours.items()}
    assert open_names(session, moment) == {names[k] for k in expected}
    for key, offer in hours.items():
        session.refresh(offer)
        assert opening.is_open(offer, moment) == (key in expected), key


def test_each_result_says_when_it_is_open_in_words(session, hours):
    state = {k: o for k, o in hours.items()}
    for o in state.values():
        session.refresh(o)
    words = lambda key, moment: opening.status_at(state[key], moment).text  # noqa: E731
    assert words("kita", at(2026, 6, 2, 10, 0)) == "jetzt geöffnet, bis 16:30"
    assert words("kita", at(2026, 6, 6, 10, 0)) == "geschlossen, öffnet Mo 7:00"
    assert words("kita", at(2026, 6, 4, 10, 0)) == (
        "heute geschlossen (Feiertag: Fronleichnam), öffnet Fr 7:00"
    )
    assert words("kita", at(2026, 6, 2, 6, 0)) == "geschlossen, öffnet heute 7:00"
    assert words("night", at(2026, 6, 1, 23, 0)) == "jetzt geöffnet, bis Di 2:00"
    assert words("always", at(2026, 6, 7, 3, 17)) == "rund um die Uhr geöffnet"
    assert words("unknown", at(2026, 6, 2, 10, 0)) == "Öffnungszeiten unbekannt"


def test_offers_without_hours_are_listed_apart_not_hidden(client, session, hours, monkeypatch):
    monkeypatch.setattr(get_settings(), "clock", at(2026, 6, 6, 10, 0))  # Saturday
    data = client.get("/angebote.json", params={"geoeffnet": "jetzt"}).json()
    assert [(i["name"], i["unknown"]) for i in data["items"]] == [
        ("Notruf rund um die Uhr (generiert)", []),
        ("Spielplatz ohne Zeiten (generiert)", ["geoeffnet"]),
    ]
    assert data["apart"]["filters"]["geoeffnet"] == {
        "count": 1,
        "label": "Öffnungszeiten unbekannt",
    }
    page = client.get("/angebote", params={"geoeffnet": "jetzt"}).text
    assert "Öffnungszeiten unbekannt (1)</h2>" in page
    assert "rund um die Uhr geöffnet" in page


def test_open_on_a_weekday_and_at_a_time(session, hours):
    monday = at(2026, 6, 1, 12, 0)
    found = search_offers(session, Filters(geoeffnet="sa"), page_size=None, now=monday)
    assert {h.offer.name for h in found.hits if not h.unknown} == {hours["always"].name}
    found = search_offers(session, Filters(geoeffnet="mo-23:30"), page_size=None, now=monday)
    assert {h.offer.name for h in found.hits if not h.unknown} == {
        hours["night"].name,
        hours["always"].name,
    }


@pytest.fixture
def facts(session):
    return [
        make_offer(
            session,
            name="Elterncafé Türkisch (generiert)",
            category="familienbildung",
            opening_hours=weekdays("09:00", "12:00"),
            costs_kind="frei",
            languages=["Deutsch", "Türkisch"],
            delivery=["vor-ort"],
            lift=True,
            age_min_months=0,
            age_max_months=12,
        ),
        make_offer(
            session,
            name="Beratung online (generiert)",
            category="beratung",
            opening_hours=weekdays("10:00", "14:00", [5]),
            costs_kind="kosten",
            languages=["Arabic"],
            delivery=["online", "telefon"],
            age_min=16,
            age_max=99,
        ),
        make_offer(
            session,
            name="Begrüßungsteam (generiert)",
            category="begruessungsteam",
            costs_kind="frei",
            languages=["uk"],
            delivery=["aufsuchend"],
            age_min_months=0,
            age_max_months=11,
        ),
        make_offer(session, name="Unbekannt (generiert)", category="sonstiges"),
    ]


FILTER_CASES = [
    ({"kosten": "frei"}, ["Begrüßungsteam", "Elterncafé Türkisch"], 1),
    ({"sprache": "tr"}, ["Elterncafé Türkisch"], 1),
    ({"sprache": ["ar", "uk"]}, ["Begrüßungsteam", "Beratung online"], 1),
    ({"angebotsform": "aufsuchend"}, ["Begrüßungsteam"], 1),
    ({"angebotsform": "telefon"}, ["Beratung online"], 1),
    ({"barrierefrei": "aufzug"}, ["Elterncafé Türkisch"], 0),
    ({"alter": "0"}, ["Begrüßungsteam", "Elterncafé Türkisch"], 1),
    ({"alter_monate": "4"}, ["Begrüßungsteam", "Elterncafé Türkisch"], 1),
    ({"alter_monate": "12"}, ["Elterncafé Türkisch"], 1),
    # On the fixed clock of the test (Tuesday 2 June 2026, 10:00).
    ({"geoeffnet": "jetzt"}, ["Elterncafé Türkisch"], 2),
    ({"geoeffnet": "sa-11:00"}, ["Beratung online"], 2),
    ({"geoeffnet": "mo"}, ["Elterncafé Türkisch"], 2),
]


def known_and_apart(items):
    known = sorted(i["name"].removesuffix(" (generiert)") for i in items if not i["unknown"])
    return known, sum(1 for i in items if i["unknown"])


@pytest.mark.parametrize("params, known, apart", FILTER_CASES)
def test_each_filter_gives_the_same_offers_in_page_partial_twins_and_api(
    client, facts, params, known, apart, monkeypatch
):
    monkeypatch.setattr(get_settings(), "clock", at(2026, 6, 2, 10, 0))
    data = client.get("/angebote.json", params=params).json()
    assert known_and_apart(data["items"]) == (known, apart)
    api = client.get("/api/v1/offers", params=params).json()
    assert known_and_apart(api["items"]) == (known, apart)
    features = client.get("/angebote.geojson", params=params).json()["features"]
    assert known_and_apart(
        [{"name": f["properties"]["name"], "unknown": f["properties"]["unknown"]} for f in features]
    ) == (known, apart)
    csv_text = client.get("/angebote.csv", params=params).text
    assert csv_text.count("(generiert)") == len(known) + apart
    for headers in ({}, {"HX-Request": "true"}):
        html = client.get("/angebote", params=params, headers=headers).text
        names = re.findall(r'class="offer-name"><a [^>]+>([^<]+) \(generiert\)</a>', html)
        assert sorted(names[: len(known)]) == known
        assert len(names) == len(known) + apart


@pytest.mark.parametrize(
    "params, name",
    [
        ({"geoeffnet": "morgen"}, "geoeffnet"),
        ({"geoeffnet": "mo-25:00"}, "geoeffnet"),
        ({"kosten": "billig"}, "kosten"),
        ({"sprache": "xx"}, "sprache"),
        ({"sprache": "deutsch"}, "sprache"),
        ({"angebotsform": "brief"}, "angebotsform"),
        ({"barrierefrei": "rampe"}, "barrierefrei"),
        ({"alter_monate": "vier"}, "alter_monate"),
    ],
)
def test_a_bad_value_is_a_422_naming_it_and_a_message_on_the_page(client, params, name):
    for path in ("/angebote.json", "/angebote.csv", "/angebote.geojson", "/api/v1/offers"):
        response = client.get(path, params=params)
        assert response.status_code == 422, path
        assert [d["loc"] for d in response.json()["detail"]] == [["query", name]], path
    page = client.get("/angebote", params=params)
    assert page.status_code == 200
    assert f'href="#{name}"' in page.text or f'id="{name}-error"' in page.text


def test_a_clock_dependent_search_is_cached_no_longer_than_its_minute(client, hours):
    response = client.get("/angebote", params={"geoeffnet": "jetzt"})
    control = response.headers["cache-control"]
    max_age = int(re.search(r"max-age=(\d+)", control).group(1))
    assert max_age <= 60 and "stale-while-revalidate" not in control


def test_the_form_offers_the_languages_that_occur(client, facts):
    page = client.get("/angebote").text
    offered = re.findall(r'name="sprache" value="([a-z]{2})"', page)
    assert sorted(offered) == ["ar", "de", "tr", "uk"]  # Deutsch, Arabic, Türkisch, uk


def _headlines(html: str) -> dict[str, str]:
    """The headline wherever a result page shows it: title, h2, the live region."""
    found = {
        "title": re.search(r"<title>([^<]*)</title>", html),
        "h2": re.search(r'<h2 class="result-summary" id="result-summary">([^<]*)</h2>', html),
        "live": re.search(r'<div id="live-status" hx-swap-oob="innerHTML">([^<]*)</div>', html),
    }
    return {k: m.group(1) for k, m in found.items() if m}


def test_the_headline_counts_the_known_matches_and_those_listed_apart(client, hours, monkeypatch):
    monkeypatch.setattr(get_settings(), "clock", at(2026, 6, 6, 10, 0))  # Saturday
    said = "1 Angebot jetzt geöffnet, dazu 1 gesondert (Öffnungszeiten unbekannt)"
    page = _headlines(client.get("/angebote", params={"geoeffnet": "jetzt"}).text)
    assert page["h2"] == said
    assert page["title"].startswith(said + " – ")
    partial = client.get("/angebote", params={"geoeffnet": "jetzt"}, headers={"HX-Request": "true"})
    assert _headlines(partial.text) == {"title": page["title"], "h2": said, "live": said}
    on_map = _headlines(client.get("/karte", params={"geoeffnet": "jetzt"}).text)
    assert on_map["h2"] == said and on_map["title"].startswith(f"Karte: {said}")
    # Two filters with unknown facts: one count, under the page's words for it.
    both = _headlines(client.get("/angebote", params={"geoeffnet": "jetzt", "kosten": "frei"}).text)
    assert both["h2"] == (
        "0 Angebote jetzt geöffnet kostenlos, dazu 2 gesondert (Nicht alle Angaben bekannt)"
    )


# --- a school year the ``holidays`` library does not know (2029/30, holidays 0.109) ---

UNSURE_CASES = [
    # (moment, known to be open, open only if it is no school holiday)
    (at(2029, 6, 12, 10, 0), {"kita", "kita_summer", "always"}, set()),  # 2028/29: known
    (at(2029, 8, 7, 10, 0), {"kita_summer", "always"}, set()),  # known summer, week 6
    (at(2029, 8, 20, 10, 0), {"always"}, {"kita", "kita_summer"}),  # after the summer
    (at(2029, 10, 16, 10, 0), {"always"}, {"kita", "kita_summer"}),  # a Tuesday
    (at(2029, 10, 16, 1, 0), {"night", "always"}, {"night_closing"}),  # Monday night
    (at(2029, 10, 15, 23, 0), {"night", "always"}, {"night_closing"}),
    (at(2029, 10, 20, 10, 0), {"always"}, set()),  # Saturday: closed either way
    (at(2029, 11, 1, 10, 0), {"always"}, set()),  # Allerheiligen: closed either way
]


@pytest.mark.parametrize(
    "moment, expected, unsure", UNSURE_CASES, ids=[c[0].isoformat() for c in UNSURE_CASES]
)
def test_in_a_school_year_the_library_does_not_know_school_closing_offers_are_unsure(
    session, hours, moment, expected, unsure
):
    offers = {
        **hours,
        "night_closing": make_offer(
            session,
            name="Nachtcafé mit Ferien (generiert)",
            category="beratung",
            opening_hours=[{"weekday": 0, "opens": "22:00", "closes": "02:00"}],
            closed_school_holidays="alle",
        ),
    }
    result = search_offers(session, Filters(geoeffnet="jetzt"), page_size=None, now=moment)
    by_name = {o.name: k for k, o in offers.items()}
    assert {by_name[h.offer.name] for h in result.hits if not h.unknown} == expected
    assert {by_name[h.offer.name] for h in result.hits if h.unknown} == unsure | {"unknown"}
    for key, offer in offers.items():
        session.refresh(offer)
        assert opening.is_open(offer, moment) == (key in expected), key
        assert (opening.unsure_at(offer, moment) == "2029/30") == (key in unsure), key
        if key in unsure:
            assert opening.status_at(offer, moment) == opening.Status(
                "unknown",
                "Schulferien 2029/30 noch nicht hinterlegt – ob geöffnet ist, bitte beim "
                "Angebot erfragen",
            )


def test_an_unsure_opening_is_not_promised_in_words(session, hours):
    kita = hours["kita"]
    session.refresh(kita)
    words = lambda moment: opening.status_at(kita, moment).text  # noqa: E731
    maybe = "(Schulferien 2029/30 noch nicht hinterlegt)"
    assert words(at(2029, 10, 20, 10, 0)) == f"geschlossen, öffnet vielleicht Mo 7:00 {maybe}"
    assert words(at(2029, 10, 16, 6, 0)) == f"geschlossen, öffnet vielleicht heute 7:00 {maybe}"
    assert words(at(2029, 11, 1, 10, 0)) == (
        f"heute geschlossen (Feiertag: Allerheiligen), öffnet vielleicht Fr 7:00 {maybe}"
    )
    assert words(at(2029, 6, 12, 10, 0)) == "jetzt geöffnet, bis 16:30"
    assert opening.status_at(hours["always"], at(2029, 10, 16, 10, 0)).state == "open"


def test_the_twins_list_an_unsure_offer_apart_and_the_page_says_why(client, hours, monkeypatch):
    monkeypatch.setattr(get_settings(), "clock", at(2029, 10, 16, 10, 0))
    expected = [
        ("Notruf rund um die Uhr (generiert)", []),
        ("Kita Sommer offen (generiert)", ["geoeffnet"]),
        ("Kita Wochentags (generiert)", ["geoeffnet"]),
        ("Spielplatz ohne Zeiten (generiert)", ["geoeffnet"]),
    ]
    for path in ("/angebote.json", "/api/v1/offers"):
        data = client.get(path, params={"geoeffnet": "jetzt"}).json()
        assert [(i["name"], i["unknown"]) for i in data["items"]] == expected, path
    page = client.get("/angebote", params={"geoeffnet": "jetzt"}).text
    assert _headlines(page)["h2"] == (
        "1 Angebot jetzt geöffnet, dazu 3 gesondert (Öffnungszeiten unbekannt)"
    )
    assert page.count("Schulferien 2029/30 noch nicht hinterlegt – ob geöffnet ist") == 2
    # The next Monday (22 October 2029) too: the Kitas apart, the Monday night café not.
    monday = client.get("/angebote.json", params={"geoeffnet": "mo"}).json()
    assert {i["name"]: i["unknown"] for i in monday["items"]} == {
        "Nachtcafé (generiert)": [],
        "Notruf rund um die Uhr (generiert)": [],
        "Kita Sommer offen (generiert)": ["geoeffnet"],
        "Kita Wochentags (generiert)": ["geoeffnet"],
        "Spielplatz ohne Zeiten (generiert)": ["geoeffnet"],
    }


def test_the_offer_page_says_from_when_the_school_holidays_are_unknown(client, hours, monkeypatch):
    monkeypatch.setattr(get_settings(), "clock", at(2029, 10, 16, 10, 0))
    page = client.get(f"/angebote/{hours['kita'].id}").text
    assert "Schulferien 2029/30 noch nicht hinterlegt – ob geöffnet ist, bitte beim" in page
    assert (
        "Die Schulferien 2029/30 sind noch nicht hinterlegt: ob ab 16.10.2029 geöffnet ist, "
        "bitte beim Angebot erfragen."
    ) in page
    assert page.count("07:00–16:30 (falls keine Schulferien sind)") == 5
    assert (
        "(falls keine Schulferien sind)" not in client.get(f"/angebote/{hours['always'].id}").text
    )
    # In the known summer holidays of 2029 (2 July – 14 August): unsure from 15 August.
    monkeypatch.setattr(get_settings(), "clock", at(2029, 7, 20, 10, 0))
    summer = client.get(f"/angebote/{hours['kita_summer'].id}").text
    assert "ob ab 15.08.2029 geöffnet ist" in summer
    assert "falls keine Schulferien sind" not in summer  # the seven days are known


# --- the offer page: the week from today and what differs next ---


def _week_rows(html: str) -> list[tuple[str, str, str]]:
    """(attributes of the row, day, hours) of the offer page's week table."""
    table = html[html.index('<table class="hours">') : html.index("</table>")]
    return re.findall(r"<tr([^>]*)><th scope=\"row\">([^<]+)</th>\s*<td>([^<]*)</td></tr>", table)


def _exceptions(html: str) -> list[str]:
    if '<ul class="hours-exceptions">' not in html:
        return []
    part = html[html.index('<ul class="hours-exceptions">') :]
    return re.findall(r"<li>([^<]+)</li>", part[: part.index("</ul>")])


def test_the_offer_page_shows_the_week_with_today_marked_and_the_next_exceptions(
    client, session, hours, monkeypatch
):
    # 5:30 UTC is 7:30 in Bochum: the page reads the clock in Europe/Berlin.
    monkeypatch.setattr(get_settings(), "clock", datetime(2026, 6, 2, 5, 30, tzinfo=UTC))
    page = client.get(f"/angebote/{hours['kita'].id}").text
    assert '<p class="opening opening-open"><strong>jetzt geöffnet, bis 16:30</strong></p>' in page
    assert _week_rows(page) == [
        (' class="today" aria-current="date"', "Dienstag 02.06. (heute)", "07:00–16:30"),
        ("", "Mittwoch 03.06.", "07:00–16:30"),
        ("", "Donnerstag 04.06.", "geschlossen (Feiertag: Fronleichnam)"),
        ("", "Freitag 05.06.", "07:00–16:30"),
        ("", "Samstag 06.06.", "geschlossen"),
        ("", "Sonntag 07.06.", "geschlossen"),
        ("", "Montag 08.06.", "07:00–16:30"),
    ]
    # A span of closed days is one line with its first and last day.
    assert _exceptions(page) == [
        "04.06.2026: geschlossen (Feiertag: Fronleichnam)",
        "20.07.–01.09.2026: geschlossen (Schulferien)",
    ]
    three_weeks = client.get(f"/angebote/{hours['kita_summer'].id}").text
    assert "20.07.–09.08.2026: geschlossen (Schulferien)" in _exceptions(three_weeks)
    # Two days with the same note a week apart are two lines, not one span.
    teamtage = make_offer(
        session,
        name="Kita Teamtage (generiert)",
        opening_hours=weekdays("07:00", "16:30"),
        opening_exceptions=[
            {"starts": "2026-06-10", "note": "Teamtag"},
            {"starts": "2026-06-17", "note": "Teamtag"},
            {"starts": "2026-06-22", "ends": "2026-06-24", "opens": "08:00", "closes": "12:00"},
        ],
    )
    assert _exceptions(client.get(f"/angebote/{teamtage.id}").text) == [
        "10.06.2026: geschlossen (Teamtag)",
        "17.06.2026: geschlossen (Teamtag)",
        "22.06.–24.06.2026: 08:00–12:00",
    ]

"""Dated snapshots ("Stand festhalten"): any stored date, the change between two
dates per district, and a goal's indicator reading its baseline and current value."""

from datetime import date
from html import unescape

from sqlmodel import select

from app.catalogue.writers import Actor
from app.goals.defaults import ensure_default_fields
from app.goals.read import GoalsQuery, agreement
from app.goals.write import save
from app.models.goals import GoalField
from app.planning import history
from app.planning.coverage import coverage
from tests.factories import make_offer
from tests.staff.helpers import make_user, sign_in, token_of

WATTENSCHEID = (7.1290, 51.4830)
ANNA = Actor("user:1 anna@example.org", "page")


def _kita(session):
    return make_offer(session, category="kita", lon=WATTENSCHEID[0], lat=WATTENSCHEID[1])


def test_two_dates_compare_per_district_and_indicators_read_the_snapshots(planned, client):
    _kita(planned)
    old = history.record(planned, "test", today=date(2026, 1, 1))
    planned.commit()
    before = coverage(planned).get("wattenscheid").kinds["kita"].per_1000
    _kita(planned)
    _kita(planned)
    now = coverage(planned).get("wattenscheid").kinds["kita"].per_1000
    assert now > before
    new = history.record(planned, "test", today=date(2026, 6, 1))
    planned.commit()
    assert history.stored_dates(planned) == [date(2026, 1, 1), date(2026, 6, 1)]
    rows = {r.slug: r for r in history.compare(old, new, "kita", "je_1000")}
    assert rows["wattenscheid"].before == before and rows["wattenscheid"].after == now
    assert rows["wattenscheid"].change == round(now - before, 3)
    assert rows["mitte"].change == 0

    page = unescape(
        client.get(
            "/planung/staende", params={"von": "2026-01-01", "bis": "2026-06-01", "art": "kita"}
        ).text
    )
    assert "01.01.2026" in page and "01.06.2026" in page and "Wattenscheid" in page
    assert "+" in page  # the change in Wattenscheid

    ensure_default_fields(planned)
    field = planned.exec(select(GoalField).where(GoalField.number == 2)).one()
    goal = save(planned, "goal", {"field_id": field.id, "number": 1, "text": "Mehr Kitas"}, ANNA)
    save(
        planned,
        "indicator",
        {
            "goal_id": goal.id,
            "label": "Kitas je 1.000",
            "kind_slug": "kita",
            "measure_key": "je_1000",
            "area_slug": "wattenscheid",
            "baseline_date": "2026-02-01",  # no value entered: from the snapshot before it
            "target_value": 1.0,
        },
        ANNA,
    )
    planned.commit()
    indicator = agreement(planned, GoalsQuery()).indicators[0]
    assert (indicator.baseline.value, indicator.baseline.on) == (before, date(2026, 1, 1))
    assert indicator.baseline.basis == "snapshot"
    assert (indicator.current.value, indicator.current.on) == (now, date(2026, 6, 1))
    assert indicator.current.basis == "snapshot"


def test_staff_hold_the_state_with_one_button(planned, client):
    _kita(planned)
    make_user(planned, email="planung@example.org", role="planner")
    sign_in(client, "planung@example.org")
    token = token_of(client, "/verwaltung/ziele")
    response = client.post(
        "/verwaltung/planung/festhalten", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert history.stored_dates(planned) == [date.today()]
    page = unescape(client.get(response.headers["location"]).text)
    assert date.today().strftime("%d.%m.%Y") in page
    assert client.post("/verwaltung/planung/festhalten", data={}).status_code == 403


def test_the_planning_page_shows_a_stored_date_and_the_change_between_two(planned, client):
    history.record(planned, "anna@example.org", today=date(2026, 1, 1))
    planned.commit()
    _kita(planned)
    history.record(planned, "anna@example.org", today=date(2026, 6, 1))
    planned.commit()
    _kita(planned)  # today: two Kitas in Wattenscheid
    first = unescape(
        client.get("/planung", params={"stand": "2026-01-01", "mass": "angebote"}).text
    )
    assert "Gezeigt: der Stand vom 01.01.2026" in first
    assert "Planung: Stand vom 01.01.2026" in first  # the page's title says it too
    assert "Angebote je Bezirk: Stand 01.01.2026" in first
    assert "Genau diese Tabelle herunterladen" not in first  # today's exports are not offered
    # a date without its own snapshot shows the newest before it, and says so
    between = unescape(
        client.get("/planung", params={"stand": "2026-03-15", "mass": "angebote"}).text
    )
    assert "Gezeigt: der Stand vom 01.01.2026" in between
    assert "Für den 15.03.2026 ist kein Stand gespeichert" in between
    compared = unescape(
        client.get(
            "/planung",
            params={"stand": "2026-06-01", "vergleich": "2026-01-01", "mass": "angebote"},
        ).text
    )
    assert "Angebote je Bezirk: Stand 01.01.2026 → 01.06.2026" in compared
    row = compared.split('<th scope="row">Wattenscheid</th>')[1].split("</tr>")[0]
    assert "0 → 1" in row and "Veränderung: +1" in row
    none = unescape(client.get("/planung", params={"stand": "2025-01-01"}).text)
    assert "Für den 01.01.2025 ist kein Stand gespeichert; der erste ist vom 01.01.2026." in none
    assert client.get("/planung.csv", params={"stand": "2026-01-01"}).status_code == 422
    staende = unescape(
        client.get("/planung/staende", params={"von": "2026-01-01", "bis": "2026-06-01"}).text
    )
    assert "/planung?stand=2026-06-01&vergleich=2026-01-01" in staende
    assert "/planung?stand=2026-01-01" in staende

"""Saved what-if scenarios: staff (planners, editors, admins) save a scenario from its
link, it gets a stable URL that anyone may open and that shows it recomputed on the
current data, with CSV/JSON/XLSX twins; every change is logged and nothing is
deleted. Runs on SQLite and PostgreSQL."""

import io

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from app.catalogue.writers import Actor
from app.models import Offer
from app.models.planning_scenario import Scenario, ScenarioChange
from app.planning import scenarios
from tests.factories import make_offer
from tests.staff.helpers import make_user, sign_in, token_of

pytestmark = pytest.mark.parametrize("db_backend", ["sqlite", "postgres"], indirect=True)
WATT = "kita;51.48300;7.12900;60"
SUED = "ogs;51.44500;7.26000;;adresse;Testweg 1"
PLANNER = Actor("user:1 planung@example.org", "page")


def test_a_scenario_round_trips_through_the_write_path(planned):
    row = scenarios.create(planned, " Zwei  neue Kitas ", "Entwurf A", [WATT, SUED], PLANNER)
    planned.commit()
    stored = planned.get(Scenario, row.id)
    assert (stored.name, stored.note, stored.sites) == (
        "Zwei neue Kitas",
        "Entwurf A",
        [WATT, SUED],
    )
    assert stored.created_by == PLANNER.name and stored.version == 1
    scenarios.update(planned, row.id, 1, PLANNER, name="Eine Kita", sites=[WATT])
    scenarios.set_archived(planned, row.id, PLANNER, True)
    planned.commit()
    with pytest.raises(scenarios.ScenarioConflict):
        scenarios.update(planned, row.id, 1, PLANNER, name="zu spät")
    log = scenarios.history(planned, row.id)
    assert [c.action for c in log] == ["create", "update", "archive"]
    assert log[1].before == {"name": "Zwei neue Kitas", "sites": [WATT, SUED]}
    assert log[1].after == {"name": "Eine Kita", "sites": [WATT]}
    assert scenarios.listed(planned) == [] and scenarios.listed(planned, archived=True) == [stored]
    with pytest.raises(scenarios.ScenarioInvalid) as bad:
        scenarios.create(planned, "", "", ["zoo;1;2"], PLANNER)
    assert set(bad.value.errors) == {"name", "sites"}


def test_staff_save_from_the_link_and_anyone_opens_it_recomputed(planned, client):
    make_offer(planned, category="kita", lon=7.2162, lat=51.4818)
    offers_before = planned.exec(select(func.count()).select_from(Offer)).one()
    # the public may look but not save: saving asks to sign in
    form = client.get(
        "/verwaltung/planung/szenario", params={"ort": [WATT]}, follow_redirects=False
    )
    assert form.status_code in (302, 303) and "/verwaltung/anmelden" in form.headers["location"]
    make_user(planned, email="planung@example.org", role="planner")
    sign_in(client, "planung@example.org")
    path = f"/verwaltung/planung/szenario?ort={WATT}"
    saved = client.post(
        "/verwaltung/planung/szenario",
        data={
            "name": "Kita Wattenscheid",
            "note": "",
            "ort": [WATT, SUED],
            "csrf_token": token_of(client, path),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    url = saved.headers["location"]
    scenario_id = int(url.rsplit("/", 1)[1])
    client.cookies.clear()  # the public
    page = client.get(url)
    assert page.status_code == 200
    assert "Szenario: Kita Wattenscheid" in page.text and "szenario-kita" in page.text
    assert "Wattenscheid" in page.text and "planung@example.org" in page.text
    listing = client.get("/planung/szenario")
    assert f'href="/planung/szenario/{scenario_id}"' in listing.text
    as_json = client.get(f"/planung/szenario/{scenario_id}.json").json()
    assert as_json["scenario"]["name"] == "Kita Wattenscheid"
    assert [s["herkunft"] for s in as_json["sites"]] == ["koordinaten", "adresse"]
    watt = next(r for r in as_json["rows"] if r[0] == "kita" and r[2] == "wattenscheid")
    assert watt[3:5] == [0, 1]
    csv = client.get(f"/planung/szenario/{scenario_id}.csv")
    assert csv.status_code == 200 and "wattenscheid" in csv.text
    book = load_workbook(io.BytesIO(client.get(f"/planung/szenario/{scenario_id}.xlsx").content))
    assert book.sheetnames == ["Vorher und nachher", "Standorte"]
    # recomputed on current data: a Kita added in Wattenscheid changes the "before"
    make_offer(planned, category="kita", lon=7.1300, lat=51.4840)
    again = client.get(f"/planung/szenario/{scenario_id}.json").json()
    watt = next(r for r in again["rows"] if r[0] == "kita" and r[2] == "wattenscheid")
    assert watt[3:5] == [1, 2]
    assert client.get("/planung/szenario/99999").status_code == 404
    assert planned.exec(select(func.count()).select_from(Offer)).one() == offers_before + 1
    assert planned.exec(select(func.count()).select_from(ScenarioChange)).one() == 1


def test_withdrawing_keeps_the_url_and_logs_it(planned, client):
    make_user(planned, email="planung@example.org", role="planner")
    sign_in(client, "planung@example.org")
    row = scenarios.create(planned, "Entwurf", "", [WATT], PLANNER)
    planned.commit()
    edit = f"/verwaltung/planung/szenario/{row.id}"
    done = client.post(
        f"{edit}/zurueckziehen", data={"csrf_token": token_of(client, edit)}, follow_redirects=False
    )
    assert done.status_code == 303
    page = client.get(f"/planung/szenario/{row.id}")
    assert page.status_code == 200 and "zurückgezogen" in page.text
    assert f'/planung/szenario/{row.id}"' not in client.get("/planung/szenario").text
    renamed = client.post(
        edit,
        data={
            "name": "Entwurf B",
            "note": "",
            "ort": [WATT],
            "version": 2,
            "csrf_token": token_of(client, edit),
        },
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    stale = client.post(
        edit,
        data={
            "name": "Entwurf C",
            "ort": [WATT],
            "version": 2,
            "csrf_token": token_of(client, edit),
        },
    )
    assert stale.status_code == 409
    history = client.get(edit).text
    assert "zurückgezogen" in history and "geändert" in history


def test_an_over_long_name_and_note_are_refused_in_words_with_the_text_kept(planned, client):
    make_user(planned, email="planung@example.org", role="planner")
    sign_in(client, "planung@example.org")
    path = f"/verwaltung/planung/szenario?ort={WATT}"
    name, note = "Kita " * 300, "Notiz zum Entwurf. " * 330  # 1,500 and 6,270 characters
    answer = client.post(
        "/verwaltung/planung/szenario",
        data={"name": name, "note": note, "ort": [WATT], "csrf_token": token_of(client, path)},
        follow_redirects=False,
    )
    assert answer.status_code == 422
    assert answer.text.count("Zu lang: höchstens") == 4  # both, in the summary and at the field
    assert "höchstens 200 Zeichen" in answer.text and "höchstens 2000 Zeichen" in answer.text
    assert "Notiz zum Entwurf. Notiz zum Entwurf." in answer.text  # what was typed is kept
    assert WATT in answer.text
    assert planned.exec(select(func.count()).select_from(Scenario)).one() == 0

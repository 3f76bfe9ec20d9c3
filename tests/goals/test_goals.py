"""The agreement: numbering, the write path's change log, indicators with baseline,
target and current value, the public page and its twins, the yearly report, the
CSV/XLSX transfer and the planner role."""

import csv
import io
from datetime import date
from html import unescape

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from app.catalogue.writers import Actor
from app.goals.defaults import FIELDS, ensure_default_fields
from app.goals.read import GoalsQuery, agreement
from app.goals.write import GoalsInvalid, add_note, history, save, set_archived
from app.models.goals import GoalChange, GoalField, Measure
from app.planning.coverage import coverage
from tests.factories import make_offer
from tests.staff.helpers import make_user, sign_in, token_of

ANNA = Actor("user:1 anna@example.org", "page")
WATTENSCHEID = (7.1290, 51.4830)


def _field(session, number: int = 2) -> GoalField:
    ensure_default_fields(session)
    return session.exec(select(GoalField).where(GoalField.number == number)).one()


def _goal_with_measure(session):
    field = _field(session)
    goal = save(
        session,
        "goal",
        {"field_id": field.id, "number": 1, "text": "Mehr Kita-Plätze in Wattenscheid"},
        ANNA,
    )
    measure = save(
        session,
        "measure",
        {
            "goal_id": goal.id,
            "number": 3,
            "text": "Neue Kita an der Hochstraße",
            "responsible": "Jugendamt",
            "districts": ["wattenscheid"],
            "kinds": ["kita"],
            "start_date": "2025-08-01",
            "due_date": "2027-07-31",
            "budget_eur": "1200000",
            "decision_ref": "Drucksache 20251234",
            "decision_date": "2025-06-26",
        },
        ANNA,
    )
    session.commit()
    return field, goal, measure


def test_the_six_fields_are_the_default_and_numbers_read_n_m_k(planned):
    field, goal, measure = _goal_with_measure(planned)
    fields = planned.exec(select(GoalField).order_by(GoalField.number)).all()
    assert [f.name for f in fields] == list(FIELDS) and len(fields) == 6
    found = agreement(planned, GoalsQuery())
    assert [m.number for m in found.measures] == ["2.1.3"]
    assert found.fields[1].goals[0].number == "2.1"


def test_bad_input_names_every_field_at_once_and_writes_nothing(planned):
    field, goal, _measure = _goal_with_measure(planned)
    with pytest.raises(GoalsInvalid) as caught:
        save(
            planned,
            "measure",
            {
                "goal_id": goal.id,
                "number": 3,  # taken
                "text": "",
                "districts": ["atlantis"],
                "status": "fertig",
                "start_date": "2027-01-01",
            },
            ANNA,
        )
    assert {"text", "status"} <= set(caught.value.errors)
    with pytest.raises(GoalsInvalid) as caught:
        save(
            planned,
            "measure",
            {"goal_id": goal.id, "number": 3, "text": "x", "districts": ["atlantis"]},
            ANNA,
        )
    assert set(caught.value.errors) == {"number", "districts"}
    assert "atlantis" in caught.value.errors["districts"]


def test_status_changes_and_notes_are_logged_with_before_and_after(planned):
    _field_row, _goal, measure = _goal_with_measure(planned)
    add_note(
        planned,
        measure.id,
        {"noted_on": "2027-03-01", "text": "Bauantrag gestellt"},
        ANNA,
        status="begonnen",
        version=measure.version,
    )
    planned.commit()
    changes = history(planned, "measure", measure.id)
    assert [c.action for c in changes] == ["create", "update"]
    assert changes[1].before == {"status": "geplant"} and changes[1].after == {"status": "begonnen"}
    assert changes[1].actor == ANNA.name and changes[1].channel == "page"
    notes = planned.exec(select(GoalChange).where(GoalChange.entity == "note")).all()
    assert notes[0].after["text"] == "Bauantrag gestellt"
    set_archived(planned, "measure", measure.id, ANNA, True)
    planned.commit()
    assert planned.get(Measure, measure.id) is not None  # never hard-deleted
    assert history(planned, "measure", measure.id)[-1].action == "archive"
    assert agreement(planned, GoalsQuery()).measures == []
    assert len(agreement(planned, GoalsQuery(archived=True)).measures) == 1


def test_an_indicator_shows_baseline_target_and_current_value_with_its_date(planned, client):
    make_offer(planned, category="kita", lon=WATTENSCHEID[0], lat=WATTENSCHEID[1])
    _field_row, goal, _measure = _goal_with_measure(planned)
    save(
        planned,
        "indicator",
        {
            "goal_id": goal.id,
            "label": "Kitas je 1.000 Kinder unter 6 in Wattenscheid",
            "source_kind": "planung",
            "kind_slug": "kita",
            "measure_key": "je_1000",
            "area_slug": "wattenscheid",
            "baseline_value": "0,2",
            "baseline_date": "2025-01-01",
            "target_value": "0.5",
            "target_date": "2027-12-31",
        },
        ANNA,
    )
    planned.commit()
    now = coverage(planned).get("wattenscheid").kinds["kita"].per_1000
    assert now is not None
    data = client.get("/ziele.json").json()
    indicator = data["fields"][1]["goals"][0]["indicators"][0]
    assert indicator["baseline"] == {"value": 0.2, "date": "2025-01-01", "basis": "entered"}
    assert indicator["target"] == {"value": 0.5, "date": "2027-12-31"}
    assert indicator["current"]["value"] == now and indicator["current"]["basis"] == "computed"
    assert indicator["current"]["date"] == date.today().isoformat()
    page = unescape(client.get("/ziele").text)
    assert "Kitas je 1.000 Kinder unter 6 in Wattenscheid" in page
    assert "0,2" in page and "(25.01.2025)" not in page and "(01.01.2025)" in page
    assert "bis 31.12.2027" in page and "berechnet am" in page


def test_the_public_page_and_its_twins_filter_by_district_from_one_query(planned, client):
    _field_row, goal, _measure = _goal_with_measure(planned)
    save(
        planned,
        "measure",
        {"goal_id": goal.id, "number": 4, "text": "Stadtweite Elternberatung"},
        ANNA,
    )
    save(
        planned,
        "measure",
        {"goal_id": goal.id, "number": 5, "text": "Spielplatz Nord", "districts": ["nord"]},
        ANNA,
    )
    planned.commit()
    page = unescape(client.get("/ziele", params={"bezirk": "wattenscheid"}).text)
    assert "Maßnahme 2.1.3" in page and "Maßnahme 2.1.4" in page and "Maßnahme 2.1.5" not in page
    assert "Handlungsfeld 2: Familie und Arbeitswelt, Betreuung" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/ziele.csv", params={"bezirk": "wattenscheid"}).text.lstrip("\ufeff")
            ),
            delimiter=";",
        )
    )
    measures = [r[1] for r in rows[1:] if r[0] == "massnahme"]
    assert measures == ["2.1.3", "2.1.4"]
    book = load_workbook(
        io.BytesIO(client.get("/ziele.xlsx", params={"bezirk": "wattenscheid"}).content)
    )
    sheet_rows = list(book.active.iter_rows(values_only=True))
    assert [r[1] for r in sheet_rows[1:] if r[0] == "massnahme"] == measures
    assert client.get("/ziele.json", params={"bezirk": "atlantis"}).status_code == 422
    assert client.get("/ziele.json", params={"feld": "2"}).json()["fields"][0]["number"] == 2


def test_the_yearly_report_lists_status_changes_notes_and_indicators(planned, client):
    _field_row, _goal, measure = _goal_with_measure(planned)
    add_note(
        planned,
        measure.id,
        {"noted_on": f"{date.today().year}-03-01", "text": "Eröffnet"},
        ANNA,
        status="umgesetzt",
    )
    planned.commit()
    page = unescape(client.get("/ziele/bericht", params={"jahr": date.today().year}).text)
    assert f"Jahresbericht {date.today().year}" in page
    assert "Neue Kita an der Hochstraße" in page and "Eröffnet" in page
    table = page[page.index('id="statuswechsel"') :]
    assert "geplant" in table and "umgesetzt" in table
    other = unescape(client.get("/ziele/bericht", params={"jahr": 2001}).text)
    assert "Keine Änderungen in diesem Jahr." in other


def test_the_agreement_round_trips_through_csv_and_xlsx_and_a_bad_file_changes_nothing(
    planned, client
):
    from app.goals.transfer import import_agreement

    _goal_with_measure(planned)
    exported = client.get("/ziele.csv").content
    text = exported.decode("utf-8-sig").replace(
        "Neue Kita an der Hochstraße", "Neue Kita an der Hochstraße 5"
    )
    text += "massnahme;2.1.9;Familienbüro-Sprechstunde;;;;;;;;;;begonnen;;;;;;;;;;;;;;\r\n"
    report = import_agreement(planned, text.encode(), "ziele.csv", ANNA)
    assert report.ok, report.errors
    planned.commit()
    assert (report.created, report.changed) == (1, 1)
    texts = [m.measure.text for m in agreement(planned, GoalsQuery()).measures]
    assert texts == ["Neue Kita an der Hochstraße 5", "Familienbüro-Sprechstunde"]

    bad = (
        "typ;nummer;text;status;faellig\r\n"
        "massnahme;2.1.10;Gut;geplant;\r\n"
        "massnahme;2.1;Falsche Nummer;geplant;\r\n"
        "massnahme;2.1.11;Schlechter Stand;fertig;31.02.2027\r\n"
    )
    report = import_agreement(planned, bad.encode(), "ziele.csv", ANNA)
    errors = [str(e) for e in report.errors]
    assert errors[0] == "ziele.csv:3: nummer: '2.1' ist keine Nummer der Form n.m.k"
    assert errors[1] == "ziele.csv:4: faellig: Bitte ein Datum angeben (JJJJ-MM-TT)."
    assert errors[2].startswith("ziele.csv:4: status: Nicht erlaubt; erlaubt: 'geplant'")
    assert len(errors) == 3
    assert len(agreement(planned, GoalsQuery()).measures) == 2  # nothing of the bad file

    xlsx = client.get("/ziele.xlsx").content
    report = import_agreement(planned, xlsx, "ziele.xlsx", ANNA, xlsx=True)
    assert report.ok and report.created == 0 and report.changed == 0


def test_a_planner_edits_goals_but_not_offers(planned, client):
    ensure_default_fields(planned)
    planned.commit()
    offer = make_offer(planned, category="kita", lon=WATTENSCHEID[0], lat=WATTENSCHEID[1])
    make_user(planned, email="planung@example.org", role="planner")
    sign_in(client, "planung@example.org")
    assert client.get("/verwaltung/ziele").status_code == 200
    token = token_of(client, "/verwaltung/ziele/ziel/neu")
    field = planned.exec(select(GoalField).where(GoalField.number == 3)).one()
    created = client.post(
        "/verwaltung/ziele/ziel/neu",
        data={"csrf_token": token, "field_id": field.id, "number": "1", "text": "Sprachförderung"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    assert agreement(planned, GoalsQuery()).fields[2].goals[0].goal.text == "Sprachförderung"
    # the catalogue is the editors': no offer page, no offer edit
    assert client.get("/verwaltung/angebote").status_code == 403
    assert client.get(f"/verwaltung/angebote/{offer.id}").status_code == 403
    edit = client.post(
        f"/verwaltung/angebote/{offer.id}",
        data={"csrf_token": token, "contact_phone": "0234 1"},
        follow_redirects=False,
    )
    assert edit.status_code == 403
    assert (
        client.get("/verwaltung", follow_redirects=False).headers["location"] == "/verwaltung/ziele"
    )


def test_an_editor_may_edit_goals_too_and_the_staff_form_reports_errors(planned, client):
    ensure_default_fields(planned)
    planned.commit()
    make_user(planned, role="editor")
    sign_in(client)
    token = token_of(client, "/verwaltung/ziele/feld/neu")
    bad = client.post(
        "/verwaltung/ziele/feld/neu", data={"csrf_token": token, "number": "1", "name": ""}
    )
    assert bad.status_code == 422
    text = unescape(bad.text)
    assert "Diese Nummer ist schon vergeben." in text or "Bitte ausfüllen." in text
    assert 'aria-invalid="true"' in bad.text


def test_a_status_form_posts_without_javascript_and_swaps_with_htmx(planned, client):
    _field_row, _goal, measure = _goal_with_measure(planned)
    make_user(planned, role="planner", email="p@example.org")
    sign_in(client, "p@example.org")
    token = token_of(client, "/verwaltung/ziele")
    plain = client.post(
        f"/verwaltung/ziele/massnahme/{measure.id}/stand",
        data={
            "csrf_token": token,
            "status": "begonnen",
            "noted_on": "2027-02-01",
            "text": "Start",
            "version": "1",
        },
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"].endswith(
        f"#massnahme-{measure.id}"
    )
    swapped = client.post(
        f"/verwaltung/ziele/massnahme/{measure.id}/stand",
        data={"csrf_token": token, "status": "verschoben", "noted_on": "2027-03-01", "text": ""},
        headers={"HX-Request": "true"},
    )
    assert swapped.status_code == 200 and swapped.text.lstrip().startswith("<li")
    assert "verschoben" in swapped.text
    planned.refresh(planned.get(Measure, measure.id))
    assert planned.get(Measure, measure.id).status == "verschoben"
    assert [c.after.get("status") for c in history(planned, "measure", measure.id)][-2:] == [
        "begonnen",
        "verschoben",
    ]


def test_the_page_and_the_report_say_where_the_fields_names_come_from(planned, client):
    # the data README names no source for the six Handlungsfelder: the pages say so
    for path in ("/ziele", "/ziele/bericht?jahr=2027"):
        page = client.get(path)
        assert page.status_code == 200
        assert "Woher die Handlungsfelder kommen" in page.text
        assert "Familiengerechte Kommune e.V." in page.text
    assert "Where the fields of action come from" in client.get("/ziele?lang=en").text

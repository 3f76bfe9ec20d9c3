"""A measure's budget as people type it: German thousands points and decimal comma,
with or without "€"; what is no number is refused with a worded error."""

from html import unescape

import pytest
from sqlmodel import select

from app.goals.defaults import ensure_default_fields
from app.i18n import set_locale
from app.models.goals import Goal, GoalField, Measure
from app.numbers import parse_number_input
from tests.staff.helpers import make_user, sign_in, token_of


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("1.500.000", "1500000"),
        ("1.500.000,50 €", "1500000.50"),
        ("1500000", "1500000"),
        ("1 500 000 EUR", "1500000"),
        ("2,5", "2.5"),
        ("1.500", "1500"),
        ("12.5", "12.5"),
        ("1.50.0", None),
        ("viel", None),
        ("", None),
    ],
)
def test_german_number_input_is_read(typed, read):
    set_locale("de")
    assert parse_number_input(typed) == read


def test_english_number_input_is_read_on_the_english_page():
    set_locale("en")
    try:
        assert parse_number_input("1,500,000.50") == "1500000.50"
        assert parse_number_input("1.5") == "1.5"
        assert parse_number_input("1.500.000") == "1500000"
    finally:
        set_locale("de")


def _measure_form(planned, client, budget: str):
    ensure_default_fields(planned)
    planned.commit()
    make_user(planned, email="planung@example.org", role="planner")
    sign_in(client, "planung@example.org")
    field = planned.exec(select(GoalField).where(GoalField.number == 3)).one()
    token = token_of(client, "/verwaltung/ziele/ziel/neu")
    client.post(
        "/verwaltung/ziele/ziel/neu",
        data={"csrf_token": token, "field_id": field.id, "number": "1", "text": "Sprache"},
    )
    goal = planned.exec(select(Goal).where(Goal.field_id == field.id)).one()
    return client.post(
        "/verwaltung/ziele/massnahme/neu",
        data={
            "csrf_token": token,
            "goal_id": goal.id,
            "number": "1",
            "text": "Sprachkurse für Eltern",
            "status": "geplant",
            "budget_eur": budget,
        },
        follow_redirects=False,
    )


@pytest.mark.parametrize("typed", ["1.500.000", "1.500.000,50 €", "1500000"])
def test_a_budget_with_german_thousands_points_is_saved(planned, client, typed):
    answer = _measure_form(planned, client, typed)
    assert answer.status_code == 303, unescape(answer.text)[:3000]
    planned.expire_all()
    measure = planned.exec(select(Measure)).one()
    assert int(measure.budget_eur) == 1_500_000


def test_a_budget_that_is_no_number_is_refused_in_words(planned, client):
    answer = _measure_form(planned, client, "anderthalb Millionen")
    assert answer.status_code == 422
    text = unescape(answer.text)
    assert "Bitte eine Zahl angeben." in text and 'value="anderthalb Millionen"' in text

"""The load test (`make loadtest`) finds the admin API's offer edit in the app's own
OpenAPI schema and checks its edits against the database; it is run outside the test
suite, so these tests keep it importable and pointed at the API that exists."""

from app.main import create_app
from bench.loadtest_writes import Edits, admin_edit_operation, check_edits
from tests.factories import make_offer


def test_the_load_test_edits_offers_through_the_admin_api_it_finds_in_the_schema():
    found = admin_edit_operation(create_app().openapi())
    assert found is not None, "the admin API's offer edit is not in the OpenAPI schema"
    method, path, body = found
    assert (method, path) == ("PATCH", "/api/v1/offers/{offer_id}")
    assert "description" in body["properties"]


def test_an_edit_that_never_reached_the_database_is_reported(session, engine):
    offer = make_offer(session, name="Kita Lasttest")
    edits = Edits()
    edits.sent[offer.id] = "Lasttest-Änderung 0 (generiert)"
    check_edits(engine, edits)
    assert edits.problems == [
        f"offer {offer.id}: the edit is not stored",
        f"offer {offer.id}: 0 audit entries",
    ]


def test_the_load_tests_races_and_burst_run_against_a_real_server_and_are_reported(engine):
    from bench.loadtest_writes import Races, races_text, send_races
    from bench.server import running_server

    url = engine.url.render_as_string(hide_password=False)
    races = Races()
    with running_server(url, env={"ASSETS": "cdn", "CACHE_VERSION_TTL": "0"}) as (base, _pid):
        send_races(base, url, engine, 1, races)
    assert races.problems == [], races.problems
    ((figures, entries),) = races.rounds
    assert (figures.statuses[200], figures.statuses[409], entries) == (1, 19, 1)
    assert races.mix is not None and races.mix.server_errors == 0
    text = races_text(races)
    assert "1 × 200, 19 × 409, 1 change-log entry(ies)" in text
    assert "100 authenticated requests at once" in text


def test_a_race_under_load_may_turn_requests_away_but_never_confirm_two():
    from bench.concurrency import Answer, Figures
    from bench.loadtest_writes import race_problem

    def figures(*statuses: int) -> Figures:
        return Figures([Answer(s, 0.1) for s in statuses])

    assert not race_problem(figures(200, *[409] * 19), 1)
    assert not race_problem(figures(200, *[409] * 15, *[503] * 4), 1)  # quick 503s
    assert not race_problem(figures(*[503] * 20), 0)  # all turned away: nothing confirmed
    assert race_problem(figures(200, 200, *[409] * 18), 2)  # two confirmed: one lost
    assert race_problem(figures(200, *[409] * 19), 2)  # an entry without a winner
    assert race_problem(figures(*[409] * 20), 0)  # nobody won, nobody was turned away
    assert race_problem(figures(200, 500, *[409] * 18), 1)

"""Races on the later write paths against one real uvicorn server (per module and
backend), with real threads: goals and measures on /verwaltung/ziele, saved what-if
scenarios, accepting a public correction, accepting a provider's held edit, and a
provider's "stimmt so".

20 requests based on the same version (or the same open case) at once: exactly one is
confirmed, every other is refused, and the change log holds exactly one entry: the
database decides (a conditional UPDATE and its row count), never a check in Python."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.db import migrate
from app.db.session import make_engine
from app.goals import write as goals
from app.models import Correction, Offer, OfferChange, ProviderEdit
from app.models.goals import GoalChange, GoalField, Measure
from app.models.planning_scenario import Scenario, ScenarioChange
from app.planning import scenarios
from bench.concurrency import BURST_SERVER_ENV, Figures, burst
from bench.server import running_server
from tests.conftest import new_database_url
from tests.factories import STAFF, make_offer
from tests.staff.helpers import PASSWORD, make_provider_account, make_user

N = 20
SERVER_ENV = {"ASSETS": "cdn", "CACHE_VERSION_TTL": "0", **BURST_SERVER_ENV}
AREA = "/verwaltung/traeger-bereich"


@dataclass
class Live:
    base: str
    session: Session
    cookies: dict[str, str]  # an editor's staff session
    token: str  # its form token
    provider_cookies: dict[str, str]  # a provider account's session
    provider_token: str


def _sign_in(base: str, email: str, form_page: str) -> tuple[dict[str, str], str]:
    with httpx.Client(base_url=base, timeout=30) as web:
        page = web.get("/verwaltung/anmelden")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        done = web.post(
            "/verwaltung/anmelden",
            data={"email": email, "password": PASSWORD, "csrf_token": token},
        )
        assert done.status_code == 303, done.text[:500]
        form = web.get(form_page)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        return dict(web.cookies), token


@pytest.fixture(scope="module")
def live(db_backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    url, cleanup = new_database_url(db_backend, tmp_path_factory.mktemp("races"))
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            make_user(session)
            make_provider_account(session)
            with running_server(url, workers=1, env=SERVER_ENV) as (base, _pid):
                cookies, token = _sign_in(base, "redaktion@example.org", "/verwaltung/angebote/neu")
                provider_cookies, provider_token = _sign_in(
                    base, "kita@traeger.example.org", f"{AREA}/neu"
                )
                yield Live(base, session, cookies, token, provider_cookies, provider_token)
    finally:
        engine.dispose()
        cleanup()


def _post(path: str, data: dict[str, str]):  # noqa: ANN202
    def send(client: httpx.Client, i: int) -> httpx.Response:
        return client.post(path, data={k: v.format(i=i) for k, v in data.items()})

    return send


def _count(session: Session, stmt) -> int:  # noqa: ANN001
    session.expire_all()
    return session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


def _goal_entries(session: Session, entity: str, row_id: int, version: int) -> int:
    return _count(
        session,
        select(GoalChange.id).where(
            GoalChange.entity == entity,
            GoalChange.entity_id == row_id,
            GoalChange.version == version,
        ),
    )


def _offer_entries(session: Session, offer_id: int, version: int) -> int:
    return _count(
        session,
        select(OfferChange.id).where(
            OfferChange.offer_id == offer_id, OfferChange.version == version
        ),
    )


def _one_redirect_rest(figures: Figures, refused: tuple[int, ...]) -> None:
    assert figures.server_errors == 0, figures.line()
    assert figures.statuses[303] == 1, figures.line()
    assert sum(figures.statuses[s] for s in refused) == N - 1, figures.line()


def _report(label: str, figures: Figures, entries: int, capsys) -> None:  # noqa: ANN001
    with capsys.disabled():
        print(f"\n{label}, N={N}: {figures.line()}; change-log entries {entries}")


# --- goals and measures ----------------------------------------------------------------


def _field(session: Session, number: int) -> GoalField:
    row = goals.save(session, "field", {"number": number, "name": "Feld"}, STAFF)
    session.commit()
    return row


def test_twenty_edits_of_one_goal_entry_on_one_version_store_one(live, capsys):
    row = _field(live.session, 1)
    figures = burst(
        live.base,
        N,
        _post(
            f"/verwaltung/ziele/feld/{row.id}",
            {"csrf_token": live.token, "number": "1", "name": "Feld {i}", "version": "1"},
        ),
        cookies=live.cookies,
    )
    entries = _goal_entries(live.session, "field", row.id, 2)
    _report("goal entry edit", figures, entries, capsys)
    _one_redirect_rest(figures, (409,))
    assert entries == 1
    stored = live.session.get(GoalField, row.id)
    winner = next(i for i, a in enumerate(figures.answers) if a.status == 303)
    assert (stored.version, stored.name) == (2, f"Feld {winner}")


def test_twenty_archivings_of_one_goal_entry_archive_it_once(live, capsys):
    row = _field(live.session, 2)
    figures = burst(
        live.base,
        N,
        _post(f"/verwaltung/ziele/feld/{row.id}/archivieren", {"csrf_token": live.token}),
        cookies=live.cookies,
    )
    entries = _goal_entries(live.session, "field", row.id, 2)
    _report("goal entry archive", figures, entries, capsys)
    assert figures.server_errors == 0, figures.line()
    assert all(a.status in (303, 409) for a in figures.answers), figures.line()
    assert entries == 1 and live.session.get(GoalField, row.id).version == 2
    assert _count(live.session, select(GoalChange.id).where(GoalChange.entity_id == row.id)) == 2


def test_twenty_status_changes_of_one_measure_on_one_version_store_one(live, capsys):
    session = live.session
    field = _field(session, 3)
    goal = goals.save(session, "goal", {"field_id": field.id, "number": 1, "text": "Z"}, STAFF)
    session.flush()
    measure = goals.save(session, "measure", {"goal_id": goal.id, "number": 1, "text": "M"}, STAFF)
    session.commit()
    figures = burst(
        live.base,
        N,
        _post(
            f"/verwaltung/ziele/massnahme/{measure.id}/stand",
            {
                "csrf_token": live.token,
                "status": "begonnen",
                "noted_on": "2026-01-02",
                "text": "Stand {i}",
                "version": "1",
            },
        ),
        cookies=live.cookies,
    )
    entries = _goal_entries(session, "measure", measure.id, 2)
    notes = _count(session, select(GoalChange.id).where(GoalChange.entity == "note"))
    _report("measure status and note", figures, entries, capsys)
    _one_redirect_rest(figures, (409,))
    assert entries == 1 and notes == 1
    stored = session.get(Measure, measure.id)
    assert (stored.version, stored.status) == (2, "begonnen")


# --- saved what-if scenarios -------------------------------------------------------------

SITE = "kita;51.48300;7.12900;60"


def _scenario_entries(session: Session, scenario_id: int) -> list[ScenarioChange]:
    session.expire_all()
    return list(
        session.execute(
            select(ScenarioChange).where(ScenarioChange.scenario_id == scenario_id)
        ).scalars()
    )


def test_twenty_renames_of_one_scenario_on_one_version_store_one(live, capsys):
    row = scenarios.create(live.session, "Entwurf", "", [SITE], STAFF)
    live.session.commit()
    figures = burst(
        live.base,
        N,
        _post(
            f"/verwaltung/planung/szenario/{row.id}",
            {"csrf_token": live.token, "version": "1", "name": "Entwurf {i}", "ort": SITE},
        ),
        cookies=live.cookies,
    )
    entries = [c for c in _scenario_entries(live.session, row.id) if c.action == "update"]
    _report("scenario rename", figures, len(entries), capsys)
    _one_redirect_rest(figures, (409,))
    winner = next(i for i, a in enumerate(figures.answers) if a.status == 303)
    stored = live.session.get(Scenario, row.id)
    assert len(entries) == 1 and (stored.version, stored.name) == (2, f"Entwurf {winner}")


def test_twenty_withdrawals_of_one_scenario_withdraw_it_once(live, capsys):
    row = scenarios.create(live.session, "Zurückziehen", "", [SITE], STAFF)
    live.session.commit()
    figures = burst(
        live.base,
        N,
        _post(f"/verwaltung/planung/szenario/{row.id}/zurueckziehen", {"csrf_token": live.token}),
        cookies=live.cookies,
    )
    entries = [c for c in _scenario_entries(live.session, row.id) if c.action == "archive"]
    _report("scenario withdraw", figures, len(entries), capsys)
    assert figures.server_errors == 0 and figures.statuses[303] == N, figures.line()
    stored = live.session.get(Scenario, row.id)
    assert len(entries) == 1 and stored.version == 2 and stored.archived_at is not None


# --- a public correction ---------------------------------------------------------------


def test_twenty_acceptances_of_one_correction_write_it_once(live, capsys):
    session = live.session
    offer = make_offer(session, name="Kita Korrektur Rennen (generiert)")
    correction = Correction(offer_id=offer.id, field="contact_phone", proposed="0234 777777")
    session.add(correction)
    session.commit()
    figures = burst(
        live.base,
        N,
        _post(
            f"/verwaltung/korrekturen/{correction.id}/annehmen",
            {"csrf_token": live.token, "wert": "0234 7{i:05d}", "version": "1"},
        ),
        cookies=live.cookies,
    )
    entries = _offer_entries(session, offer.id, 2)
    _report("correction accept", figures, entries, capsys)
    _one_redirect_rest(figures, (409, 422))
    assert entries == 1
    winner = next(i for i, a in enumerate(figures.answers) if a.status == 303)
    stored = session.get(Correction, correction.id)
    assert (stored.status, stored.applied) == ("accepted", f"0234 7{winner:05d}")
    assert session.get(Offer, offer.id).contact_phone == f"0234 7{winner:05d}"


def test_an_acceptance_and_a_rejection_of_one_correction_at_once_close_it_once(live, capsys):
    session = live.session
    offer = make_offer(session, name="Kita Korrektur Streit (generiert)")
    correction = Correction(offer_id=offer.id, field="contact_phone", proposed="0234 888888")
    session.add(correction)
    session.commit()
    path = f"/verwaltung/korrekturen/{correction.id}"

    def send(client: httpx.Client, i: int) -> httpx.Response:
        if i % 2:
            return client.post(f"{path}/ablehnen", data={"csrf_token": live.token, "grund": "Alt"})
        return client.post(
            f"{path}/annehmen",
            data={"csrf_token": live.token, "wert": "0234 888888", "version": "1"},
        )

    figures = burst(live.base, N, send, cookies=live.cookies)
    _report("correction accept/reject", figures, _offer_entries(session, offer.id, 2), capsys)
    _one_redirect_rest(figures, (409, 422))
    stored = session.get(Correction, correction.id)
    winner = next(i for i, a in enumerate(figures.answers) if a.status == 303)
    assert stored.status == ("rejected" if winner % 2 else "accepted")
    assert _offer_entries(session, offer.id, 2) == (0 if winner % 2 else 1)


# --- a provider's held edit ------------------------------------------------------------


def _held(session: Session, offer: Offer | None, action: str, changes: dict) -> ProviderEdit:
    row = ProviderEdit(
        action=action,
        offer_id=offer.id if offer else None,
        provider_id=offer.provider_id if offer else _provider_id(session),
        changes=changes,
        base_version=offer.version if offer else None,
        proposed_by="user:2 kita@traeger.example.org",
    )
    session.add(row)
    session.commit()
    return row


def _provider_id(session: Session) -> int:
    from app.models import Provider

    return session.execute(
        select(Provider.id).where(Provider.name == "Träger der Kitas (generiert)")
    ).scalar_one()


def _accepted(figures: Figures) -> int:
    return sum(1 for a in figures.answers if a.location.endswith("?status=angenommen"))


@pytest.mark.parametrize("action", ["update", "create"])
def test_twenty_acceptances_of_one_held_provider_edit_apply_it_once(live, action, capsys):
    session = live.session
    name = f"Kita Träger Rennen {action} (generiert)"
    if action == "update":
        offer = make_offer(session, name=name, provider_name="Träger der Kitas (generiert)")
        row = _held(session, offer, "update", {"contact_phone": "0234 654321"})
    else:
        offer = None
        row = _held(session, None, "create", {"name": name, "category": "kita"})
    figures = burst(
        live.base,
        N,
        _post(f"/verwaltung/traeger-aenderungen/{row.id}/annehmen", {"csrf_token": live.token}),
        cookies=live.cookies,
    )
    offers = list(session.execute(select(Offer).where(Offer.name == name)).scalars())
    assert len(offers) == 1, f"{len(offers)} offers named {name!r}"
    version = 2 if action == "update" else 1
    entries = _offer_entries(session, offers[0].id, version)
    _report(f"provider edit accept ({action})", figures, entries, capsys)
    assert figures.server_errors == 0, figures.line()
    assert figures.statuses[303] == N and _accepted(figures) == 1, figures.line()
    assert entries == 1 and offers[0].version == version
    assert session.get(ProviderEdit, row.id).status == "accepted"


# --- a provider's "stimmt so" ----------------------------------------------------------


def test_twenty_stimmt_so_on_one_version_confirm_it_once(live, capsys):
    session = live.session
    offer = make_offer(
        session, name="Kita Stimmt so (generiert)", provider_name="Träger der Kitas (generiert)"
    )
    session.commit()
    figures = burst(
        live.base,
        N,
        _post(
            f"{AREA}/angebote/{offer.id}/stimmt",
            {"csrf_token": live.provider_token, "version": "1"},
        ),
        cookies=live.provider_cookies,
    )
    entries = _offer_entries(session, offer.id, 2)
    _report("provider 'stimmt so'", figures, entries, capsys)
    assert figures.server_errors == 0, figures.line()
    confirmed = [a for a in figures.answers if "status=bestaetigt" in a.location]
    stale = [a for a in figures.answers if "status=veraltet" in a.location]
    assert (len(confirmed), len(stale)) == (1, N - 1), figures.line()
    assert entries == 1
    stored = session.get(Offer, offer.id)
    assert (stored.version, stored.verified_by) == (2, "provider")

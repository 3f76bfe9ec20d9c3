"""Verification rounds: one e-mail per provider contact, progress per provider
(answered, partly, not yet), reminders after the round's days (with a fixed clock),
and what the public page says about who checked an offer and when."""

import re
from datetime import date, timedelta

from app.catalogue import provider_edits, verification
from app.config import get_settings
from app.models import utcnow
from tests.factories import STAFF, make_offer
from tests.staff.helpers import form_token, make_provider_account, make_user, sign_in

A = "Träger A (generiert)"
B = "Träger B (generiert)"


def _setup(session) -> dict:  # noqa: ANN001
    offers = {
        "a1": make_offer(session, name="Kita A1 (generiert)", provider_name=A),
        "a2": make_offer(session, name="Kita A2 (generiert)", provider_name=A),
        "b1": make_offer(session, name="Kita B1 (generiert)", provider_name=B),
        "c1": make_offer(session, name="Kita C1 (generiert)", provider_name="Träger C (generiert)"),
        "ogs": make_offer(session, name="OGS A (generiert)", category="ogs", provider_name=A),
    }
    users = {
        "a": make_provider_account(session, A, "leitung@a.example.org"),
        "b": make_provider_account(session, B, "leitung@b.example.org"),
        # one person for both providers: one e-mail naming both
        "ab": make_provider_account(session, A, "verbund@example.org"),
    }
    make_provider_account(session, B, "verbund@example.org")
    return {"offers": offers, "users": users}


def _status(session, round_) -> dict[str, str]:  # noqa: ANN001
    return {p.provider.name: p.status for p in verification.progress(session, round_)}


def test_a_round_for_kitas_mails_each_contact_once_and_tracks_each_provider(session, smtp_server):
    data = _setup(session)
    round_ = verification.start_round(session, started_by=STAFF.name, category="kita")
    sent = verification.send_requests(session, round_, get_settings())
    session.commit()
    assert sent == 3
    mails = {m["To"]: m for m in smtp_server.wait_for(3)}
    assert set(mails) == {"leitung@a.example.org", "leitung@b.example.org", "verbund@example.org"}
    both = mails["verbund@example.org"].get_content()
    assert A in both and B in both and "/verwaltung/traeger-bereich" in both
    assert B not in mails["leitung@a.example.org"].get_content()
    assert _status(session, round_) == {
        A: "not_yet",
        B: "not_yet",
        "Träger C (generiert)": "not_yet",
    }
    no_contact = [p for p in verification.progress(session, round_) if p.contacts == 0]
    assert [p.provider.name for p in no_contact] == ["Träger C (generiert)"]

    offers, users = data["offers"], data["users"]
    provider_edits.confirm(session, [offers["a1"]], users["a"])
    assert _status(session, round_)[A] == "partly"  # the OGS is not in this round
    provider_edits.change_offer(
        session,
        offers["a2"],
        users["a"],
        {"contact_phone": "0234 1"},
        based_on=[offers["a2"].version],
        mode="review",
    )
    provider_edits.confirm(session, [offers["b1"]], users["b"])
    assert _status(session, round_)[A] == "answered"
    assert _status(session, round_)[B] == "answered"


def test_reminders_go_once_after_the_rounds_days_to_those_who_have_not_answered(
    session, smtp_server
):
    data = _setup(session)
    start = utcnow() - timedelta(days=20)
    round_ = verification.start_round(
        session, started_by=STAFF.name, category="kita", remind_after_days=14, now=start
    )
    verification.send_requests(session, round_, get_settings(), now=start)
    session.commit()
    smtp_server.wait_for(3)
    provider_edits.confirm(session, [data["offers"]["b1"]], data["users"]["b"])  # B answered

    settings = get_settings()
    assert verification.send_reminders(session, settings, now=start + timedelta(days=13)) == 0
    assert verification.send_reminders(session, settings, now=start + timedelta(days=14)) == 2
    reminders = smtp_server.wait_for(5)[3:]
    assert sorted(m["To"] for m in reminders) == ["leitung@a.example.org", "verbund@example.org"]
    assert all(m["Subject"].startswith("Erinnerung") for m in reminders)
    assert verification.send_reminders(session, settings, now=start + timedelta(days=15)) == 0


def test_staff_start_a_round_on_the_page_and_see_its_progress(client, session, smtp_server):
    _setup(session)
    make_user(session, role="editor")
    sign_in(client)
    page = client.get("/verwaltung/pruefrunden")
    refused = client.post(
        "/verwaltung/pruefrunden",
        data={"csrf_token": form_token(page.text), "erinnern": "0"},
    )
    assert refused.status_code == 422
    assert "Wählen Sie eine Art von Angebot oder einen Träger" in refused.text
    assert "1 bis 365 Tage" in refused.text
    started = client.post(
        "/verwaltung/pruefrunden",
        data={"csrf_token": form_token(page.text), "kategorie": "kita", "erinnern": "10"},
    )
    assert started.status_code == 200
    assert len(smtp_server.wait_for(3)) == 3
    assert "Geantwortet: 0, teilweise: 0, noch nicht: 3" in started.text
    assert "keine: bitte einladen" in started.text


def test_the_public_page_flags_an_entry_not_confirmed_for_twelve_months(client, session):
    old = make_offer(
        session, name="Kita Alt (generiert)", last_verified=date.today() - timedelta(days=400)
    )
    fresh = make_offer(session, name="Kita Frisch (generiert)", last_verified=date.today())
    never = make_offer(session, name="Kita Nie (generiert)")
    page = client.get(f"/angebote/{old.id}").text
    assert "vom Amt geprüft am" in page and "Seit mehr als zwölf Monaten nicht bestätigt" in page
    assert "zwölf Monaten" not in client.get(f"/angebote/{fresh.id}").text
    assert re.search(r"noch nicht geprüft", client.get(f"/angebote/{never.id}").text)


def test_the_cron_command_sends_the_reminders_that_are_due(engine, session, smtp_server):
    import subprocess
    import sys

    from app.config import PROJECT_ROOT

    _setup(session)
    start = utcnow() - timedelta(days=15)
    round_ = verification.start_round(
        session, started_by=STAFF.name, category="kita", remind_after_days=14, now=start
    )
    verification.send_requests(session, round_, get_settings(), now=start)
    session.commit()
    smtp_server.wait_for(3)
    env = {
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "PATH": "/usr/bin",
        **smtp_server.env(),
    }
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "send-reminders"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "sent 3 reminder" in done.stdout
    assert len(smtp_server.wait_for(6)) == 6


def test_a_round_for_familienzentren_reaches_the_kitas_that_are_one(session, smtp_server):
    # A Familienzentrum is first a Kita (on the real data all 52 are): a round for the
    # kind reaches its provider, and asks about that offer only.
    zentrum = make_offer(
        session,
        name="Kita mit Familienzentrum (generiert)",
        provider_name=A,
        extra_categories=["familienzentrum"],
    )
    make_offer(session, name="Kita ohne (generiert)", provider_name=A)
    make_offer(session, name="Kita B (generiert)", provider_name=B)
    make_provider_account(session, A, "leitung@a.example.org")
    round_ = verification.start_round(session, started_by=STAFF.name, category="familienzentrum")
    assert verification.send_requests(session, round_, get_settings()) == 1
    session.commit()
    (mail,) = smtp_server.wait_for(1)
    assert mail["To"] == "leitung@a.example.org"
    assert _status(session, round_) == {A: "not_yet"}
    # the provider's confirmation of that one offer answers the round
    provider_edits.confirm(
        session, [zentrum], make_provider_account(session, A, "zwei@a.example.org")
    )
    assert _status(session, round_) == {A: "answered"}

"""The command line makes the first admin and API tokens."""

import subprocess
import sys

import pytest
from sqlmodel import select

from app.config import PROJECT_ROOT
from app.models import StaffUser
from app.staff.passwords import verify_password

# The command line (its arguments, exit codes and words) is the same on every database,
# and each run starts an interpreter (4-10 s): its tests run on SQLite; what the command
# does to a database is tested in-process on both backends.
ONE_DATABASE = pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)


def _cli(engine, *args: str, password: str | None = None) -> subprocess.CompletedProcess:  # noqa: ANN001
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False), "PATH": "/usr/bin"}
    if password is not None:
        env["ADMIN_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@ONE_DATABASE
def test_create_user_reads_admin_password_and_stores_only_a_hash(engine, session):
    done = _cli(
        engine,
        "create-user",
        "--role",
        "admin",
        "Erste.Admin@example.org",
        password="ein-sicheres-Passwort",
    )
    assert done.returncode == 0, done.stderr
    user = session.exec(select(StaffUser)).one()
    assert (user.email, user.role) == ("erste.admin@example.org", "admin")
    assert verify_password("ein-sicheres-Passwort", user.password_hash)[0]
    assert "ein-sicheres-Passwort" not in done.stdout + done.stderr
    again = _cli(
        engine,
        "create-user",
        "--role",
        "admin",
        "erste.admin@example.org",
        password="ein-sicheres-Passwort",
    )
    assert again.returncode == 2 and "exists already" in again.stderr
    short = _cli(engine, "create-user", "--role", "editor", "b@example.org", password="kurz")
    assert short.returncode == 2 and "password" in short.stderr
    no_terminal = _cli(engine, "create-user", "--role", "editor", "c@example.org")
    assert no_terminal.returncode != 0 and "ADMIN_PASSWORD" in no_terminal.stderr


@ONE_DATABASE
def test_create_token_prints_the_token_as_the_last_word_and_it_works(engine, client):
    done = _cli(engine, "create-token", "--role", "editor", "Deploy")
    assert done.returncode == 0, done.stderr
    token = done.stdout.split()[-1]
    created = client.post(
        "/api/v1/offers",
        headers={"Authorization": f"Bearer {token}"},
        json={"name": "Über CLI-Token (generiert)", "category": "kita"},
    )
    assert created.status_code == 201
    reader = _cli(engine, "create-token", "--role", "reader", "Nur lesen").stdout.split()[-1]
    refused = client.post(
        "/api/v1/offers",
        headers={"Authorization": f"Bearer {reader}"},
        json={"name": "Nein (generiert)", "category": "kita"},
    )
    assert refused.status_code == 403

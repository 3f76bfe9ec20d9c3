"""The one seam between the security harness and the staff code: a valid editor token.

The staff issue adds ``app.staff`` and the admin API (``/api/v1/...``) with bearer
tokens created by ``python -m app.cli create-token --role editor NAME`` (the token is
the last word it prints). Until that code is merged there are no write routes, and
``auth_headers`` is empty. Once it is, every test that takes ``auth_headers`` (the
schema fuzzing, the route walk, the body limits) sends the token and so reaches the
write routes behind it. Nothing else in ``tests/security`` knows how staff sign in.
"""

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[2]


def staff_code_present() -> bool:
    return importlib.util.find_spec("app.staff") is not None


def create_editor_token(database_url: str, name: str = "sicherheitstest") -> str:
    """A new editor token in the database at ``database_url``, made by the staff CLI."""
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "create-token", "--role", "editor", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"create-token failed: {done.stdout}\n{done.stderr}"
    words = done.stdout.split()
    assert words, "create-token printed no token"
    return words[-1]


def database_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def editor_headers(url: str) -> dict[str, str]:
    """``Authorization`` for a new editor in the database at ``url``, or ``{}`` while
    the staff code is not there (then there are no routes that need it)."""
    if not staff_code_present():
        return {}
    return {"Authorization": f"Bearer {create_editor_token(url)}"}


@pytest.fixture
def auth_headers(engine: Engine) -> Iterator[dict[str, str]]:
    """``editor_headers`` for this test's database."""
    yield editor_headers(database_url(engine))

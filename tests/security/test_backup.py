"""Backups round-trip: a backup of the real catalogue restored into a new database, or
over a database that changed since, gives back every row of every table, and the app
serves it. SQLite through its online backup API; PostgreSQL through pg_dump/pg_restore.
"""

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import get_settings
from app.db.session import get_session, make_engine
from app.main import create_app
from tests.conftest import new_database_url
from tests.factories import make_offer
from tests.security.auth import database_url
from tests.security.snapshot import differences, rows_of_every_table

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import backup as backups  # noqa: E402


def search_total(engine) -> int:  # noqa: ANN001
    app = create_app()

    def _session():  # noqa: ANN202
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as client:
        return client.get("/angebote.json", params={"q": "kita"}).json()["total"]


@pytest.fixture
def copy_url(db_backend, tmp_path):  # noqa: ANN001, ANN201
    url, cleanup = new_database_url(db_backend, tmp_path)
    yield url
    cleanup()


def test_a_backup_restored_into_a_new_database_has_every_row(real_engine, copy_url, tmp_path):
    suffix = ".sqlite" if copy_url.startswith("sqlite") else ".dump"
    saved = backups.backup(database_url(real_engine), tmp_path / f"b{suffix}")
    assert saved.stat().st_size > 100_000
    backups.restore(copy_url, saved)
    restored = make_engine(copy_url)
    try:
        original = rows_of_every_table(real_engine)
        assert sum(len(rows) for rows in original.values()) > 1000
        assert not differences(original, rows_of_every_table(restored))
        assert search_total(restored) == search_total(real_engine) > 0
    finally:
        restored.dispose()


def test_restoring_over_a_changed_database_brings_back_the_backup_exactly(
    real_engine, copy_url, tmp_path
):
    suffix = ".sqlite" if copy_url.startswith("sqlite") else ".dump"
    backups.restore(copy_url, backups.backup(database_url(real_engine), tmp_path / f"a{suffix}"))
    live = make_engine(copy_url)
    try:
        before = rows_of_every_table(live)
        saved = backups.backup(copy_url, tmp_path / f"live{suffix}")
        with Session(live) as session:
            make_offer(session, name="Nach der Sicherung angelegt (generiert)")
        assert rows_of_every_table(live) != before
        # The app's pool keeps its connections open across the restore, and goes on.
        backups.restore(copy_url, saved)
        assert not differences(before, rows_of_every_table(live))
        assert search_total(live) > 0
    finally:
        live.dispose()


def test_the_command_keeps_a_safety_copy_and_names_a_missing_backup(
    real_engine, copy_url, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "sicherungen"))
    get_settings.cache_clear()
    try:
        suffix = ".sqlite" if copy_url.startswith("sqlite") else ".dump"
        target = tmp_path / f"cli{suffix}"
        assert (
            backups.main(
                ["--database-url", database_url(real_engine), "backup", "--output", str(target)]
            )
            == 0
        )
        assert backups.main(["--database-url", copy_url, "restore", str(target)]) == 0
        safety = list((tmp_path / "sicherungen").glob("*vor-restore*"))
        assert len(safety) == (0 if copy_url.startswith("sqlite") else 1)
        assert (
            backups.main(["--database-url", copy_url, "restore", str(tmp_path / "gibt-es-nicht")])
            == 2
        )
        assert "no backup at" in capsys.readouterr().err
        broken = tmp_path / f"kaputt{suffix}"
        broken.write_bytes(b"keine Sicherung")
        assert (
            backups.main(["--database-url", copy_url, "restore", str(broken), "--no-safety-copy"])
            == 2
        )
        copy = make_engine(copy_url)
        try:
            assert not differences(rows_of_every_table(real_engine), rows_of_every_table(copy))
        finally:
            copy.dispose()
    finally:
        get_settings.cache_clear()

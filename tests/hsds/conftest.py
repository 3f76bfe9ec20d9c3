"""Fixtures of the HSDS tests: the app over the real data, and the validator of the
schemas kept in ``../shared/standards/hsds-3.0/`` (the standard's own files)."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import PROJECT_ROOT
from app.db import migrate
from app.db.session import make_engine
from app.hsds.schemas import Validator
from tests.conftest import new_database_url

STANDARD = PROJECT_ROOT.parent / "shared" / "standards" / "hsds-3.0"


@pytest.fixture(scope="session")
def standard() -> Path:
    if not (STANDARD / "service.json").exists():
        pytest.fail(f"{STANDARD} does not hold the HSDS 3.0 schemas")
    return STANDARD


@pytest.fixture(scope="session")
def hsds(standard: Path) -> Validator:
    return Validator(standard)


def app_client(engine: Engine) -> Iterator:
    from fastapi.testclient import TestClient

    from app.db.session import get_session
    from app.main import create_app

    app = create_app()

    def _session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as client:
        yield client


@pytest.fixture
def real_client(real_engine: Engine) -> Iterator:
    yield from app_client(real_engine)


@pytest.fixture
def second_engine(db_backend: str, migrated_template: str, tmp_path: Path) -> Iterator[Engine]:
    """A second migrated, empty database, beside ``engine`` (a dump's origin)."""
    if db_backend == "sqlite":
        copy = tmp_path / "second.db"
        shutil.copyfile(Path(migrated_template.removeprefix("sqlite:///")), copy)
        url, cleanup = f"sqlite:///{copy}", lambda: None
    else:
        url, cleanup = new_database_url(db_backend, tmp_path)
        migrate.upgrade(url)
    eng = make_engine(url)
    yield eng
    eng.dispose()
    cleanup()  # type: ignore[operator]


def rich_offer(session: Session, **fields: object):  # noqa: ANN201
    """A generated offer with every fact HSDS carries of ours (weekly hours, both kinds
    of exception, holiday rules, ages in months, facts, languages, costs and their
    kind, forms of offer, two kinds, phone, email, web) and no source label."""
    from tests.factories import make_offer

    values: dict[str, object] = {
        "name": "Kita Regenbogen (generiert)",
        "extra_categories": ["familienzentrum"],
        "street": "Musterstraße 1",
        "postcode": "44787",
        "lat": 51.48,
        "lon": 7.21,
        "age_min_months": 4,
        "age_max": 5,
        "target_group": "Familien mit kleinen Kindern",
        "step_free_entrance": True,
        "lift": False,
        "languages": ["Deutsch", "Türkisch"],
        "costs": "Elternbeitrag nach Einkommen",
        "costs_kind": "einkommensabhaengig",
        "delivery": ["vor-ort", "online"],
        "closed_on_holidays": True,
        "closed_school_holidays": "sommerferien:3,herbstferien:1,weihnachtsferien",
        "contact_phone": "0234 123456",
        "contact_email": "kita@example.org",
        "website": "www.example.org/kita",
        "service_area": "Bochum-Mitte",
        "opening_hours": [
            *({"weekday": d, "opens": "07:00", "closes": "16:30"} for d in range(4)),
            {"weekday": 4, "opens": "07:00", "closes": "14:00", "note": "Freitag kürzer"},
        ],
        "opening_exceptions": [
            {"starts": "2026-12-24", "ends": "2027-01-01", "note": "Weihnachtsferien"},
            {"starts": "2026-07-15", "opens": "10:00", "closes": "12:00"},
        ],
    }
    return make_offer(session, **{**values, **fields})

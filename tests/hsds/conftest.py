"""Fixtures of the HSDS tests: the app over the real data, and the validator of the
schemas kept in ``../shared/standards/hsds-3.0/`` (the standard's own files)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import PROJECT_ROOT
from app.hsds.schemas import Validator

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

"""Real databases for every test: SQLite always, PostgreSQL/PostGIS when reachable.

Each database-backed test runs once per backend (``[sqlite]`` / ``[postgres]``) on a
fresh schema. PostgreSQL is mandatory when ``CI=true``; locally it is skipped with a
clear reason when the server (or PostGIS) is not there.
"""

import os

# Read the catalogue version on every request (no grace period): tests write and read
# at once, sometimes from another process.
os.environ.setdefault("CACHE_VERSION_TTL", "0")
# Argon2id at its least cost (~1 ms instead of ~0.25 s of CPU per hash or check):
# hundreds of test accounts sign in; what is tested (Argon2id hashes only, checks,
# lock-outs) stays the same. Subprocesses (the CLI tests) inherit it.
os.environ.setdefault("PASSWORD_HASH_COST", "test")
# Servers start by the dozen here; each compiles the templates its test renders
# (tests/web/test_render_paths.py warms them all once).
os.environ.setdefault("WARM_TEMPLATES", "false")
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import get_settings
from app.db import migrate
from app.db.session import make_engine

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("sqlite", "postgres")

# The real-browser fixtures (browser, live_server, page, ...) for tests/web/test_browser_*.py.
pytest_plugins = ("tests.browser", "tests.mail_server")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db", default="sqlite,postgres", help="comma-separated backends to run database tests on"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    own = [m for m in metafunc.definition.iter_markers("parametrize") if "db_backend" in m.args[0]]
    if "db_backend" in metafunc.fixturenames and not own:  # a test may pick its backends
        wanted = [b for b in metafunc.config.getoption("--db").split(",") if b in BACKENDS]
        metafunc.parametrize("db_backend", wanted, indirect=True, scope="session")


def pytest_report_header(config: pytest.Config) -> list[str]:
    wanted = config.getoption("--db").split(",")
    lines = [f"databases: {', '.join(wanted)}"]
    if "postgres" in wanted:
        problem = _postgres_problem()
        if problem and IN_CI:
            lines.append(f"PostgreSQL: NOT AVAILABLE, tests will FAIL (CI=true): {problem}")
        elif problem:
            lines.append(f"PostgreSQL: SKIPPED locally: {problem}")
        else:
            lines.append(f"PostgreSQL: {PG_ADMIN_URL} with PostGIS")
    chromium = Path("/usr/bin/chromium").exists()
    lines.append(
        "browser: /usr/bin/chromium"
        if chromium
        else "browser: SKIPPED locally, Debian chromium not installed"
    )
    return lines


@pytest.fixture(scope="session")
def db_backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _postgres_problem() -> str | None:
    try:
        engine = make_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            available = conn.execute(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
            ).first()
        engine.dispose()
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}"
    if not available:
        return "PostGIS is not installed (Debian package postgresql-15-postgis-3)"
    return None


def require_postgres() -> None:
    problem = _postgres_problem()
    if problem:
        if IN_CI:
            pytest.fail(f"CI=true makes PostgreSQL tests mandatory: {problem}")
        pytest.skip(f"skipping PostgreSQL tests locally: {problem}")


def _create_pg_database(name: str) -> str:
    admin = make_engine(PG_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg_database(name: str) -> None:
    admin = make_engine(PG_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def new_database_url(backend: str, tmp_dir: Path) -> tuple[str, object]:
    """A fresh, empty database; returns its URL and a clean-up callable."""
    if backend == "sqlite":
        path = tmp_dir / f"fw-{uuid.uuid4().hex[:8]}.db"
        return f"sqlite:///{path}", lambda: None
    require_postgres()
    name = f"fw_test_{uuid.uuid4().hex[:10]}"
    return _create_pg_database(name), lambda: _drop_pg_database(name)


@pytest.fixture(scope="session")
def migrated_template(db_backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database per backend and test session."""
    url, cleanup = new_database_url(db_backend, tmp_path_factory.mktemp(f"tpl-{db_backend}"))
    migrate.upgrade(url)
    yield url
    cleanup()


def _table_names() -> list[str]:
    """Every table of the models (helpers' new tables included), parents first."""
    from sqlmodel import SQLModel

    import app.models  # noqa: F401  (registers the tables)

    return [t.name for t in SQLModel.metadata.sorted_tables]


def _empty_postgres(eng: Engine) -> None:
    """Every table emptied and every sequence back at 1, as ``TRUNCATE … RESTART
    IDENTITY`` leaves them, at a fraction of its cost: TRUNCATE gives each of 41
    tables and their indexes new files (180 ms a test); most tests write to a few
    tables, and deleting their few rows takes a millisecond or two."""
    names = _table_names()
    with eng.begin() as conn:
        filled = set(
            conn.execute(
                text(
                    " UNION ALL ".join(
                        f"SELECT '{n}' WHERE EXISTS (SELECT 1 FROM \"{n}\")" for n in names
                    )
                )
            ).scalars()
        )
        for name in reversed(names):  # children first: no foreign key is left dangling
            if name in filled:
                conn.execute(text(f'DELETE FROM "{name}"'))
        conn.execute(
            text(
                "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c "
                "WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace"
            )
        )


@pytest.fixture
def engine(db_backend: str, migrated_template: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database for this test alone."""
    if db_backend == "sqlite":
        path = Path(migrated_template.removeprefix("sqlite:///"))
        copy = tmp_path / "test.db"
        shutil.copyfile(path, copy)
        eng = make_engine(f"sqlite:///{copy}")
        yield eng
        eng.dispose()
        return
    eng = make_engine(migrated_template)
    yield eng
    _empty_postgres(eng)
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as s:
        yield s


@pytest.fixture
def data_dir() -> Path:
    path = get_settings().data_dir
    if not path.exists():
        pytest.fail(f"DATA_DIR {path} does not exist: the real Bochum data is needed")
    return path


@pytest.fixture
def client(engine: Engine) -> Iterator["TestClient"]:  # noqa: F821
    """The app over HTTP, on this test's database."""
    from fastapi.testclient import TestClient

    from app.db.session import get_session
    from app.main import create_app

    app = create_app()

    def _session() -> Iterator[Session]:
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    with TestClient(app) as c:
        yield c


REAL_IMPORT_REPORTS: dict[str, object] = {}  # backend -> ImportReport of the first real run


@pytest.fixture(scope="session")
def real_engine(db_backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database holding the real Bochum data, imported once per backend and session.

    Read-only for tests: write through the ``engine`` fixture instead.
    """
    from app.importer.run import run_import

    data = get_settings().data_dir
    if not data.exists():
        pytest.fail(f"DATA_DIR {data} does not exist: the real Bochum data is needed")
    tmp = tmp_path_factory.mktemp(f"real-{db_backend}")
    url, cleanup = new_database_url(db_backend, tmp)
    migrate.upgrade(url)
    eng = make_engine(url)
    REAL_IMPORT_REPORTS[db_backend] = run_import(
        eng, data, geojson_target=tmp / "districts.geojson"
    )
    yield eng
    eng.dispose()
    cleanup()


@pytest.fixture(scope="session")
def real_import_report(real_engine: Engine, db_backend: str) -> object:
    """The ImportReport of the run that filled ``real_engine``."""
    return REAL_IMPORT_REPORTS[db_backend]

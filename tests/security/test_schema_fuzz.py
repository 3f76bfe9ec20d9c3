"""Schemathesis against the app's own OpenAPI schema, in process: every documented
operation, with generated valid and invalid input, never answers 5xx, always answers
with a documented status, content type and body shape, and always with the security
headers. Routes added to the schema later are fuzzed without editing this file; write
routes get an editor token through ``tests/security/auth.py``.
"""

import pytest
import schemathesis
from hypothesis import assume, given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from app.config import get_settings
from app.db.session import make_engine
from app.main import create_app
from tests.conftest import new_database_url
from tests.factories import add_districts, make_offer
from tests.security.auth import editor_headers
from tests.security.conftest import FUZZ, FUZZ_CASES
from tests.security.hostile import formula_offer_fields, make_hostile_offer, xss_offer_fields

pytestmark = pytest.mark.fuzz

SCHEMA_PATH = "/api/openapi.json"
HEADERS = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
)


def documented_cases() -> list:
    """(METHOD, path, mode) for every operation the schema documents, read from the app:
    valid input always, invalid input where the operation takes any."""
    schema = create_app().openapi()
    cases = []
    for path, item in schema["paths"].items():
        for method, spec in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            cases.append(
                pytest.param(
                    method.upper(),
                    path,
                    GenerationMode.POSITIVE,
                    id=f"{method.upper()} {path} valid",
                )
            )
            if spec.get("parameters") or spec.get("requestBody"):
                cases.append(
                    pytest.param(
                        method.upper(),
                        path,
                        GenerationMode.NEGATIVE,
                        id=f"{method.upper()} {path} invalid",
                    )
                )
    return cases


def security_headers(ctx, response, case) -> None:  # noqa: ANN001
    """Every answer carries the security headers."""
    missing = [h for h in HEADERS if h not in {k.lower() for k in response.headers}]
    if missing:
        raise AssertionError(f"{case.method} {case.formatted_path}: no {', '.join(missing)}")


def has_empty_value(query: dict | None) -> bool:
    """Whether a parameter goes on the wire empty (``lang=``): an empty text, null, an
    empty list or an object (a query parameter has no object form; it is sent empty).
    A text of spaces only is empty too: the app reads every value stripped, and blank is
    "not given" (``app/search/declare.py: Declared.read``), as for an empty form field."""

    def empty(v: object) -> bool:
        return (
            v in ("", None)
            or (isinstance(v, str) and not v.strip())
            or isinstance(v, dict)
            or (isinstance(v, list) and (not v or any(empty(x) for x in v)))
        )

    return any(empty(v) for v in (query or {}).values())


def is_html(operation) -> bool:  # noqa: ANN001
    ok = operation.definition.raw.get("responses", {}).get("200", {})
    return "text/html" in ok.get("content", {})


@pytest.fixture(scope="module")
def fuzz_target(db_backend, tmp_path_factory):  # noqa: ANN001, ANN201
    """(app, auth headers): the app on a database of its own for this module, holding
    the real districts, an offer and offers with hostile text, and an editor token
    once the staff code exists. Shared by every operation (generated writes included),
    so its set-up and the token are made once per database."""
    from sqlmodel import Session

    from app.db import migrate
    from app.db.session import get_session

    data_dir = get_settings().data_dir
    url, cleanup = new_database_url(db_backend, tmp_path_factory.mktemp("fuzz"))
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        add_districts(session, data_dir)
        make_offer(session, name="Kita Sonnenschein (generiert)", district="mitte")
        make_hostile_offer(session, xss_offer_fields())
        make_hostile_offer(session, formula_offer_fields(), category="beratung")
    headers = editor_headers(url)
    app = create_app()

    def _session():  # noqa: ANN202
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    yield app, headers
    engine.dispose()
    cleanup()


@pytest.mark.parametrize("method, path, mode", documented_cases())
def test_generated_requests_get_documented_answers_never_a_5xx(fuzz_target, method, path, mode):
    app, auth_headers = fuzz_target
    schema = schemathesis.openapi.from_asgi(SCHEMA_PATH, app)
    operation = schema[path][method]
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        security_headers,
    ]
    if mode is GenerationMode.NEGATIVE and not is_html(operation):
        # A machine twin refuses what its schema forbids (a page shows a message instead).
        checks.append(negative_data_rejection)

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # noqa: ANN001
        # An empty parameter means "not given" (HTML forms send empty fields), so it is
        # no invalid input: such cases are left to the valid mode.
        assume(mode is GenerationMode.POSITIVE or not has_empty_value(case.query))
        FUZZ_CASES[f"schema {mode.value}"] += 1
        response = case.call(headers=auth_headers or None)
        case.validate_response(response, checks=checks, headers=auth_headers or None)

    run()

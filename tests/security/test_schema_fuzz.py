"""Schemathesis against the app's own OpenAPI schema, in process: every documented
operation, with generated valid and invalid input, never answers 5xx, always answers
with a documented status, content type and body shape, and always with the security
headers. Routes added to the schema later are fuzzed without editing this file; write
routes get an editor token through ``tests/security/auth.py``.
"""

import pytest
import schemathesis
from hypothesis import given
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from tests.factories import add_districts, make_offer
from tests.security.conftest import FUZZ, FUZZ_CASES
from tests.security.hostile import formula_offer_fields, make_hostile_offer, xss_offer_fields

pytestmark = pytest.mark.fuzz

SCHEMA_PATH = "/api/openapi.json"
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy",
           "permissions-policy")


def documented_cases() -> list:
    """(METHOD, path, mode) for every operation the schema documents, read from the app:
    valid input always, invalid input where the operation takes any."""
    schema = create_app().openapi()
    cases = []
    for path, item in schema["paths"].items():
        for method, spec in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            cases.append(pytest.param(method.upper(), path, GenerationMode.POSITIVE,
                                      id=f"{method.upper()} {path} valid"))
            if spec.get("parameters") or spec.get("requestBody"):
                cases.append(pytest.param(method.upper(), path, GenerationMode.NEGATIVE,
                                          id=f"{method.upper()} {path} invalid"))
    return cases


def security_headers(ctx, response, case) -> None:  # noqa: ANN001
    """Every answer carries the security headers."""
    missing = [h for h in HEADERS if h not in {k.lower() for k in response.headers}]
    if missing:
        raise AssertionError(f"{case.method} {case.formatted_path}: no {', '.join(missing)}")


def is_html(operation) -> bool:  # noqa: ANN001
    ok = operation.definition.raw.get("responses", {}).get("200", {})
    return "text/html" in ok.get("content", {})


@pytest.fixture
def fuzz_app(engine, data_dir, session):  # noqa: ANN001, ANN201
    """The app on this test's database, holding real districts and offers with hostile
    text, so the generated requests meet data."""
    from sqlmodel import Session

    from app.db.session import get_session

    add_districts(session, data_dir)
    make_offer(session, name="Kita Sonnenschein (generiert)", district="mitte")
    make_hostile_offer(session, xss_offer_fields())
    make_hostile_offer(session, formula_offer_fields(), category="beratung")
    app = create_app()

    def _session():  # noqa: ANN202
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = _session
    return app


@pytest.mark.parametrize("method, path, mode", documented_cases())
def test_generated_requests_get_documented_answers_never_a_5xx(fuzz_app, auth_headers,
                                                              method, path, mode):
    schema = schemathesis.openapi.from_asgi(SCHEMA_PATH, fuzz_app)
    operation = schema[path][method]
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance, security_headers]
    if mode is GenerationMode.NEGATIVE and not is_html(operation):
        # A machine twin refuses what its schema forbids (a page shows a message instead).
        checks.append(negative_data_rejection)

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # noqa: ANN001
        FUZZ_CASES[f"schema {mode.value}"] += 1
        response = case.call(headers=auth_headers or None)
        case.validate_response(response, checks=checks, headers=auth_headers or None)

    run()

"""Every staff page and every API write is protected, checked from the app's route table:
a new route without protection fails here."""

import re

from fastapi.routing import iter_route_contexts

from app.deps import PASSWORD_PATHS, require_admin, require_planner, require_provider
from app.main import create_app
from app.staff.roles import planner_may_open
from tests.staff.helpers import make_provider_account, make_token, make_user, sign_in

# The only staff routes a stranger may open: the sign-in form and its post, and the
# invitation link's page (it signs a provider's contact in for the first time).
PUBLIC_STAFF = {
    ("GET", "/verwaltung/anmelden"),
    ("POST", "/verwaltung/anmelden"),
    ("GET", "/verwaltung/einladung/{token}"),
    ("POST", "/verwaltung/einladung/{token}"),
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _routes(prefix: str) -> list[tuple[str, str, object]]:
    found = []
    for route in iter_route_contexts(create_app().routes):
        path = route.path or ""
        if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "."):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    found.append((method, path, route))
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _admin_only(route) -> bool:  # noqa: ANN001
    return any(d.call is require_admin for d in route.dependant.dependencies)


def _provider_only(route) -> bool:  # noqa: ANN001
    return any(d.call is require_provider for d in route.dependant.dependencies)


STAFF_ROUTES = [(m, p, r) for m, p, r in _routes("/verwaltung") if (m, p) not in PUBLIC_STAFF]
API_WRITES = [(m, p, r) for m, p, r in _routes("/api/v1") if m in WRITES]


def test_the_route_table_has_the_staff_pages_and_api_writes_the_issue_names():
    paths = {(m, p) for m, p, _ in STAFF_ROUTES + API_WRITES}
    for expected in [
        ("GET", "/verwaltung/angebote/{offer_id}/verlauf"),
        ("POST", "/api/v1/offers"),
        ("PUT", "/api/v1/offers/{offer_id}"),
        ("PATCH", "/api/v1/offers/{offer_id}"),
        ("POST", "/api/v1/offers/{offer_id}/archive"),
        ("POST", "/api/v1/offers/{offer_id}/restore"),
        ("POST", "/api/v1/providers"),
        ("PATCH", "/api/v1/providers/{provider_id}"),
        ("POST", "/api/v1/providers/{provider_id}/archive"),
        ("GET", "/verwaltung/traeger-bereich"),
        ("POST", "/verwaltung/traeger-bereich/angebote/{offer_id}"),
        ("GET", "/verwaltung/traeger-aenderungen"),
        ("POST", "/verwaltung/pruefrunden"),
        ("GET", "/verwaltung/kita-meldungen"),
    ]:
        assert expected in paths
    print(
        f"\nprotection test: {len(STAFF_ROUTES)} staff page routes, "
        f"{sum(_admin_only(r) for _, _, r in STAFF_ROUTES)} of them admin-only, "
        f"{sum(_provider_only(r) for _, _, r in STAFF_ROUTES)} for provider accounts, "
        f"{len(API_WRITES)} API write routes"
    )


def test_a_stranger_is_sent_to_sign_in_from_every_staff_route(client, session):
    for method, path, _ in STAFF_ROUTES:
        response = client.request(method, _concrete(path), follow_redirects=False)
        assert response.status_code == 303, f"{method} {path}: {response.status_code}"
        assert response.headers["location"].startswith("/verwaltung/anmelden?weiter="), path


def test_an_editor_gets_403_on_every_admin_only_route(client, session):
    make_user(session, role="editor")
    sign_in(client)
    admin_only = [(m, p) for m, p, r in STAFF_ROUTES if _admin_only(r)]
    assert len(admin_only) >= 7
    for method, path in admin_only:
        response = client.request(method, _concrete(path), follow_redirects=False)
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"
    assert client.get("/verwaltung/angebote").status_code == 200  # the rest is open to them
    provider_only = [(m, p) for m, p, r in STAFF_ROUTES if _provider_only(r)]
    assert len(provider_only) >= 7
    for method, path in provider_only:  # the providers' area is not the staff's
        response = client.request(method, _concrete(path), follow_redirects=False)
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"


def test_a_provider_account_gets_403_on_every_staff_route_and_401_on_every_api_write(
    client, session
):
    """A provider (Träger) account opens only its own area (and its password page):
    no offer list, accounts, tokens, planning tables or review queues; its session
    is no API token."""
    make_provider_account(session)
    sign_in(client, "kita@traeger.example.org")
    staff_only = [
        (m, p) for m, p, r in STAFF_ROUTES if not _provider_only(r) and p not in PASSWORD_PATHS
    ]
    assert len(staff_only) >= 40
    for method, path in staff_only:
        response = client.request(method, _concrete(path), follow_redirects=False)
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"
    for method, path, _ in API_WRITES:
        response = client.request(method, _concrete(path), json={})
        assert response.status_code == 401, f"{method} {path}: {response.status_code}"
    assert client.get("/verwaltung/traeger-bereich").status_code == 200


def test_every_api_write_needs_a_token_with_the_editor_role(client, session):
    reader = make_token(session, role="reader")
    for method, path, _ in API_WRITES:
        url = _concrete(path)
        anonymous = client.request(method, url, json={})
        assert anonymous.status_code == 401, f"{method} {path}: {anonymous.status_code}"
        assert anonymous.headers["www-authenticate"] == "Bearer"
        wrong = client.request(
            method, url, json={}, headers={"Authorization": "Bearer fww_not-a-real-token"}
        )
        assert wrong.status_code == 401, f"{method} {path} with a wrong token"
        lacking = client.request(
            method, url, json={}, headers={"Authorization": f"Bearer {reader}"}
        )
        assert lacking.status_code == 403, f"{method} {path}: {lacking.status_code}"


def test_the_api_documents_its_bearer_security_scheme(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    post = schema["paths"]["/api/v1/offers"]["post"]
    assert {"bearer": []} in post["security"]
    assert {"401", "403", "422"} <= set(post["responses"])
    patch = schema["paths"]["/api/v1/offers/{offer_id}"]["patch"]
    assert {"401", "403", "404", "409", "422"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" for p in patch["parameters"])


def _planner_route(route) -> bool:  # noqa: ANN001
    return any(d.call is require_planner for d in route.dependant.dependencies)


def test_every_goals_route_needs_the_planner_permission_and_nothing_else_admits_planners():
    goals = [(m, p, r) for m, p, r in STAFF_ROUTES if p.startswith("/verwaltung/ziele")]
    assert ("GET", "/verwaltung/ziele") in {(m, p) for m, p, _ in goals}
    assert ("POST", "/verwaltung/ziele/massnahme/{row_id}/stand") in {(m, p) for m, p, _ in goals}
    assert all(_planner_route(r) for _, _, r in goals)
    planners = [p for _, p, r in STAFF_ROUTES if _planner_route(r)]
    assert "/verwaltung/planung/festhalten" in planners
    assert all(planner_may_open(p) for p in planners)


def test_a_planner_gets_403_on_every_staff_route_but_the_goals_and_their_account(client, session):
    make_user(session, role="planner")
    sign_in(client)
    for method, path, _ in STAFF_ROUTES:
        if planner_may_open(path):
            continue
        response = client.request(method, _concrete(path), follow_redirects=False)
        if path == "/verwaltung":
            assert response.headers["location"] == "/verwaltung/ziele"
            continue
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"
    assert client.get("/verwaltung/ziele").status_code == 200
    assert client.get("/verwaltung/konto/passwort").status_code == 200

"""Signing in and out: the session cookie, throttling, form tokens, passwords."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from app.config import DEFAULT_SECRET_KEY, Settings
from app.models import Offer, SignInAttempt, StaffSession
from app.staff import accounts
from tests.factories import make_offer
from tests.staff.helpers import PASSWORD, form_token, make_user, sign_in, token_of


def _post_sign_in(client, email, password, token=None):  # noqa: ANN001, ANN202
    token = token if token is not None else form_token(client.get("/verwaltung/anmelden").text)
    return client.post(
        "/verwaltung/anmelden",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_sign_in_sets_an_httponly_lax_expiring_cookie_and_goes_back_where_asked(client, session):
    make_user(session)
    stranger = client.get("/verwaltung/pruefen", follow_redirects=False)
    assert stranger.headers["location"] == "/verwaltung/anmelden?weiter=%2Fverwaltung%2Fpruefen"
    page = client.get(stranger.headers["location"])
    assert 'name="weiter" value="/verwaltung/pruefen"' in page.text
    response = client.post(
        "/verwaltung/anmelden",
        data={
            "email": " Redaktion@Example.org ",
            "password": PASSWORD,
            "weiter": "/verwaltung/pruefen",
            "csrf_token": form_token(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/verwaltung/pruefen"
    cookie = next(
        v
        for k, v in response.headers.multi_items()
        if k == "set-cookie" and v.startswith("fw_staff=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=" in cookie
    assert "Secure" not in cookie  # plain HTTP in tests; Secure over HTTPS
    assert client.get("/verwaltung/pruefen").status_code == 200


def test_the_cookie_is_secure_over_https(session, engine):
    from sqlmodel import Session

    from app.db.session import get_session
    from app.main import create_app

    def _session():  # noqa: ANN202
        with Session(engine) as s:
            yield s

    make_user(session)
    app = create_app()
    app.dependency_overrides[get_session] = _session
    with TestClient(app, base_url="https://testserver") as secure_client:
        response = sign_in(secure_client)
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_sign_in_never_goes_to_another_site(client, session):
    make_user(session)
    page = client.get("/verwaltung/anmelden")
    response = client.post(
        "/verwaltung/anmelden",
        data={
            "email": "redaktion@example.org",
            "password": PASSWORD,
            "weiter": "//evil.example/verwaltung",
            "csrf_token": form_token(page.text),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/verwaltung"


def test_each_sign_in_starts_a_new_session_and_ends_the_old_one(client, session):
    make_user(session)
    sign_in(client)
    first = client.cookies.get("fw_staff")
    sign_in(client)
    second = client.cookies.get("fw_staff")
    assert first != second
    rows = session.exec(select(StaffSession).order_by(StaffSession.created_at)).all()
    assert len(rows) == 2 and rows[0].ended_at is not None and rows[1].ended_at is None
    client.cookies.set("fw_staff", first)
    assert client.get("/verwaltung", follow_redirects=False).status_code == 303


def test_a_cookie_from_a_signed_out_session_no_longer_works(client, session):
    make_user(session)
    sign_in(client)
    kept = client.cookies.get("fw_staff")
    out = client.post(
        "/verwaltung/abmelden",
        data={"csrf_token": token_of(client, "/verwaltung")},
        follow_redirects=False,
    )
    assert out.status_code == 303 and "abgemeldet=1" in out.headers["location"]
    client.cookies.set("fw_staff", kept)  # someone kept a copy of the cookie
    again = client.get("/verwaltung/angebote", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"].startswith("/verwaltung/anmelden")


def test_a_wrong_password_is_refused_with_one_message_for_address_and_password(client, session):
    make_user(session)
    wrong = _post_sign_in(client, "redaktion@example.org", "falsch-falsch-falsch")
    unknown = _post_sign_in(client, "niemand@example.org", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "E-Mail-Adresse oder Passwort ist falsch." in response.text
        assert 'aria-invalid="true"' in response.text
    assert 'value="redaktion@example.org"' in wrong.text  # the typed address is kept
    assert "falsch-falsch-falsch" not in wrong.text  # never the password


def test_the_sixth_wrong_password_in_a_minute_is_refused_even_when_right(client, session):
    make_user(session)
    for _ in range(5):
        wrong = _post_sign_in(client, "redaktion@example.org", "nicht-das-passwort")
        assert wrong.status_code == 422
    sixth = _post_sign_in(client, "redaktion@example.org", PASSWORD)
    assert sixth.status_code == 429
    assert "Bitte versuchen Sie es in 15 Minuten noch einmal." in sixth.text
    assert 0 < int(sixth.headers["retry-after"]) <= 15 * 60
    assert "fw_staff" not in client.cookies
    # counted in the database: another worker (another app) refuses too
    other = TestClient(client.app)
    assert _post_sign_in(other, "redaktion@example.org", PASSWORD).status_code == 429
    assert session.exec(select(SignInAttempt)).all()


def test_many_failures_from_one_address_block_it_for_every_account(client, session):
    make_user(session, email="b@example.org")
    for n in range(20):
        _post_sign_in(client, f"raten{n}@example.org", "nicht-das-passwort")
    assert _post_sign_in(client, "b@example.org", PASSWORD).status_code == 429


def test_a_form_without_or_with_a_wrong_token_is_refused_and_stores_nothing(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Ohne Token (generiert)")
    sign_in(client)
    data = {"version": str(offer.version), "name": "Umbenannt (generiert)", "category": "kita"}
    missing = client.post(f"/verwaltung/angebote/{offer.id}", data=data, follow_redirects=False)
    wrong = client.post(
        f"/verwaltung/angebote/{offer.id}",
        data={**data, "csrf_token": "0" * 64},
        follow_redirects=False,
    )
    for response in (missing, wrong):
        assert response.status_code == 403
        assert "Das Formular ist abgelaufen" in response.text
    archive = client.post(
        f"/verwaltung/angebote/{offer.id}/archivieren", data={}, follow_redirects=False
    )
    assert archive.status_code == 403
    session.expire_all()
    stored = session.get(Offer, offer.id)
    assert stored.name == "Kita Ohne Token (generiert)" and stored.version == offer.version
    assert stored.archived_at is None


def test_a_form_token_of_a_signed_out_session_is_refused(client, session):
    make_user(session)
    offer = make_offer(session, name="Kita Altes Formular (generiert)")
    sign_in(client)
    old_token = token_of(client, f"/verwaltung/angebote/{offer.id}")
    client.post("/verwaltung/abmelden", data={"csrf_token": old_token})
    sign_in(client)
    response = client.post(
        f"/verwaltung/angebote/{offer.id}/archivieren",
        data={"csrf_token": old_token},
        follow_redirects=False,
    )
    assert response.status_code == 403
    session.expire_all()
    assert session.get(Offer, offer.id).archived_at is None


def test_the_sign_in_form_needs_its_token_too(client, session):
    make_user(session)
    response = _post_sign_in(client, "redaktion@example.org", PASSWORD, token="")
    assert response.status_code == 403
    assert "fw_staff" not in client.cookies


def test_changing_the_password_ends_the_other_sessions(client, session):
    make_user(session)
    other = TestClient(client.app)
    sign_in(other)
    sign_in(client)
    response = client.post(
        "/verwaltung/konto/passwort",
        data={
            "csrf_token": token_of(client, "/verwaltung/konto/passwort"),
            "current_password": PASSWORD,
            "new_password": "ein-ganz-neues-Passwort",
            "new_password_again": "ein-ganz-neues-Passwort",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.get("/verwaltung").status_code == 200
    assert other.get("/verwaltung", follow_redirects=False).status_code == 303
    assert (
        _post_sign_in(
            TestClient(client.app), "redaktion@example.org", "ein-ganz-neues-Passwort"
        ).status_code
        == 303
    )


def test_a_short_new_password_is_named_in_the_error_summary(client, session):
    make_user(session)
    sign_in(client)
    response = client.post(
        "/verwaltung/konto/passwort",
        data={
            "csrf_token": token_of(client, "/verwaltung/konto/passwort"),
            "current_password": PASSWORD,
            "new_password": "kurz",
            "new_password_again": "kurz",
        },
    )
    assert response.status_code == 422
    assert 'href="#new_password"' in response.text
    assert "mindestens 12 Zeichen" in response.text


def test_an_account_made_by_an_admin_must_set_its_own_password_first(client, session):
    admin = make_user(session, email="admin@example.org", role="admin")
    assert admin.role == "admin"
    sign_in(client, "admin@example.org")
    created = client.post(
        "/verwaltung/konten",
        data={
            "csrf_token": token_of(client, "/verwaltung/konten"),
            "email": "neu@example.org",
            "role": "editor",
        },
    )
    assert created.status_code == 200
    password = created.text.split('<p class="secret"><code>')[1].split("</code>")[0]
    newcomer = TestClient(client.app)
    sign_in(newcomer, "neu@example.org", password)
    redirect = newcomer.get("/verwaltung/angebote", follow_redirects=False)
    assert redirect.headers["location"] == "/verwaltung/konto/passwort"


def test_passwords_are_stored_as_argon2_hashes_only(session):
    user = make_user(session)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_the_last_admin_cannot_lose_the_admin_role(session):
    admin = make_user(session, email="admin@example.org", role="admin")
    with pytest.raises(accounts.AccountError):
        accounts.change_user(session, admin, role="editor")
    with pytest.raises(accounts.AccountError):
        accounts.change_user(session, admin, active=False)


def test_production_refuses_the_default_secret_key():
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Settings(environment="production", secret_key=DEFAULT_SECRET_KEY).check_for_production()
    with pytest.raises(RuntimeError):
        Settings(environment="production", secret_key="short").check_for_production()
    good = {"environment": "production", "secret_key": "x" * 40}
    Settings(**good, password_hash_cost="recommended").check_for_production()
    Settings().check_for_production()  # development: fine
    # The test suite's cheap password hashing never runs in production.
    with pytest.raises(RuntimeError, match="PASSWORD_HASH_COST"):
        Settings(**good, password_hash_cost="test").check_for_production()


def test_the_app_does_not_start_in_production_with_the_default_key(monkeypatch):
    from app.config import get_settings
    from app.main import create_app

    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app()
    finally:
        get_settings.cache_clear()

"""Signing in through the real pages, for the staff tests."""

import re

from sqlmodel import Session

from app.catalogue.providers import get_or_create_provider
from app.models import Provider, StaffUser
from app.staff import accounts, invitations, tokens

PASSWORD = "richtig-langes-Passwort-1"


def make_user(
    session: Session,
    email: str = "redaktion@example.org",
    role: str = "editor",
    password: str = PASSWORD,
) -> StaffUser:
    user = accounts.create_user(session, email, password, role)
    session.commit()
    session.refresh(user)
    return user


def make_token(session: Session, role: str = "editor", name: str = "Test-Skript") -> str:
    _token, secret = tokens.create_token(session, name, role, "test")
    session.commit()
    return secret


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form token"
    return match.group(1)


def sign_in(client, email: str = "redaktion@example.org", password: str = PASSWORD):  # noqa: ANN001, ANN201
    page = client.get("/verwaltung/anmelden")
    response = client.post(
        "/verwaltung/anmelden",
        data={"email": email, "password": password, "csrf_token": form_token(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:2000]
    return response


def token_of(client, path: str) -> str:  # noqa: ANN001
    """The form token of a signed-in page."""
    return form_token(client.get(path).text)


def make_provider_account(
    session: Session,
    provider: Provider | str = "Träger der Kitas (generiert)",
    email: str = "kita@traeger.example.org",
    password: str = PASSWORD,
) -> StaffUser:
    """A provider (Träger) account bound to ``provider``, through an invitation."""
    if isinstance(provider, str):
        provider = get_or_create_provider(session, provider)
    new = invitations.invite(session, provider, email, "test")
    user = invitations.accept(session, new.invitation, password)
    session.commit()
    session.refresh(user)
    return user

"""Invitations of a provider's contact: a single-use sign-in link that expires, with
which the person sets a password (Argon2, as every account) and gets an account of
the role ``provider`` bound to the provider (or the provider added to their account).

Only the token's SHA-256 is stored; the link is in the e-mail (or shown once)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from app.i18n import gettext as _
from app.models import (
    PROVIDER_ROLE,
    Provider,
    ProviderInvitation,
    ProviderMember,
    StaffUser,
    utcnow,
)
from app.staff.accounts import AccountError, create_user, find_user, normalise_email, valid_email
from app.staff.accounts import set_password as change_password
from app.staff.passwords import password_problem
from app.staff.sessions import aware

PATH = "/verwaltung/einladung/"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class NewInvitation:
    invitation: ProviderInvitation
    token: str  # in the link only, never stored

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}{PATH}{self.token}"


def invite(
    session: Session,
    provider: Provider,
    email: str,
    created_by: str,
    *,
    days: int = 7,
    now: datetime | None = None,
) -> NewInvitation:
    """A new invitation for ``email`` to speak for ``provider``; raises ``AccountError``
    for an address that is no address or belongs to a staff account."""
    email = normalise_email(email)
    if not valid_email(email):
        raise AccountError("email", _("Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein."))
    existing = find_user(session, email)
    if existing is not None and existing.role != PROVIDER_ROLE:
        raise AccountError(
            "email",
            _("Diese Adresse gehört zu einem Konto der Verwaltung; laden Sie eine andere ein."),
        )
    token = secrets.token_urlsafe(32)
    now = now or utcnow()
    row = ProviderInvitation(
        token_hash=_hash(token),
        email=email,
        provider_id=provider.id,
        created_by=created_by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(row)
    session.flush()
    return NewInvitation(row, token)


def find_invitation(
    session: Session, token: str, *, now: datetime | None = None
) -> ProviderInvitation | None:
    """The open invitation of a link: unknown, used or expired ones are None."""
    if not token or len(token) > 200:
        return None
    row = (
        session.execute(
            select(ProviderInvitation).where(ProviderInvitation.token_hash == _hash(token))
        )
        .scalars()
        .first()
    )
    if row is None or row.used_at is not None or aware(row.expires_at) <= (now or utcnow()):
        return None
    return row


def password_errors(
    invitation: ProviderInvitation, password: str, password_again: str
) -> dict[str, str]:
    """What is wrong with the chosen password and its repetition, per field, all at
    once (an empty dict when both are fine)."""
    errors: dict[str, str] = {}
    problem = password_problem(password, invitation.email)
    if problem:
        errors["password"] = problem
    if password != password_again:
        errors["password_again"] = _("Die beiden Passwörter sind nicht gleich.")
    return errors


def accept(
    session: Session, invitation: ProviderInvitation, password: str, *, name: str | None = None
) -> StaffUser:
    """Use the invitation: the account (new, or the person's provider account) gets the
    password and the provider; the link is dead afterwards."""
    user = find_user(session, invitation.email)
    if user is not None and user.role != PROVIDER_ROLE:
        raise AccountError("password", _("Diese Einladung gilt nicht mehr."))
    if user is None:
        user = create_user(session, invitation.email, password, PROVIDER_ROLE, name=name)
    else:
        problem = password_problem(password, user.email)
        if problem:
            raise AccountError("password", problem)
        change_password(session, user, password)
        user.active = True
    if session.get(ProviderMember, (user.id, invitation.provider_id)) is None:
        session.add(ProviderMember(user_id=user.id, provider_id=invitation.provider_id))
    invitation.used_at = utcnow()
    session.add(invitation)
    session.flush()
    return user


def provider_ids(session: Session, user: StaffUser) -> list[int]:
    """The providers an account speaks for (none for staff accounts)."""
    return list(
        session.execute(
            select(ProviderMember.provider_id)
            .where(ProviderMember.user_id == user.id)
            .order_by(ProviderMember.provider_id)
        ).scalars()
    )


def members_of(session: Session, provider_id: int) -> list[StaffUser]:
    """The active accounts that speak for a provider (its contacts)."""
    return list(
        session.execute(
            select(StaffUser)
            .join(ProviderMember, ProviderMember.user_id == StaffUser.id)
            .where(ProviderMember.provider_id == provider_id, StaffUser.active.is_(True))
            .order_by(StaffUser.email)
        ).scalars()
    )


def open_invitations(session: Session, provider_id: int) -> list[ProviderInvitation]:
    now = utcnow()
    rows = session.execute(
        select(ProviderInvitation)
        .where(ProviderInvitation.provider_id == provider_id, ProviderInvitation.used_at.is_(None))
        .order_by(ProviderInvitation.created_at.desc())
    ).scalars()
    return [r for r in rows if aware(r.expires_at) > now]

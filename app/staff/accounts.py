"""Staff accounts: create, find, change password, role and whether active."""

import re
import secrets

from sqlalchemy import func, select, update
from sqlmodel import Session

from app.i18n import gettext as _
from app.models import PROVIDER_ROLE, StaffSession, StaffUser, utcnow
from app.staff.passwords import hash_password, password_problem
from app.staff.roles import USER_ROLES

_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]{2,}$")


class AccountError(ValueError):
    """A rule an account change breaks, with the form field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    return email.strip().lower()


def valid_email(email: str) -> bool:
    return bool(_EMAIL.match(email)) and len(email) <= 254


def find_user(session: Session, email: str) -> StaffUser | None:
    return (
        session.execute(select(StaffUser).where(StaffUser.email == normalise_email(email)))
        .scalars()
        .first()
    )


def create_user(
    session: Session,
    email: str,
    password: str,
    role: str,
    *,
    name: str | None = None,
    must_change_password: bool = False,
) -> StaffUser:
    """A new account; raises ``AccountError`` naming the field that is wrong."""
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 254:
        raise AccountError("email", _("Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein."))
    if role not in (*USER_ROLES, PROVIDER_ROLE):
        raise AccountError("role", _("Die Rolle muss „admin“ oder „editor“ sein."))
    if find_user(session, email) is not None:
        raise AccountError("email", _("Für diese E-Mail-Adresse gibt es schon ein Konto."))
    problem = password_problem(password, email)
    if problem:
        raise AccountError("password", problem)
    user = StaffUser(
        email=email,
        name=(name or "").strip() or None,
        role=role,
        password_hash=hash_password(password),
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    return user


def generated_password() -> str:
    """A first password an admin hands over (the person changes it at first sign-in)."""
    return secrets.token_urlsafe(12)


def set_password(
    session: Session, user: StaffUser, password: str, *, keep_session: str | None = None
) -> None:
    """Change the password and end every other session of the person."""
    problem = password_problem(password, user.email)
    if problem:
        raise AccountError("new_password", problem)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    session.add(user)
    end_sessions(session, user, except_id=keep_session)
    session.flush()


def end_sessions(session: Session, user: StaffUser, *, except_id: str | None = None) -> None:
    stmt = (
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    if except_id is not None:
        stmt = stmt.where(StaffSession.id != except_id)
    session.execute(stmt)


def active_admins(session: Session) -> int:
    return session.execute(
        select(func.count())
        .select_from(StaffUser)
        .where(StaffUser.role == "admin", StaffUser.active.is_(True))
    ).scalar_one()


def change_user(
    session: Session, user: StaffUser, *, role: str | None = None, active: bool | None = None
) -> None:
    """Change a person's role or switch the account off (which ends their sessions).
    The last active admin stays an active admin."""
    if role is not None and role not in USER_ROLES:
        raise AccountError("role", _("Die Rolle muss „admin“ oder „editor“ sein."))
    loses_admin = (
        user.role == "admin"
        and user.active
        and ((role is not None and role != "admin") or active is False)
    )
    if loses_admin and active_admins(session) <= 1:
        raise AccountError("role", _("Das ist das letzte aktive Admin-Konto; es bleibt Admin."))
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
        if not active:
            end_sessions(session, user)
    session.add(user)
    session.flush()


def list_users(session: Session) -> list[StaffUser]:
    return list(session.execute(select(StaffUser).order_by(StaffUser.email)).scalars())

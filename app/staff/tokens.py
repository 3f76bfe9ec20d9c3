"""API tokens: created by an admin (or the command line), shown once, stored hashed,
named, with a role; revoked on a page."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlmodel import Session

from app.i18n import gettext as _
from app.models import ApiToken, utcnow
from app.staff.accounts import AccountError
from app.staff.roles import ROLES
from app.staff.sessions import aware

PREFIX = "fww_"
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, role: str, created_by: str) -> tuple[ApiToken, str]:
    """A new token; returns the row and the token itself (shown once, never stored)."""
    name = " ".join(name.split())
    if not 1 <= len(name) <= 100:
        raise AccountError(
            "name",
            _(
                "Geben Sie dem Zugang einen Namen (höchstens 100 "
                "Zeichen), zum Beispiel „Import-Skript Jugendamt“."
            ),
        )
    if role not in ROLES:
        raise AccountError("role", _("Die Rolle muss „admin“, „editor“ oder „reader“ sein."))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name, role=role, token_hash=_hash(secret), prefix=secret[:12], created_by=created_by
    )
    session.add(token)
    session.flush()
    return token, secret


def find_token(session: Session, secret: str) -> ApiToken | None:
    """The live token for ``secret`` (None when unknown or revoked)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = (
        session.execute(select(ApiToken).where(ApiToken.token_hash == _hash(secret)))
        .scalars()
        .first()
    )
    if token is None or token.revoked_at is not None:
        return None
    now = utcnow()
    if token.last_used_at is None or aware(token.last_used_at) + TOUCH_EVERY <= now:
        # Once a minute, whatever the number of requests at once: the row is written
        # only where it is still older (the others touch nothing and wait for nothing
        # longer than that one write); committed at once, before the route runs.
        touched = session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token.id,
                or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - TOUCH_EVERY),
            )
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if touched:
            session.commit()
        else:
            session.rollback()
    return token


def revoke_token(session: Session, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        session.flush()


def list_tokens(session: Session) -> list[ApiToken]:
    return list(
        session.execute(
            select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.name, ApiToken.id)
        ).scalars()
    )

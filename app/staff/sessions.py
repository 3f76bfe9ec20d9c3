"""Signed-in sessions, stored server-side.

The cookie holds a random token signed with the secret key (itsdangerous, with its
time of issue); the database holds only the token's SHA-256 with the times that end
it. Signing in always starts a new session (a new id); signing out ends it on the
server, so a copied cookie stops working at once, in every worker.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import select, update
from sqlmodel import Session

from app.config import Settings
from app.models import StaffSession, StaffUser, utcnow

COOKIE = "fw_staff"
TOUCH_EVERY = timedelta(minutes=1)  # how often "last seen" is written


@dataclass
class SignedIn:
    user: StaffUser
    record: StaffSession

    @property
    def session_id(self) -> str:
        return self.record.id


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def aware(when: datetime) -> datetime:
    """SQLite hands back stored UTC times without a zone."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _signer(settings: Settings) -> TimestampSigner:
    return TimestampSigner(settings.secret_key, salt="familienwegweiser.staff-session")


def start_session(
    session: Session, user: StaffUser, settings: Settings, *, replaces: str | None = None
) -> tuple[str, StaffSession]:
    """A new session for ``user`` (ending ``replaces``, the cookie's old one, if any);
    returns the cookie value and the stored row."""
    if replaces:
        end_session(session, replaces)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    record = StaffSession(
        id=token_hash(token),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_hours),
    )
    user.last_sign_in_at = now
    session.add(record)
    session.add(user)
    session.flush()
    return _signer(settings).sign(token).decode(), record


def session_id_of(cookie: str | None, settings: Settings) -> str | None:
    """The stored id a cookie names, if its signature holds and it is not too old."""
    if not cookie:
        return None
    try:
        token = _signer(settings).unsign(cookie, max_age=int(settings.session_hours * 3600))
    except BadSignature:  # also SignatureExpired
        return None
    return token_hash(token.decode())


def signed_in(session: Session, cookie: str | None, settings: Settings) -> SignedIn | None:
    """The person a session cookie belongs to, while the session is alive."""
    sid = session_id_of(cookie, settings)
    if sid is None:
        return None
    row = session.execute(
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffUser.id == StaffSession.user_id)
        .where(StaffSession.id == sid)
    ).first()
    if row is None:
        return None
    record, user = row
    now = utcnow()
    idle = timedelta(minutes=settings.session_idle_minutes)
    if (
        record.ended_at is not None
        or aware(record.expires_at) <= now
        or aware(record.last_seen_at) + idle <= now
        or not user.active
    ):
        return None
    if aware(record.last_seen_at) + TOUCH_EVERY <= now:
        # At most once a minute, however many requests come at once (see tokens.py).
        touched = session.execute(
            update(StaffSession)
            .where(StaffSession.id == sid, StaffSession.last_seen_at <= now - TOUCH_EVERY)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if touched:
            session.commit()
        else:
            session.rollback()
    return SignedIn(user, record)


def end_session(session: Session, session_id: str) -> None:
    record = session.get(StaffSession, session_id)
    if record is not None and record.ended_at is None:
        record.ended_at = utcnow()
        session.add(record)
        session.flush()

"""Limits on failed sign-ins, per account and per address, counted in the database
(so that they hold across workers)."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlmodel import Session

from app.config import Settings
from app.models import SignInAttempt, utcnow
from app.staff.sessions import aware

KEEP = timedelta(days=1)  # attempts older than this are deleted


@dataclass(frozen=True)
class Blocked:
    seconds: int
    per_account: bool

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def _failures(session: Session, where: list, since: datetime, limit: int) -> list[datetime]:
    rows = (
        session.execute(
            select(SignInAttempt.at)
            .where(*where, SignInAttempt.succeeded.is_(False), SignInAttempt.at > since)
            .order_by(SignInAttempt.at.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
    return [aware(at) for at in rows]


def blocked(session: Session, email: str, address: str, settings: Settings) -> Blocked | None:
    """Whether a sign-in for ``email`` from ``address`` is refused now, and how long.

    An account is blocked after ``sign_in_max_per_account`` failures within the window
    (counted since its last successful sign-in), an address after
    ``sign_in_max_per_address``; the block ends when the oldest of those failures
    leaves the window.
    """
    now = utcnow()
    window = timedelta(minutes=settings.sign_in_window_minutes)
    since = now - window
    last_ok = session.execute(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.email == email, SignInAttempt.succeeded.is_(True)
        )
    ).scalar()
    account_since = max(since, aware(last_ok)) if last_ok else since
    checks = (
        (True, [SignInAttempt.email == email], account_since, settings.sign_in_max_per_account),
        (False, [SignInAttempt.address == address], since, settings.sign_in_max_per_address),
    )
    for per_account, where, start, limit in checks:
        failures = _failures(session, where, start, limit)
        if len(failures) >= limit:
            until = min(failures) + window
            return Blocked(max(1, math.ceil((until - now).total_seconds())), per_account)
    return None


def record_attempt(session: Session, email: str, address: str, succeeded: bool) -> None:
    session.execute(delete(SignInAttempt).where(SignInAttempt.at < utcnow() - KEEP))
    session.add(SignInAttempt(email=email, address=address[:64], succeeded=succeeded))
    session.flush()

"""Staff: accounts, their server-side sessions, sign-in attempts (for throttling),
API tokens, and uploaded files awaiting confirmation."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.catalogue import utcnow

# admin: everything, manages users and tokens; editor: offers, providers and the planning
# tables (and the goals); planner: the goals and measures of the Zielvereinbarung only
# (not offers); reader (API tokens only): reads what is not public (archived entries,
# history).
ROLES = ("admin", "editor", "planner", "reader")
USER_ROLES = ("admin", "editor", "planner")


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    name: str | None = Field(default=None, max_length=200)
    role: str = Field(max_length=20)  # USER_ROLES
    password_hash: str = Field(max_length=300)  # Argon2 (pwdlib), never the password
    active: bool = True
    must_change_password: bool = False  # set when an admin created the password
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)
    last_sign_in_at: datetime | None = None

    @property
    def label(self) -> str:
        """How the change log names this person: "user:3 anna@example.org"."""
        return f"user:{self.id} {self.email}"


class StaffSession(SQLModel, table=True):
    """A signed-in session. The cookie carries a random token (signed); only its SHA-256
    is stored, so a leaked database does not hand out sessions. Signing out sets
    ``ended_at``: the cookie stops working at once, in every worker."""

    __tablename__ = "staff_session"
    id: str = Field(primary_key=True, max_length=64)  # sha256 hex of the token
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    last_seen_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class SignInAttempt(SQLModel, table=True):
    """One try to sign in; failures are counted per account and per address in the
    database, so the limit holds across workers."""

    __tablename__ = "sign_in_attempt"
    __table_args__ = (
        Index("ix_sign_in_attempt_email", "email", "at"),
        Index("ix_sign_in_attempt_address", "address", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    email: str = Field(max_length=254)  # as typed, lower-case
    address: str = Field(max_length=64)  # the client's IP address
    succeeded: bool = False


class ApiToken(SQLModel, table=True):
    """A bearer token for scripts and deployments: shown once, stored as SHA-256 (the
    token is 256 random bits, so a fast hash is enough and lookups stay cheap)."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    role: str = Field(max_length=20)  # ROLES
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=12)  # the first characters, to recognise a token
    created_at: datetime = Field(default_factory=utcnow)
    created_by: str = Field(max_length=200)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def label(self) -> str:
        return f"token:{self.id} {self.name}"


class StaffUpload(SQLModel, table=True):
    """A CSV uploaded for preview; applied when staff confirm it."""

    __tablename__ = "staff_upload"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="staff_user.id")
    filename: str = Field(max_length=200)
    content: str  # the file as UTF-8 text
    created_at: datetime = Field(default_factory=utcnow)
    applied_at: datetime | None = None
    summary: str | None = Field(default=None, max_length=500)

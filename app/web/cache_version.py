"""The version token the response cache (``app.web.cache``) tags its entries with:
the catalogue's counters (``app.db.state``), read from the database at most once per
ttl per worker, in a worker thread, never blocking the event loop."""

import threading
import time
from collections.abc import Callable

import anyio

from app.db import state
from app.db.session import get_session, open_session


class VersionClock:
    """The catalogue's version token, read through ``read`` at most every ``ttl`` s."""

    def __init__(self, read: Callable[[], str], ttl: float) -> None:
        self.read = read
        self.ttl = ttl
        self._value: str | None = None
        self._at = 0.0
        self._generation = 0  # one more on each invalidate: a read begun before it is old
        self._lock = threading.Lock()
        self._reading = anyio.Lock()

    async def current(self) -> str:
        """The token. A database read runs in a worker thread (never blocking the event
        loop), one at a time; while it runs, other requests go on with the token read
        before (at most one ttl old), so no request waits behind it."""
        fresh = self._fresh()
        if fresh is not None:
            return fresh
        if self._reading.locked() and self._value is not None:
            return self._value
        async with self._reading:
            fresh = self._fresh()
            if fresh is not None:
                return fresh
            with self._lock:
                generation = self._generation
            value = await anyio.to_thread.run_sync(self.read)
            with self._lock:
                if generation == self._generation:  # no write was told in between
                    self._value, self._at = value, time.monotonic()
            return value

    def _fresh(self) -> str | None:
        with self._lock:
            if self._value is not None and time.monotonic() - self._at < self.ttl:
                return self._value
        return None

    def invalidate(self) -> None:
        """Forget the token (``app.db.state.on_change``: a write in this process was
        committed), so the next request reads it again instead of serving for up to one
        ttl the page from before the write to the very person who made it."""
        with self._lock:
            self._value = None
            self._generation += 1


def catalogue_version(app: "object") -> Callable[[], str]:
    """A reader of the catalogue's version token through the app's session factory
    (tests' dependency overrides included)."""

    def read() -> str:
        factory = getattr(app, "dependency_overrides", {}).get(get_session, open_session)
        sessions = factory()
        session = next(sessions)
        try:
            return "|".join(f"{k}={v}" for k, v in sorted(state.versions(session).items()))
        finally:
            sessions.close()

    return read

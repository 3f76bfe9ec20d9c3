"""The one place that opens database connections and sessions.

Sizing, per worker process (see the README, "Sessions, threads and the pool"): a
request gets its session from ``get_session``, which first takes one of
``WORKER_THREADS`` slots, waiting for it in the event loop (holding neither a thread
nor a connection), at most ``DATABASE_QUEUE_TIMEOUT`` seconds, else ``DatabaseBusy``
(a 503 with Retry-After). The pool holds ``WORKER_THREADS + RESERVE`` connections and
no overflow, so each of the slots has its connection and the reserve serves sessions
opened outside a request's slot (the response cache's version reader). A request opens
one session: every dependency shares it (FastAPI caches ``get_session`` per request).
"""

import asyncio
import weakref
from collections.abc import AsyncIterator, Iterator
from functools import cache

import anyio
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.config import get_settings

RESERVE = 2  # connections beyond the request slots: the cache's version reader, a spare


class DatabaseBusy(Exception):
    """No database session became free in time: the request is answered with a 503."""


def pool_size() -> int:
    return get_settings().worker_threads + RESERVE


def _pool_arguments(url: str) -> dict[str, object]:
    if url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") == "sqlite:"):
        return {}  # one shared in-memory connection, no queue
    return {
        "pool_size": pool_size(),
        "max_overflow": 0,
        "pool_timeout": get_settings().database_pool_timeout,
    }


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        busy_ms = int(get_settings().database_queue_timeout * 1000)
        engine = create_engine(
            url, connect_args={"check_same_thread": False}, **_pool_arguments(url)
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            # One writer at a time: a writer waits for the lock as long as a request may
            # wait for its session (parallel writers queue here, they do not fail).
            cur.execute(f"PRAGMA busy_timeout={busy_ms}")
            cur.close()

        return engine
    # A connection that went away is noticed before use (pre-ping) and replaced; a server
    # that does not answer in time is an OperationalError (a 503), not a hanging request.
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": get_settings().database_connect_timeout},
        **_pool_arguments(url),
    )


@cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


_slots: "weakref.WeakKeyDictionary[object, anyio.Semaphore]" = weakref.WeakKeyDictionary()


def _request_slots() -> anyio.Semaphore:
    """The slots of this event loop (one per worker process; tests start several)."""
    loop = asyncio.get_running_loop()
    slots = _slots.get(loop)
    if slots is None:
        slots = _slots[loop] = anyio.Semaphore(get_settings().worker_threads)
    return slots


async def get_session() -> AsyncIterator[Session]:
    """The request's session, once one of the worker's slots is free (see above)."""
    slots = _request_slots()
    try:
        with anyio.fail_after(get_settings().database_queue_timeout):
            await slots.acquire()
    except TimeoutError:
        raise DatabaseBusy() from None
    try:
        session = Session(get_engine())
        try:
            yield session
        finally:
            # Closing gives the connection back (a rollback on the wire): in a thread,
            # so a database that stopped answering never blocks the event loop.
            await anyio.to_thread.run_sync(session.close)
    finally:
        slots.release()


def open_session() -> Iterator[Session]:
    """A session outside a request's slot (the reserve): the response cache's reader of
    the catalogue version, scripts."""
    with Session(get_engine()) as session:
        yield session

"""The public pages' response cache, with validators a browser, proxy or CDN can use.

A public GET (search, map, districts, offer pages, planning view, their twins) is the
same for everyone until the catalogue changes. Its response is kept in memory, keyed by
path, query, locale, whether HTMX asked for a fragment (``wants_fragment``) and whether
the client takes gzip, and tagged with the catalogue's version token
(``app.db.state``: every write bumps it, in the database, so every worker sees
it). A later request with the same key and version is answered from memory without
touching the database or a thread; the body is stored gzip-compressed only (a page of
60 KB takes 12 KB), and unpacked for the rare client that does not take gzip. Every
cacheable response carries an ``ETag`` (304 for a matching ``If-None-Match``) and
``Cache-Control: public`` so that a reverse proxy or a CDN can serve it too.

The version is read from the database at most once per ``ttl`` seconds per worker (a
write in this worker invalidates at once; another worker's write is seen within the
ttl). Responses that set a cookie, are not 200/404, say ``private`` (a form with its
visitor's token) or are larger than ``max_body`` are not kept; the whole cache is bounded by
``max_bytes`` (least recently used out).

**Pages and their HTMX fragments (one URL, two answers).** ``/angebote`` and
``/planung`` answer an HTMX swap (``HX-Request: true``) with the fragment that
replaces the results, and everything else with the whole page, under the same URL
(HTMX pushes it, so that a copied link, a reload and a bookmark show the page). Which
one is decided once, by ``wants_fragment``: the routes render by it
(``app.web.render.render_page_or_fragment``) and this cache keys by it. A history
restore (``HX-History-Restore-Request: true``) always gets the whole page, even when
it also says ``HX-Request`` (HTMX's default ``historyRestoreAsHxRequest``), because
HTMX puts that answer in place of the whole body. What a browser or a shared cache
is told:

- Both answers say ``Vary: HX-Request, HX-History-Restore-Request`` (with ``Cookie``,
  which chooses the language, and ``Accept-Encoding``, on every cached response). A
  cache that honours ``Vary`` (browsers, nginx since 1.7.7, Varnish, Squid) then
  never answers one kind of request with the other kind of answer; without it the
  page stored by a proxy would come back into the results of an HTMX swap.
- The fragment is ``Cache-Control: no-store``; the page stays ``public, max-age``.
  ``private`` would keep shared caches off the fragment but still let the browser
  store it under the page's URL, where its back/forward navigation (which takes
  stored answers without asking), a new tab opened from the page, or a cache that
  ignores ``Vary`` (several CDNs key on the URL alone) can show it as the page.
  With ``no-store`` no cache anywhere ever holds a fragment, so none can hand it out,
  whatever it does with ``Vary``; it costs one request per swap, which this cache
  answers from memory (the fragment is kept here: this is the origin's own memory,
  not an HTTP cache). A CDN that ignores ``Vary`` could still hand a stored page to
  an HTMX request: such a CDN must bypass its cache for requests with ``HX-Request``.
- In the browser, HTMX keeps no snapshots (``historyCacheSize: 0``) and, on Back or
  Forward to a swapped URL, reloads it as a whole page (``refreshOnHistoryMiss``), so
  the page, its scripts included, comes from the server (from this cache, or a 304)
  and never from a fragment (``base.html``).

Tests: ``tests/web/test_cache.py`` (headers, keys), ``tests/web/test_proxy_cache.py``
(nginx with ``proxy_cache`` in front of a real server), ``tests/web/
test_browser_history.py`` (Chromium: filter, Back, Forward, reload, new tab).

**Answers that depend on the clock.** A response that changes with the time of day
(e.g. an "open now" filter) calls ``depends_on_clock(request, seconds)`` while it is
built, and computes with the moment that call returns (the start of the current
period of ``seconds``, default 60). The cache then keeps it only until that period
ends (each period is in effect one more component of the key: the next request after
it builds the page anew) and sends ``Cache-Control: public, max-age=<seconds left in
the period>`` without ``stale-while-revalidate``, so a browser or proxy drops it at
the same moment. A response that does not call it is kept until the catalogue changes.
"""

import gzip
import hashlib
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import i18n
from app.web.cache_version import VersionClock

# Paths whose GET responses depend only on the catalogue (and the locale).
CACHEABLE = (
    "/angebote",
    "/karte",
    "/bezirke",
    "/planung",
    "/ueber",
    "/impressum",
    "/datenschutz",
    "/barrierefreiheit",
    "/api/openapi.json",
    "/api/docs",
    "/api/hsds",
)
KEEP_STATUS = (200, 404)

# The request headers that choose between a page and its HTMX fragment.
HTMX_VARY = "HX-Request, HX-History-Restore-Request"
# What a fragment says to every cache: never store me (see the module docstring).
FRAGMENT_CACHE_CONTROL = "no-store"
# The request state's key under which a route declares its clock period.
_CLOCK = "cache_clock_until"


def wants_fragment(headers: Headers) -> bool:
    """HTMX asks for the fragment of a swap: ``HX-Request``, and not a history restore
    (which replaces the whole body and so needs the whole page)."""
    return (
        headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"
    )


def depends_on_clock(request: Request, seconds: int = 60) -> datetime:
    """Declare that the response being built depends on the clock, to ``seconds``; the
    start of the current period (UTC), the moment the response should be computed for.
    The cache keeps the response until the period ends, and tells browsers and proxies
    to keep it no longer (module docstring)."""
    if seconds < 1:
        raise ValueError("seconds must be at least 1")
    start = int(time.time()) // seconds * seconds
    until = start + seconds
    earlier = request.scope.setdefault("state", {}).get(_CLOCK)
    request.scope["state"][_CLOCK] = until if earlier is None else min(earlier, until)
    return datetime.fromtimestamp(start, UTC)


def is_cacheable(path: str) -> bool:
    return path == "/" or any(path == p or path.startswith((p + "/", p + ".")) for p in CACHEABLE)


@dataclass(frozen=True)
class Entry:
    version: str
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes  # gzip-compressed when ``compressed``: one copy per page
    compressed: bool
    etag: str
    until: float | None = None  # wall-clock end of its clock period (depends_on_clock)

    @property
    def size(self) -> int:
        return len(self.body) + 512

    def expired(self) -> bool:
        return self.until is not None and time.time() >= self.until


class ResponseCache:
    """Pure ASGI: answers cacheable GETs from memory, stores what the app answers."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        clock: VersionClock,
        max_bytes: int = 64 << 20,
        max_body: int = 2 << 20,
        max_age: int = 60,
    ) -> None:
        self.app = app
        self.clock = clock
        self.max_bytes = max_bytes
        self.max_body = max_body
        self.max_age = max_age
        self.cache_control = f"public, max-age={max_age}, stale-while-revalidate={max_age * 5}"
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._filling: dict[tuple, anyio.Event] = {}
        self._size = 0
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not is_cacheable(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        gzip_ok = "gzip" in headers.get("accept-encoding", "")
        key = (
            scope["path"],
            scope.get("query_string", b""),
            i18n.get_locale(),
            wants_fragment(headers),
        )
        try:
            version = await self.clock.current()
        except Exception:  # noqa: BLE001  (the app answers, e.g. with its 503 page)
            await self.app(scope, receive, send)
            return
        entry = self._get(key, version)
        if entry is None and key in self._filling:
            # Another request is building this very page: wait for it (no stampede).
            await self._filling[key].wait()
            entry = self._get(key, version)
        if entry is not None:
            await self._send(entry, send, gzip_ok, headers.get("if-none-match"))
            return
        done = self._filling.setdefault(key, anyio.Event())
        try:
            await self._fill(scope, receive, send, key, version, gzip_ok)
        finally:
            if self._filling.get(key) is done:
                del self._filling[key]
            done.set()

    def _get(self, key: tuple, version: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.version != version or entry.expired():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def _drop(self, key: tuple) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._size -= entry.size

    async def _send(
        self, entry: Entry, send: Send, gzip_ok: bool, if_none_match: str | None
    ) -> None:
        stored = entry.headers
        if entry.until is not None:  # a public max-age: the seconds left in its period
            control = self._clock_control(entry.until).encode()
            stored = tuple(
                (k, control if k == b"cache-control" and v.startswith(b"public") else v)
                for k, v in stored
            )
        if if_none_match and entry.etag in [t.strip() for t in if_none_match.split(",")]:
            headers = [
                (k, v)
                for k, v in stored
                if k in (b"etag", b"cache-control", b"vary", b"content-language")
            ]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = entry.body
        headers = [(k, v) for k, v in stored if k != b"content-length"]
        if entry.compressed and gzip_ok:
            headers.append((b"content-encoding", b"gzip"))
        elif entry.compressed:  # the rare client without gzip: unpacked on the way out
            body = gzip.decompress(body)
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _fill(
        self, scope: Scope, receive: Receive, send: Send, key: tuple, version: str, gzip_ok: bool
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        keep = True
        # The route's declarations (depends_on_clock) land in this request's state.
        state = scope.setdefault("state", {})

        async def capture(message: Message) -> None:
            nonlocal start, keep
            if message["type"] not in ("http.response.start", "http.response.body"):
                await send(message)  # e.g. the test client's template debug message
                return
            if message["type"] == "http.response.start":
                start = message
                heads = Headers(raw=message["headers"])
                if (
                    message["status"] not in KEEP_STATUS
                    or "set-cookie" in heads
                    or "content-encoding" in heads
                    or "private" in heads.get("cache-control", "")
                ):
                    keep = False
                    await send(_with_vary(message))
                return
            if not keep:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if sum(len(c) for c in chunks) > self.max_body:
                keep = False
                await send(start)
                await send(
                    {
                        "type": "http.response.body",
                        "body": b"".join(chunks),
                        "more_body": message.get("more_body", False),
                    }
                )
                chunks.clear()
                return
            if not message.get("more_body", False):
                entry = self._entry(start, b"".join(chunks), version, state.get(_CLOCK))
                self._put(key, entry)
                await self._send(entry, send, gzip_ok, None)

        await self.app(scope, receive, capture)

    def _entry(self, start: Message, body: bytes, version: str, until: float | None) -> Entry:
        """The stored answer. ``Cache-Control`` is the cache's ``public`` one unless the
        route set its own (a fragment's ``no-store``) or depends on the clock; ``Vary``
        adds what every key holds: the language (chosen by the ``lang`` cookie) and the
        encoding."""
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        headers = MutableHeaders(raw=list(start["headers"]))
        headers["etag"] = etag
        if "cache-control" not in headers:
            headers["cache-control"] = (
                self.cache_control if until is None else self._clock_control(until)
            )
        _add_vary(headers)
        compressed = len(body) > 1024
        if compressed:
            body = gzip.compress(body, 6)
        return Entry(version, start["status"], tuple(headers.raw), body, compressed, etag, until)

    def _clock_control(self, until: float) -> str:
        """``public`` for the seconds left in the clock period (at most ``max_age``),
        without ``stale-while-revalidate``: after the period the answer is wrong."""
        left = max(1, min(self.max_age, math.ceil(until - time.time())))
        return f"public, max-age={left}"

    def _put(self, key: tuple, entry: Entry) -> None:
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._size += entry.size
            while self._size > self.max_bytes and self._entries:
                self._drop(next(iter(self._entries)))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


def _add_vary(headers: MutableHeaders) -> None:
    """What every key of this cache holds, said to the caches behind it: the language
    (chosen by the ``lang`` cookie) and the encoding."""
    vary = [v.strip() for v in headers.get("vary", "").split(",") if v.strip()]
    headers["vary"] = ", ".join(dict.fromkeys([*vary, "Cookie", "Accept-Encoding"]))


def _with_vary(start: Message) -> Message:
    """A response passed through uncached (e.g. a ``no-store`` fragment) still varies by
    language and encoding like the cached ones."""
    headers = MutableHeaders(raw=list(start["headers"]))
    _add_vary(headers)
    return {**start, "headers": headers.raw}

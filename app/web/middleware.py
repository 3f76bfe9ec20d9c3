"""The ASGI layers every response passes: locale, security headers, HEAD, and the
last line of defence that turns an unhandled error into a German error page.

Pure ASGI (no ``BaseHTTPMiddleware``): the headers are set on ``http.response.start``
of every response, error pages included, and nothing is buffered.
"""

import logging
import traceback
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import i18n
from app.db.session import DatabaseBusy

log = logging.getLogger("app.errors")

# error_page(request, status, detail=None): the page (or JSON) of an error status.
ErrorPage = Callable[..., Awaitable[Response] | Response]


def security_headers(csp: str, https: bool) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=(), "
        "usb=(), interest-cohort=()",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


class WebMiddleware:
    """Locale per request; security headers on every response; HEAD answered like GET
    without a body; unhandled errors (and a database that went away) as an error page
    (500, or 503 for the database) that carries the same headers."""

    def __init__(self, app: ASGIApp, *, csp: str, error_page: ErrorPage) -> None:
        self.app = app
        self.csp = csp
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        query_lang = request.query_params.get("lang")
        i18n.set_locale(i18n.negotiate(query_lang, request.cookies.get("lang")))
        locale = i18n.get_locale()
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        https = scope.get("scheme") == "https"
        extra = security_headers(self.csp, https)
        started = False

        async def send_wrapped(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
                headers.setdefault("Content-Language", locale)
                vary = headers.get("Vary")
                if not vary:
                    headers["Vary"] = "Cookie, HX-Request"
                if query_lang in i18n.SUPPORTED:
                    cookie: SimpleCookie = SimpleCookie()
                    cookie["lang"] = query_lang
                    cookie["lang"].update(
                        {"max-age": 365 * 24 * 3600, "path": "/", "samesite": "lax"}
                    )
                    headers.append("Set-Cookie", cookie.output(header="").strip())
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b"", "more_body": False}
            await send(message)

        try:
            await self.app(scope, receive, send_wrapped)
        except (DatabaseBusy, PoolTimeout) as exc:
            # Overload: no session or connection free in time. A quick 503 with
            # Retry-After, never a request that hangs on the pool.
            log.warning(
                "overloaded on %s %s: %s", scope["method"], scope["path"], exc.__class__.__name__
            )
            await self._fail(scope, receive, send_wrapped, started, 503, exc)
        except (OperationalError, DBAPIError) as exc:
            if not _connection_lost(exc):
                await self._fail(scope, receive, send_wrapped, started, 500, exc)
            else:
                log.error(
                    "database unavailable on %s %s: %s",
                    scope["method"],
                    scope["path"],
                    exc.__class__.__name__,
                )
                await self._fail(scope, receive, send_wrapped, started, 503, exc)
        except Exception as exc:
            await self._fail(scope, receive, send_wrapped, started, 500, exc)

    async def _fail(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        started: bool,
        status: int,
        exc: BaseException,
    ) -> None:
        if status == 500:
            log.error(
                "unhandled %s on %s %s\n%s",
                exc.__class__.__name__,
                scope["method"],
                scope["path"],
                stack_without_values(exc),
            )
        if started:
            # Without the original as context: its message may carry what was typed.
            raise RuntimeError("error after the response started") from None
        response = self.error_page(Request(scope), status)
        if not isinstance(response, Response):
            response = await response
        await response(scope, receive, send)


def stack_without_values(exc: BaseException) -> str:
    """Where an error happened (files, lines, code), without its message or the query
    string: both may carry what a person typed, and logs must not hold personal data."""
    return "".join(traceback.format_tb(exc.__traceback__)).rstrip()


def _connection_lost(exc: DBAPIError) -> bool:
    return bool(getattr(exc, "connection_invalidated", False)) or isinstance(exc, OperationalError)

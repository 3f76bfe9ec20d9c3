"""Request body limits as pure ASGI middleware: a body larger than the setting gets a 413
before any route reads it, so nobody can fill memory or disk through a form or the API.

Multipart bodies (``multipart/form-data``, file uploads) may be larger than the rest.
A declared ``Content-Length`` above the limit is refused without reading a byte; a body
sent without one (chunked) is counted as it is read and refused when it passes the limit.
"""

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import gettext as _
from app.web.middleware import ErrorPage


class BodyTooLarge(HTTPException):
    """Raised while a route reads a body past the limit; an ``HTTPException`` so that
    FastAPI's body parsing passes it on to the app's error handler (a 413 page/JSON)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))
        self.limit = limit


def too_large_message(limit: int) -> str:
    megabytes = f"{limit / 1_048_576:.0f}" if limit >= 1_048_576 else f"{limit / 1_048_576:.2f}"
    return _("Die Anfrage ist zu groß: höchstens %(mb)s MB sind erlaubt.", mb=megabytes)


def declared_length(headers: Headers) -> int | None:
    value = headers.get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_body: int, max_upload: int, error_page: ErrorPage
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.error_page = error_page

    def limit_for(self, headers: Headers) -> int:
        content_type = headers.get("content-type", "").lower()
        return self.max_upload if content_type.startswith("multipart/form-data") else self.max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limit_for(headers)
        length = declared_length(headers)
        if length is not None and length > limit:
            await self._refuse(scope, receive, send, limit)
            return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = self.error_page(Request(scope), 413, too_large_message(limit))
        if not isinstance(response, Response):
            response = await response
        response.headers["Connection"] = "close"
        await response(scope, receive, send)

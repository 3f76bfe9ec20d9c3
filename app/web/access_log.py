"""The access log, written by the app instead of the server: method, path, status and
time, and nothing a person typed.

Uvicorn's own access log prints the whole request line, query string included (a
search for a street, a postcode, a name), so the server runs with ``--no-access-log``
and this pure ASGI middleware logs to ``app.access`` instead. Form fields and bodies
are never read here; client addresses are left out too (personal data under the GDPR).
"""

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("app.access")


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed_ms)

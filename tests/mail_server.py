"""A real SMTP server on 127.0.0.1 for tests (aiosmtpd), and the settings that use it.

    def test_x(smtp_server):
        ...  # the app sends through it (SMTP_HOST/PORT are set for this test)
        [msg] = smtp_server.messages  # email.message.EmailMessage objects

``smtp_server.wait_for(n)`` waits (bounded) until n messages have arrived, for mail sent
from a live server in another process.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage

import pytest


class _Collector:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.messages.append(msg)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, host: str, port: int, collector: _Collector) -> None:
        self.host, self.port, self._collector = host, port, collector

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self._collector.messages)

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        return list(self._collector.envelopes)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self._collector.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

    def env(self) -> dict[str, str]:
        """The environment a live server needs to send through this server."""
        return {
            "SMTP_HOST": self.host,
            "SMTP_PORT": str(self.port),
            "SMTP_STARTTLS": "false",
            "MAIL_FROM": "Familienwegweiser Test <test@familienwegweiser.invalid>",
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    from aiosmtpd.controller import Controller

    from app.config import get_settings

    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    server = SmtpServer("127.0.0.1", port, collector)
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        yield server
    finally:
        controller.stop()
        get_settings.cache_clear()

"""app/mail.py against a real SMTP server on 127.0.0.1."""

import pytest

from app.config import get_settings
from app.mail import Mail, MailError, mail_configured, send, valid_address


def test_a_message_arrives_with_utf8_subject_and_body(smtp_server):
    send(
        Mail(
            to="eltern@example.org",
            subject="Ihr Hinweis zu „Kita Sonnenschein“",
            body="Vielen Dank. Die Telefonnummer ist jetzt geändert: 0234 12345.",
        )
    )
    [msg] = smtp_server.wait_for(1)
    assert msg["To"] == "eltern@example.org"
    assert msg["Subject"] == "Ihr Hinweis zu „Kita Sonnenschein“"
    assert "Telefonnummer ist jetzt geändert" in msg.get_content()
    assert msg["Message-ID"] and msg["Date"]
    assert smtp_server.envelopes[0][1] == ["eltern@example.org"]


def test_a_subject_with_line_breaks_cannot_add_headers(smtp_server):
    send(Mail(to="a@example.org", subject="Hallo\r\nBcc: b@example.org", body="x"))
    [msg] = smtp_server.wait_for(1)
    assert msg["Bcc"] is None
    assert smtp_server.envelopes[0][1] == ["a@example.org"]


@pytest.mark.parametrize(
    "address",
    [
        "",
        "keine-adresse",
        "a@example.org, b@example.org",
        "a@example.org\r\nBcc: x@y.z",
        "Name <a@example.org>",
    ],
)
def test_only_one_plain_address_is_a_recipient(address):
    assert not valid_address(address)


def test_without_a_server_nothing_is_sent_and_it_says_so(monkeypatch):
    monkeypatch.setenv("SMTP_HOST", "")
    get_settings.cache_clear()
    try:
        assert not mail_configured()
        with pytest.raises(MailError):
            send(Mail(to="a@example.org", subject="x", body="y"))
    finally:
        get_settings.cache_clear()


def test_a_server_that_is_down_is_a_mail_error_not_a_crash(monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    monkeypatch.setenv("MAIL_FROM", "test@familienwegweiser.invalid")
    get_settings.cache_clear()
    try:
        with pytest.raises(MailError):
            send(Mail(to="a@example.org", subject="x", body="y"))
    finally:
        get_settings.cache_clear()

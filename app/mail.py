"""Outgoing e-mail through the configured SMTP server, the one place that sends mail.

The standard library's ``smtplib`` does the work (a kept, synchronous client: the
callers are route handlers in the thread pool and CLI jobs, so an async client would
buy nothing). A message is plain text, UTF-8, with a Message-ID and Date; nothing typed
by a person is ever logged here: a failure is logged with the recipient's domain only.

Callers check :func:`mail_configured` first when a page must say that no mail goes out
(e.g. the invitation link is then shown once to the staff member instead).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from app.config import Settings, get_settings

log = logging.getLogger(__name__)


class MailError(Exception):
    """The message was not accepted by the SMTP server (or none is configured)."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    reply_to: str | None = None


def mail_configured(settings: Settings | None = None) -> bool:
    settings = settings or get_settings()
    return bool(settings.smtp_host and settings.mail_from)


def valid_address(address: str) -> bool:
    """A single plain address (no display name, no header injection)."""
    name, addr = parseaddr(address)
    return (
        bool(addr)
        and addr == address.strip()
        and "@" in addr
        and not any(c in address for c in "\r\n,;<>")
        and len(address) <= 254
    )


def build_message(mail: Mail, settings: Settings) -> EmailMessage:
    if not valid_address(mail.to):
        raise MailError("invalid recipient address")
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = mail.to
    msg["Subject"] = " ".join(mail.subject.split())  # no line breaks in a header
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    sender_domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(domain=sender_domain)
    if mail.reply_to and valid_address(mail.reply_to):
        msg["Reply-To"] = mail.reply_to
    msg.set_content(mail.body, charset="utf-8")
    return msg


def send(mail: Mail, settings: Settings | None = None) -> None:
    """Hand one message to the SMTP server; raises :class:`MailError` if it is refused."""
    settings = settings or get_settings()
    if not mail_configured(settings):
        raise MailError("no SMTP server configured (SMTP_HOST, MAIL_FROM)")
    msg = build_message(mail, settings)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                password = (
                    settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                )
                smtp.login(settings.smtp_user, password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        domain = mail.to.rpartition("@")[2]
        log.warning("mail to a recipient at %s not sent: %s", domain, exc.__class__.__name__)
        raise MailError(exc.__class__.__name__) from exc

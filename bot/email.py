"""Outbound email adapters for :class:`handlers.ports.EmailPort` (wired in bot/app.py).

``SmtpEmail``: the standard library's ``smtplib`` on a worker thread (the event loop never
waits on the mail server), STARTTLS by default (port 465: TLS from the first byte), login
when a user is set. ``DemoEmail``: sends nothing; the journey shows the code in the chat as
a marked demo message, so a newcomer without a mail server still completes sign-up.
Nothing here logs an address, a subject, a body or a code.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from handlers.ports import EmailUnavailable

log = logging.getLogger(__name__)
IMPLICIT_TLS_PORT = 465


class DemoEmail:
    demo = True

    async def send(
        self, to: str, subject: str, body: str
    ) -> None:  # pragma: no cover - never called
        return None


class SmtpEmail:
    demo = False

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        user: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = 10.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self._host, self._port, self._sender = host, port, sender
        self._user, self._password = user, password
        self._starttls, self._timeout = starttls, timeout
        self._tls = tls_context

    def _message(self, to: str, subject: str, body: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(
            domain=parseaddr(self._sender)[1].rpartition("@")[2] or None
        )
        message.set_content(body)
        return message

    async def send(self, to: str, subject: str, body: str) -> None:
        message = self._message(to, subject, body)
        try:
            await asyncio.to_thread(self._send, message)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("email not sent: %s", type(exc).__name__)  # never the address or body
            raise EmailUnavailable() from None

    def _send(self, message: EmailMessage) -> None:
        context = self._tls or ssl.create_default_context()
        if self._port == IMPLICIT_TLS_PORT:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self._host, self._port, timeout=self._timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(self._host, self._port, timeout=self._timeout)
        with smtp:
            if self._starttls and self._port != IMPLICIT_TLS_PORT:
                smtp.starttls(context=context)
            if self._user:
                smtp.login(self._user, self._password or "")
            smtp.send_message(message)

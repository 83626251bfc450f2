"""The SMTP adapter against a real SMTP server (aiosmtpd) on 127.0.0.1: STARTTLS before the
login, never a silent fall-back to plain text, nothing of the mail in the logs."""

from __future__ import annotations

import logging
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bot.email import SmtpEmail
from handlers.ports import EmailUnavailable

USER, SECRET = "mailer", "smtp-pa55word"


class Received:
    def __init__(self) -> None:
        self.mails: list[tuple[Any, bytes, bool]] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook
        self.mails.append((envelope.rcpt_tos, envelope.content, session.ssl is not None))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(),
            SECRET.encode(),
        )
        if ok:
            self.logins.append(USER)
        return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("tls")
    key, crt = d / "key.pem", d / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(crt),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return crt, key


def _server(received: Received, port: int, cert: tuple[Path, Path] | None) -> Controller:
    kwargs: dict[str, Any] = {}
    if cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*map(str, cert))
        kwargs = {
            "tls_context": context,
            "require_starttls": True,
            "authenticator": received.authenticate,
            "auth_required": True,
        }
    return Controller(received, hostname="127.0.0.1", port=port, **kwargs)


@pytest.fixture
def tls_server(cert: tuple[Path, Path]) -> Iterator[tuple[Received, int]]:
    received, port = Received(), _free_port()
    controller = _server(received, port, cert)
    controller.start()
    try:
        yield received, port
    finally:
        controller.stop()


@pytest.fixture
def plain_server() -> Iterator[tuple[Received, int]]:
    received, port = Received(), _free_port()
    controller = _server(received, port, None)
    controller.start()
    try:
        yield received, port
    finally:
        controller.stop()


def _client(port: int, cert: tuple[Path, Path] | None, **kw: Any) -> SmtpEmail:
    context = ssl.create_default_context(cafile=str(cert[0])) if cert else None
    return SmtpEmail(
        "127.0.0.1",
        port,
        "MSI <no-reply@msi.example>",
        user=USER,
        password=SECRET,
        tls_context=context,
        timeout=10,
        **kw,
    )


async def test_starttls_then_login_then_the_mail(
    tls_server: tuple[Received, int], cert: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    received, port = tls_server
    await _client(port, cert).send("jamie@example.com", "Your code", "Your code is 246810")
    [(rcpt, content, over_tls)] = received.mails
    assert rcpt == ["jamie@example.com"] and over_tls and received.logins == [USER]
    assert b"246810" in content and b"Subject: Your code" in content
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))
    assert "246810" not in ours and SECRET not in ours and "jamie@example.com" not in ours


async def test_a_server_without_starttls_gets_nothing(
    plain_server: tuple[Received, int], cert: tuple[Path, Path]
) -> None:
    """No silent downgrade: with STARTTLS on (the default) a plain-text server is refused
    before the password or the code is sent."""
    received, port = plain_server
    with pytest.raises(EmailUnavailable):
        await _client(port, cert).send("jamie@example.com", "Your code", "Your code is 246810")
    assert received.mails == []


async def test_an_untrusted_certificate_gets_nothing(tls_server: tuple[Received, int]) -> None:
    received, port = tls_server
    with pytest.raises(EmailUnavailable):
        await _client(port, None).send("jamie@example.com", "Your code", "Your code is 246810")
    assert received.mails == []

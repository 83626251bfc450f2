"""Defect 10 (the conversation): nobody signs up with an address they cannot read mail at.

A real SMTP server (aiosmtpd) on 127.0.0.1 receives the bot's mail; the tests read the
code from the delivered message, like the address's owner would, and play the attacker
from other chats (someone else's address, plus-addresses, guesses, replays, DEBUG logs).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import logging
import re
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from bot.app import App, build_app
from tests.conftest import Chat, Clock, make_settings
from tests.conversation.journeys import PASSWORD, answer_sign_up

NEW_PASSWORD = "n3w-Passw0rd!"


@dataclass
class Inbox:
    """What the SMTP server received: one parsed message per delivery."""

    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content)
        message["X-Rcpt"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["X-Rcpt"]]

    def code(self, address: str) -> str:
        mails = self.to(address)
        assert mails, f"no mail to {address}"
        found = re.findall(r"\b(\d{6})\b", mails[-1].get_payload(decode=True).decode())
        assert found, mails[-1].as_string()
        return found[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    box = Inbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
async def mail_app(tmp_path: Path, clock: Clock, inbox: tuple[Inbox, int]) -> AsyncIterator[App]:
    settings = make_settings(
        tmp_path,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(inbox[1]),
        SMTP_STARTTLS="false",
        SMTP_FROM="MSI <no-reply@msi.example>",
    )
    app = await build_app(settings, clock=clock)
    yield app
    await app.close()


@pytest.fixture
def box(inbox: tuple[Inbox, int]) -> Inbox:
    return inbox[0]


async def to_code(chat: Chat, address: str, password: str = PASSWORD) -> None:
    await chat.command("start")
    await chat.tap("Sign up")
    await answer_sign_up(chat, address, "Jamie", "Smith", "Germany")
    await chat.text(password)
    await chat.text(password)


async def test_sign_up_is_active_only_with_the_code_from_the_mail(
    mail_app: App, box: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = Chat(mail_app, "501")
    await to_code(chat, "jamie@example.com")
    assert "I sent a code to jamie@example.com" in chat.text_all and "DEMO" not in chat.text_all
    code = box.code("jamie@example.com")
    mail = box.to("jamie@example.com")[-1]
    assert (
        mail["Subject"] == "Your MSI member account code" and "no-reply@msi.example" in mail["From"]
    )
    assert code not in chat.text_all
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    deleted = chat.deleted_inputs
    await chat.text(wrong)
    assert "not right. 4 tries left" in chat.text_all
    await chat.text(code)
    assert "Welcome to MSI, Jamie" in chat.text_all and chat.deleted_inputs - deleted == 2
    await chat.command("logout")
    await chat.command("login")
    await chat.text("jamie@example.com")
    await chat.text(PASSWORD)
    assert "Welcome back" in chat.text_all
    ours = [r for r in caplog.records if not r.name.startswith("mail.log")]
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in ours)
    assert code not in logged and wrong not in logged and PASSWORD not in logged


async def test_someone_elses_address_gets_nowhere_and_the_owner_is_not_locked_out(
    mail_app: App, box: Inbox, clock: Clock
) -> None:
    attacker, owner = Chat(mail_app, "666"), Chat(mail_app, "777")
    await to_code(attacker, "owner@example.com", password="Squatt3r-pass")
    for guess in ("000000", "123456", "111111", "999999"):
        await attacker.text(guess)
    assert await attacker.current_state() == "email.code"
    await attacker.command("login")
    await attacker.text("owner@example.com")
    await attacker.text("Squatt3r-pass")
    assert "not confirmed yet" in attacker.text_all and "Welcome back" not in attacker.text_all
    clock.now += dt.timedelta(seconds=61)
    await to_code(owner, "Owner@Example.com")  # the real owner signs up: verification restarts
    await owner.text(box.code("owner@example.com"))
    assert "Welcome to MSI" in owner.text_all
    await attacker.text(box.code("owner@example.com"))  # even the owner's code, replayed
    assert "Welcome" not in attacker.text_all
    await attacker.command("login")
    await attacker.text("owner@example.com")
    await attacker.text("Squatt3r-pass")
    assert "not correct" in attacker.text_all


async def test_plus_addresses_and_dots_are_the_same_member(mail_app: App, box: Inbox) -> None:
    first = Chat(mail_app, "801")
    await to_code(first, "jamie.smith@gmail.com")
    await first.text(box.code("jamie.smith@gmail.com"))
    for n, alias in enumerate(
        ("jamie.smith+1@gmail.com", "JamieSmith+promo@googlemail.com", "j.a.m.i.e.smith@gmail.com")
    ):
        other = Chat(mail_app, f"9{n}")
        await other.command("signup")
        await other.text(alias)  # refused at the e-mail step (issue 11): no password typed
        assert other.keys[0] == "signup.email_registered", other.text_all
    assert len(box.messages) == 1


async def test_resend_cool_down_and_expiry(mail_app: App, box: Inbox, clock: Clock) -> None:
    chat = Chat(mail_app, "601")
    await to_code(chat, "slow@example.com")
    first = box.code("slow@example.com")
    await chat.tap("Send a new code")
    assert "ask for a new one in 60 seconds" in chat.text_all and len(box.messages) == 1
    clock.now += dt.timedelta(minutes=16)
    await chat.text(first)
    assert "expired" in chat.text_all
    await chat.tap("Send a new code")
    assert len(box.messages) == 2 and "I sent a code" in chat.text_all
    second = box.code("slow@example.com")
    if second != first:
        await chat.text(first)
        assert "not right" in chat.text_all
    await chat.text(second)
    assert "Welcome to MSI" in chat.text_all


async def test_too_many_wrong_codes_need_a_new_one(mail_app: App, box: Inbox, clock: Clock) -> None:
    chat = Chat(mail_app, "602")
    await to_code(chat, "guess@example.com")
    code = box.code("guess@example.com")
    wrong = f"{(int(code) + 7) % 10**6:06d}"
    for _ in range(5):
        await chat.text(wrong)
    assert "Too many wrong codes" in chat.text_all
    await chat.text(code)
    assert "Welcome" not in chat.text_all
    clock.now += dt.timedelta(seconds=61)
    await chat.tap("Send a new code")
    await chat.text(box.code("guess@example.com"))
    assert "Welcome to MSI" in chat.text_all


async def test_forgot_password_is_a_self_service_reset(
    mail_app: App, box: Inbox, clock: Clock
) -> None:
    phone, laptop, lost = Chat(mail_app, "701"), Chat(mail_app, "702"), Chat(mail_app, "703")
    await to_code(phone, "reset@example.com")
    await phone.text(box.code("reset@example.com"))
    for chat in (laptop,):
        await chat.command("login")
        await chat.text("reset@example.com")
        await chat.text(PASSWORD)
        assert "Welcome back" in chat.text_all
    member = (await mail_app.sessions.load(phone.key)).member_id
    clock.now += dt.timedelta(seconds=61)
    await lost.command("login")
    await lost.text("reset@example.com")
    await lost.tap("Forgot your password?")
    assert "if there is an MSI account for reset@example.com" in lost.text_all
    mail = box.to("reset@example.com")[-1]
    assert mail["Subject"] == "Your MSI password reset code"
    code = box.code("reset@example.com")
    await lost.text("000000" if code != "000000" else "111111")
    assert "tries left" in lost.text_all
    deleted = lost.deleted_inputs
    await lost.text(code)
    await lost.text(NEW_PASSWORD)
    await lost.text(NEW_PASSWORD)
    assert "new password is set" in lost.text_all and lost.deleted_inputs - deleted == 3
    assert await mail_app.links.keys_for_member(member) == [lost.key]  # the other log-ins end
    await lost.command("logout")
    await lost.command("login")
    await lost.text("reset@example.com")
    await lost.text(PASSWORD)
    assert "not correct" in lost.text_all
    await lost.command("login")
    await lost.text("reset@example.com")
    await lost.text(NEW_PASSWORD)
    assert "Welcome back" in lost.text_all


async def test_reset_for_an_unknown_address_answers_the_same(mail_app: App, box: Inbox) -> None:
    chat = Chat(mail_app, "704")
    await chat.command("login")
    await chat.text("nobody@example.com")
    await chat.tap("Forgot your password?")
    assert "if there is an MSI account for nobody@example.com" in chat.text_all
    assert await chat.current_state() == "email.code" and box.messages == []
    await chat.text("123456")
    assert "expired or is no longer valid" in chat.text_all


async def test_mail_server_down_is_told_and_nothing_is_lost(tmp_path: Path, clock: Clock) -> None:
    settings = make_settings(
        tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=str(_free_port()), SMTP_STARTTLS="false"
    )
    app = await build_app(settings, clock=clock)
    try:
        chat = Chat(app, "901")
        await to_code(chat, "down@example.com")
        assert (
            "couldn't send the email" in chat.text_all
            and await chat.current_state() == "email.code"
        )
    finally:
        await app.close()


async def test_demo_mode_shows_a_marked_code_so_a_newcomer_can_finish(chat: Chat) -> None:
    await to_code(chat, "demo@example.com")
    assert chat.app.ports.email is None
    shown = re.search(r"DEMO MODE: no email was sent .* is: (\d{6})", chat.text_all)
    assert shown, chat.text_all
    await chat.text(shown.group(1))
    assert "Welcome to MSI" in chat.text_all


async def test_concurrent_code_guesses_never_exceed_the_tries(mail_app: App, box: Inbox) -> None:
    chat = Chat(mail_app, "950")
    await to_code(chat, "flood@example.com")
    code = box.code("flood@example.com")
    session = await mail_app.sessions.load(chat.key)
    challenge = session.scratch["_code_id"]
    guesses = [f"{n:06d}" for n in range(40) if f"{n:06d}" != code]
    results = await asyncio.gather(
        *(mail_app.backend.verify_code(challenge, g) for g in guesses), return_exceptions=True
    )
    wrong = [r for r in results if getattr(r, "key", "") == "error.code_wrong"]
    assert len(wrong) == 4 and not any(hasattr(r, "email") for r in results)
    with pytest.raises(Exception, match="code_tries_used|code_expired"):
        await mail_app.backend.verify_code(challenge, code)


async def test_demo_mode_never_shows_a_reset_code_a_person_checks_instead(chat: Chat) -> None:
    """Without a mail server the code would be shown to whoever asks: "Forgot your
    password?" must not become "take over any account" in demo mode."""
    await to_code(chat, "jamie@example.com")
    await chat.text(re.findall(r"is: (\d{6})", chat.text_all)[-1])
    await chat.command("logout")
    attacker = Chat(chat.app, "31337")
    await attacker.command("login")
    await attacker.text("jamie@example.com")
    await attacker.tap("Forgot your password?")
    assert "MSI support can help" in attacker.text_all and "DEMO" not in attacker.text_all
    assert not re.search(r"\d{6}", attacker.text_all)
    await attacker.text("I forgot my password, my email is jamie@example.com")
    assert "Sent to our support team" in attacker.text_all
    assert len(await chat.app.support.list_open()) == 1
    await attacker.command("login")
    await attacker.text("jamie@example.com")
    await attacker.tap("Forgot your password?")  # the request is open already: add to it
    assert await attacker.current_state() == "support.open"


async def test_a_reset_refuses_a_weak_password_and_the_address(
    mail_app: App, box: Inbox, clock: Clock
) -> None:
    """Issue 11 item 10 at the reset: the same rules as at sign-up and change."""
    chat = Chat(mail_app, "705")
    await to_code(chat, "weak@example.com")
    await chat.text(box.code("weak@example.com"))
    await chat.command("logout")
    clock.now += dt.timedelta(seconds=61)
    await chat.command("login")
    await chat.text("weak@example.com")
    await chat.tap("Forgot your password?")
    await chat.text(box.code("weak@example.com"))
    assert await chat.current_state() == "reset.new", chat.text_all
    await chat.text("password123")
    assert chat.keys[0] == "invalid.password_common", chat.text_all
    await chat.text("weak-example-2026")
    assert chat.keys[0] == "invalid.password_personal", chat.text_all
    assert await chat.current_state() == "reset.new"
    await chat.text(NEW_PASSWORD)
    assert await chat.current_state() == "reset.new_confirm"

"""Odd text from a channel (lone surrogates, NUL, other control characters) is made valid at
the edge: no step answers "unexpected error", nothing is logged as a crash, and what the
customer meant (the printable part) is kept."""

from __future__ import annotations

import logging

import pytest

from handlers.io import ActionIn, CommandIn, Event, ImageIn, TextIn, valid_text
from tests.conftest import Chat
from tests.conversation.journeys import PASSWORD, demo_code, sign_up_to_password

ODD = [
    "\ud800x",
    "\udfff",
    "\ud800",
    "x\x00y",
    "\x00",
    "\x1b[31mred",
    "\x85\x9f",
    "\ud800" * 50 + PASSWORD,
]


def crashed(chat: Chat, caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] + [
        k for k in chat.keys if k == "error.unexpected"
    ]


@pytest.mark.parametrize("odd", ODD)
async def test_odd_text_at_password_confirmation(
    chat: Chat, caplog: pytest.LogCaptureFixture, odd: str
) -> None:
    await sign_up_to_password(chat)
    await chat.text(PASSWORD)
    assert "once more" in chat.text_all
    await chat.text(odd)
    assert chat.replies and not crashed(chat, caplog), (chat.keys, caplog.text)
    assert chat.deleted_inputs == 2, "the confirmation was read as a password (and deleted)"


async def test_lone_surrogate_at_confirmation_then_the_right_one(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    await sign_up_to_password(chat)
    await chat.text(PASSWORD)
    await chat.text("\ud800x")
    assert not crashed(chat, caplog), chat.text_all
    if "once more" not in chat.text_all:  # a mismatch starts the password over
        await chat.text(PASSWORD)
    await chat.text(PASSWORD)
    await chat.text(demo_code(chat.text_all))  # the emailed code (shown in demo mode)
    assert "Welcome to MSI" in chat.text_all, chat.text_all


async def test_a_surrogate_pair_is_its_character_and_a_password_keeps_its_printable_part(
    chat: Chat,
) -> None:
    await sign_up_to_password(chat)
    await chat.text(PASSWORD + "\ud83d\ude00")  # a pair as two code points: one emoji
    await chat.text(PASSWORD + "😀")
    await chat.text(demo_code(chat.text_all))
    assert "Welcome to MSI" in chat.text_all, chat.text_all


@pytest.mark.parametrize("odd", ODD)
async def test_odd_text_in_every_sign_up_field(
    chat: Chat, caplog: pytest.LogCaptureFixture, odd: str
) -> None:
    await chat.command("signup")
    for value in (
        "jo" + odd + "@example.com",
        "J" + odd + "o",
        odd + "Doe",
        "Germany" + odd,
        "+49 30 1234567" + odd,
    ):
        await chat.text(value)
        assert chat.replies and not crashed(chat, caplog), (value, chat.keys, caplog.text)
    await chat.command("start", odd)
    await chat.command(odd, odd)
    await chat.press(odd)
    await chat.press("menu:" + odd)
    assert not crashed(chat, caplog), caplog.text


def test_every_incoming_type_is_made_valid() -> None:
    assert TextIn("\ud800x\x00").text == "x"
    assert TextIn("line\r\nbreak\ttab\rend").text == "line\nbreak\ttab\nend"
    assert CommandIn("st\x00art", "\udc80a", raw="/start \udc80a") == CommandIn(
        "start", "a", raw="/start a"
    )
    assert ActionIn("menu:\ud800x~1").data == "menu:x~1"

    async def fetch() -> bytes:
        return b""

    image = ImageIn(fetch=fetch, filename="in\ud800voice\x00.png", mime="image/png\x00")
    assert (image.filename, image.mime) == ("invoice.png", "image/png")
    event = Event(key=None, body=TextIn("x"), event_id="1\x00", locale="de\ud800")  # type: ignore[arg-type]
    assert (event.event_id, event.locale) == ("1", "de")
    for text in ("", "plain ü ß 漢字 😀", "a\tb\nc", "\u200d\u202e\ufeff"):
        assert valid_text(text) == text
    for odd in ODD:
        valid_text(odd).encode("utf-8")  # never raises

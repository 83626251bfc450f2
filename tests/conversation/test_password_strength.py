"""Issue 11, item 10: weak passwords are refused (zxcvbn score >= 3, not the customer's own
e-mail address or name), with the reason, at sign-up, reset and change alike."""

from __future__ import annotations

import pytest

from handlers import validators as v
from tests.conftest import Chat
from tests.conversation.journeys import PASSWORD, log_in, sign_up

CONTEXT = ("jamie@example.com", "Jamie", "Smith")


@pytest.mark.parametrize(
    ("guess", "key"),
    [
        ("password123", "invalid.password_common"),
        ("Passw0rd2024", "invalid.password_common"),
        ("qwerty12345", "invalid.password_common"),
        ("jamie2026!", "invalid.password_personal"),
        ("SMITHsmith1", "invalid.password_personal"),
        ("example-1999", "invalid.password_personal"),  # a part of the address
        ("abcd1234", "invalid.password_common"),
    ],
)
def test_guessable_passwords_are_refused_with_the_reason(guess: str, key: str) -> None:
    with pytest.raises(v.Invalid) as refused:
        v.password(guess, CONTEXT)
    assert refused.value.key == key


@pytest.mark.parametrize("good", [PASSWORD, "Better-vault-7-kite", "Tr0ub4dor-and-3-horses"])
def test_strong_passwords_pass(good: str) -> None:
    assert v.password(good, CONTEXT) == good


def test_a_very_long_password_is_checked_quickly_and_kept_whole() -> None:
    long = "Maple-orbit-9-kite-" + "".join(chr(ord("a") + (i * 7) % 26) for i in range(100))
    assert len(long) > 72 and v.password(long, CONTEXT) == long  # kept exactly as typed
    with pytest.raises(v.Invalid):
        v.password("Zebra-" * 20 + "9", CONTEXT)  # long but one word repeated


async def test_sign_up_refuses_password123_and_the_email(chat: Chat) -> None:
    await chat.command("signup")
    for value in ("jamie@example.com", "Jamie", "Germany"):
        await chat.text(value)
    await chat.tap("I agree, continue")
    await chat.text("password123")
    assert chat.keys[0] == "invalid.password_common", chat.text_all
    assert "common passwords" in chat.text_all
    await chat.text("Jamie-2026-x")
    assert chat.keys[0] == "invalid.password_personal"
    assert await chat.current_state() == "signup.password"
    await chat.text(PASSWORD)
    assert await chat.current_state() == "signup.password_confirm"


async def test_changing_the_password_refuses_a_weak_one(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("logout")
    await log_in(chat)
    await chat.command("profile")
    await chat.tap("Change password")
    await chat.text(PASSWORD)
    await chat.text("Smith-2024!")
    assert chat.keys[0] == "invalid.password_personal", chat.text_all
    await chat.text("iloveyou1")
    assert chat.keys[0] == "invalid.password_common"
    assert await chat.current_state() == "password.new"

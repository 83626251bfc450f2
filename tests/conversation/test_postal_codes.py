"""Issue 11, item 9: the recipient's postal code is checked against the format of the
account's country (Google's address data, offline), and the refusal says how one is written."""

from __future__ import annotations

from tests.conftest import Chat, jpeg
from tests.conversation.journeys import open_redeem, register_product, sign_up


async def to_zip(chat: Chat) -> None:
    await open_redeem(chat)
    await chat.photo(jpeg(1000, 800, (10, 20, 30)))
    assert "The prize goes to you" in chat.text_all  # the member's name and phone: taken
    assert await chat.current_state() == "redeem.zip"


async def test_a_dutch_account_is_told_how_a_dutch_code_looks(chat: Chat) -> None:
    await sign_up(chat, region="Netherlands")
    await register_product(chat)
    await to_zip(chat)
    await chat.text("10115")
    assert chat.keys[0] == "invalid.zip_format", chat.text_all
    assert "e.g. 1234 AB" in chat.text_all
    assert await chat.current_state() == "redeem.zip"
    await chat.text("1011 ab")
    assert await chat.current_state() == "redeem.city"
    session = await chat.app.sessions.load(chat.key)
    assert session.form("redeem")["zip"] == "1011 AB"


async def test_a_german_code_still_passes_for_a_german_account(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await to_zip(chat)
    await chat.text("1011 AB")
    assert chat.keys[0] == "invalid.zip_format" and "e.g. 26133" in chat.text_all
    await chat.text("10115")
    assert await chat.current_state() == "redeem.city"

"""A step only a member may take, reached in a chat that is not logged in (a session from
elsewhere, an old button): nothing is sent to the backend for nobody, the step is undone and
the customer is asked to log in; what they entered is kept."""

from __future__ import annotations

from tests.conftest import Chat, jpeg
from tests.conversation.journeys import sign_up


async def test_confirming_a_registration_without_a_member_asks_to_log_in(chat: Chat) -> None:
    await sign_up(chat)
    member_id = (await chat.app.sessions.load(chat.key)).member_id
    await chat.command("register")
    await chat.tap("Graphics Card")
    for value in ("Trio", "V531", "K2203N0123456", "456", "Shop", "2026-10-01"):
        await chat.text(value)
    await chat.tap("Online retailer")
    await chat.photo(jpeg())
    assert "Your product:" in chat.text_all
    session = await chat.app.sessions.load(chat.key)
    session.member_id = None  # e.g. a copy of the session from before the log-in
    await chat.app.sessions.save(session)

    await chat.tap("Confirm")
    assert chat.keys[0] == "auth.required", chat.keys
    assert "error.unexpected" not in chat.keys and "reg.done" not in chat.keys
    assert await chat.current_state() == "start"
    assert await chat.app.backend.list_products(member_id or "") == []
    kept = (await chat.app.sessions.load(chat.key)).forms["register"]
    assert kept["serial"] == "K2203N0123456" and kept["store"] == "Shop"

"""Issue 11, item 11: the profile shows a blank last name as "—" (as every summary does),
shows the MSI Reward Program choice and lets it be changed, and the contact number (and
the last name, both optional at sign-up) can be cleared."""

from __future__ import annotations

from tests.conftest import Chat
from tests.conversation.journeys import sign_up


async def member(chat: Chat):  # type: ignore[no-untyped-def]
    session = await chat.app.sessions.load(chat.key)
    return await chat.app.backend.get_member(session.member_id)


async def test_blank_last_name_and_phone_show_a_dash(chat: Chat) -> None:
    await sign_up(chat, details=False)
    await chat.command("profile")
    text = chat.text_all
    assert "Last name: —" in text and "Contact number: —" in text, text
    assert "MSI Reward Program: No" in text


async def test_reward_program_shown_and_editable(chat: Chat) -> None:
    await sign_up(chat)  # joined at sign-up
    await chat.command("profile")
    assert "MSI Reward Program: Yes" in chat.text_all
    await chat.tap("✏ MSI Reward Program")
    await chat.tap("No")
    assert "MSI Reward Program: No" in chat.text_all
    assert (await member(chat)).reward_program is False
    await chat.tap("✏ MSI Reward Program")
    await chat.text("yes")
    assert (await member(chat)).reward_program is True


async def test_contact_number_and_last_name_can_be_cleared(chat: Chat) -> None:
    await sign_up(chat)
    assert (await member(chat)).phone
    await chat.command("profile")
    await chat.tap("✏ Contact number")
    await chat.tap("Clear Contact number")
    assert "Contact number: —" in chat.text_all
    assert (await member(chat)).phone == ""
    await chat.tap("✏ Last name")
    await chat.tap("Clear Last name")
    assert (await member(chat)).last_name == ""
    await chat.tap("✏ First name")
    assert not any(
        "Clear" in b.label for r in chat.replies for row in r.buttons for b in row
    )  # required

"""Issue 11, item 6: support is easy to reach. Asking for a person in words (in each
language) opens it; Cancel at its prompt cancels; a picture sent from the menu is offered
to support."""

from __future__ import annotations

import pytest

from tests.conftest import Chat, jpeg
from tests.conversation.journeys import sign_up


@pytest.mark.parametrize(
    "words",
    [
        "I want to talk to a human",
        "support",
        "contact support please",
        "Can I speak to a real person?",
    ],
)
async def test_asking_for_a_person_opens_support(chat: Chat, words: str) -> None:
    await chat.command("start")
    await chat.text(words)
    assert await chat.current_state() == "support.compose", chat.text_all
    assert "Write your question for MSI support" in chat.text_all


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", "Ich möchte mit einem Menschen sprechen"),
        ("de", "Kundendienst bitte"),
        ("zh-Hant", "我想找真人客服"),
        ("zh-Hant", "請幫我轉人工"),
    ],
)
async def test_asking_for_a_person_in_german_and_chinese(
    chat: Chat, language: str, words: str
) -> None:
    await chat.command("language")
    await chat.tap({"de": "Deutsch", "zh-Hant": "中文 (繁體)"}[language])
    await chat.command("menu")
    await chat.text(words)
    assert await chat.current_state() == "support.compose", chat.text_all


async def test_other_words_are_still_not_understood(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("purple elephant")
    assert chat.keys[0] == "common.dont_understand"
    assert await chat.current_state() in ("start", "menu")


async def test_cancel_at_the_support_prompt_cancels_it(chat: Chat) -> None:
    await chat.command("start")
    await chat.text("support")
    await chat.tap("Cancel")
    assert chat.keys[0] == "support.compose_cancelled", chat.text_all
    assert "nothing to cancel" not in chat.text_all
    assert not await chat.app.support.has_open(chat.key)
    await chat.text("support")
    await chat.text("cancel")  # typed, the same
    assert chat.keys[0] == "support.compose_cancelled"


async def test_a_picture_from_the_menu_is_offered_to_support(chat: Chat) -> None:
    await sign_up(chat)
    await chat.command("menu")
    await chat.photo(jpeg(800, 600, (1, 2, 3)))
    assert "not expecting a picture" not in chat.text_all
    assert "send it to our support team" in chat.text_all
    await chat.tap("Send to support")
    assert await chat.current_state() == "support.open"
    assert await chat.app.support.has_open(chat.key)
    ticket = await chat.app.support.ticket_for(chat.key)
    assert ticket is not None
    [message] = await chat.app.support.messages(ticket.id)
    assert message.sender == "customer" and message.media_ref  # the picture itself, for staff
    assert await chat.app.ports.media.exists(message.media_ref)


async def test_a_picture_from_the_menu_can_be_kept_back(chat: Chat) -> None:
    await chat.command("start")
    await chat.photo(jpeg(800, 600, (1, 2, 3)))
    await chat.tap("No, thanks")
    assert chat.keys[0] == "support.image_dropped"
    assert not await chat.app.support.has_open(chat.key)
    session = await chat.app.sessions.load(chat.key)
    assert "_support_image" not in session.scratch

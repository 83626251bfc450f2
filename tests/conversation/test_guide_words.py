"""Issue 11, item 19: the guide's words. The "7 ~ 14 working days" message keeps the guide's
closing sentence, adapted to a chat (watch this chat, not the spam folder); the sign-up
consent links the privacy policy and programme terms set in PRIVACY_URL / TERMS_URL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app import build_app
from tests.conftest import Chat, make_settings
from tests.conversation.journeys import redeem, register_product, sign_up


async def test_the_submitted_message_has_the_guides_sentences(chat: Chat) -> None:
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    text = chat.text_all
    assert "might take up to 7 ~ 14 working days" in text
    assert "Thank you for your patience." in text
    assert "Please watch this chat" in text and "spam folder" in text


async def test_consent_links_come_from_the_settings(tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(
        tmp_path,
        PRIVACY_URL="https://example.test/privacy",
        TERMS_URL="https://example.test/reward-terms",
    )
    app = await build_app(settings, clock=clock)
    try:
        chat = Chat(app)
        await chat.command("signup")
        for value in ("jo@example.com", "Jo", "Germany"):
            await chat.text(value)
        assert "https://example.test/privacy" in chat.text_all
        assert "https://example.test/reward-terms" in chat.text_all
        assert "msi.com" not in chat.text_all
    finally:
        await app.close()


@pytest.mark.parametrize(
    ("locale", "watch"),
    [("en", "watch this chat"), ("de", "diesen Chat im Blick"), ("zh-Hant", "請留意這個對話")],
)
def test_every_language_keeps_the_guides_four_parts(app, locale: str, watch: str) -> None:  # type: ignore[no-untyped-def]
    """The greeting, the 7 ~ 14 working days, the thanks, and the spam-folder sentence made
    "watch this chat": none dropped in a translation."""
    lines = app.catalog.text(locale, "redeem.submitted", promotion="Level Up").splitlines()
    assert len(lines) == 4, lines
    assert re.search(r"7\s*[~～–-]\s*14", lines[1]) and "Level Up" in lines[1]
    assert watch in lines[3]


async def test_joining_the_reward_program_from_the_profile_links_its_terms(
    tmp_path: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path, TERMS_URL="https://example.test/reward-terms")
    app = await build_app(settings, clock=clock)
    try:
        chat = Chat(app)
        await sign_up(chat, details=False)  # not in the programme
        await chat.command("profile")
        await chat.tap("✏ MSI Reward Program")
        assert "https://example.test/reward-terms" in chat.replies[-1].text
        await chat.tap("Yes")
        member = await app.backend.get_member((await app.sessions.load(chat.key)).member_id)
        assert member.reward_program is True
    finally:
        await app.close()

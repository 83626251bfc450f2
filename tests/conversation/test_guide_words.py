"""Issue 11, item 19: the guide's words. The "7 ~ 14 working days" message keeps the guide's
closing sentence, adapted to a chat (watch this chat, not the spam folder); the sign-up
consent links the privacy policy and programme terms set in PRIVACY_URL / TERMS_URL."""

from __future__ import annotations

from pathlib import Path

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

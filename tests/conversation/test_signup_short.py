"""Issue 11: a shorter sign-up. The optional details are one step (the summary) the customer
can skip; the consent to the privacy policy stays explicit and links the policy."""

from __future__ import annotations

from typing import Any

from tests.conftest import Chat
from tests.conversation.journeys import PASSWORD, demo_code, sign_up

BEFORE = 14  # /start .. the emailed code, every detail typed or tapped, before issue 11


class Counting(Chat):
    """A chat that counts what the customer sends."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent = 0

    async def send(self, body, event_id: str | None = None):  # type: ignore[no-untyped-def]
        self.sent += 1
        return await super().send(body, event_id)


async def member(chat: Chat):  # type: ignore[no-untyped-def]
    session = await chat.app.sessions.load(chat.key)
    return await chat.app.backend.get_member(session.member_id)


async def test_sign_up_with_details_skipped_takes_nine_messages(chat: Chat) -> None:
    counting = Counting(chat.app, user="2002")
    await sign_up(counting, details=False)
    assert counting.sent == 9, (
        counting.sent
    )  # /start, Sign up, email, name, region, agree, pw x2, code
    assert BEFORE - counting.sent >= 5
    m = await member(counting)
    assert (m.last_name, m.phone, m.newsletter) == ("", "", False)


async def test_the_summary_offers_the_optional_details_and_links_the_policy(chat: Chat) -> None:
    await chat.command("signup")
    for value in ("jo@example.com", "Jo", "Germany"):
        await chat.text(value)
    text = chat.text_all
    assert "Please check your details" in text
    assert (
        "https://www.msi.com/page/privacy-policy" in text
        and "https://www.msi.com/page/terms-of-use" in text
    )
    labels = [b.label for r in chat.replies for row in r.buttons for b in row]
    for optional in ("Last name", "Contact number", "Newsletter", "MSI Reward Program"):
        assert any(optional in label for label in labels), labels
    assert "Newsletter: No" in text  # an unticked box, never a silent yes


async def test_no_password_before_the_explicit_consent(chat: Chat) -> None:
    await chat.command("signup")
    for value in ("jo@example.com", "Jo", "Germany"):
        await chat.text(value)
    await chat.tap("Last name")
    await chat.text("Doe")
    assert "Please check your details" in chat.text_all  # an edit returns to the summary
    await chat.text(PASSWORD)  # typed instead of agreeing: not taken as a password
    assert "Choose a password" not in chat.text_all
    session = await chat.app.sessions.load(chat.key)
    assert session.form("signup").get("privacy") is None
    assert PASSWORD not in str(session.forms)
    await chat.tap("I agree, continue")
    assert "Choose a password" in chat.text_all
    await chat.text(PASSWORD)
    await chat.text(PASSWORD)
    await chat.text(demo_code(chat.text_all))
    m = await member(chat)
    assert m.last_name == "Doe"


async def test_back_from_the_summary_goes_to_the_last_asked_field(chat: Chat) -> None:
    await chat.command("signup")
    for value in ("jo@example.com", "Jo", "Germany"):
        await chat.text(value)
    await chat.tap("Back")
    assert "Your region / location?" in chat.text_all

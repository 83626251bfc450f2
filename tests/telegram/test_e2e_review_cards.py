"""End to end: the real ``redeem-bot run`` process with ``REVIEW_CHAT_ID`` against the fake
Bot API (real HTTP on 127.0.0.1, every call validated against the spec): the claim's card is
posted to the review chat, a plain member's press is refused, staff approve with the button,
the card says who decided, and the code reaches the customer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from handlers.review_cards import data
from tests.conversation.journeys import redeem, register_product, sign_up
from tests.telegram.conftest import CUSTOMER, STAFF_CHAT, RemoteChat, running_bot
from tests.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.timeout(240)
REVIEW = -1005550000001
SAM, MALLORY = 777, 666


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        fake.add_user(CUSTOMER, "Jamie", username="jamie")
        fake.add_group(STAFF_CHAT, "Staff")
        fake.add_group(REVIEW, "Review")
        fake.add_user(SAM, "Sam", username="sam_staff")
        fake.add_user(MALLORY, "Mallory", username="mallory")
        fake.set_role(STAFF_CHAT, SAM, "administrator")
        fake.set_role(REVIEW, SAM, "administrator")
        fake.set_role(REVIEW, MALLORY, "member")
        yield fake


@pytest.mark.parametrize("framework", ["aiogram", "ptb", "wire"])
async def test_claim_card_approved_by_button_end_to_end(
    api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    async with running_bot(api, tmp_path, framework, REVIEW_CHAT_ID=str(REVIEW)) as bot:
        chat = RemoteChat(api)
        await sign_up(chat)
        await register_product(chat)
        await redeem(chat)

        def card() -> dict | None:
            keyed = [
                m for m in api.sent(REVIEW) if (m.get("reply_markup") or {}).get("inline_keyboard")
            ]
            return keyed[-1] if keyed else None

        posted = await api.wait_for(card, timeout=20, what="the claim's card in the review chat")
        claim_id = posted["text"].split("Claim ", 1)[1].split()[0]
        refused = api.press_button(
            MALLORY, data("a", claim_id), posted["message_id"], chat_id=REVIEW
        )
        query = api.callback_queries[refused["callback_query"]["id"]]
        await api.wait_for(lambda: query.answered, what="the refusal")
        assert str((query.answer or {}).get("text", "")).startswith("Only support staff")
        before = chat.snapshot()
        api.press_button(SAM, data("a", claim_id), posted["message_id"], chat_id=REVIEW)
        await api.wait_for(
            lambda: (
                "decided by @sam_staff" in (card() or {}).get("text", "")
                or any("decided by @sam_staff" in (m.get("text") or "") for m in api.sent(REVIEW))
            ),
            timeout=20,
            what="the card edited with who decided",
        )
        reply = await chat.wait_for_text("activation code", timeout=20, before=before)
        assert "Congratulations" in reply.text
        api.assert_no_violations()
        api.assert_all_callbacks_answered()
        assert await bot.stop() == 0, bot.log()


@pytest.fixture
async def forum_api() -> AsyncIterator[FakeBotApi]:
    from tests.telegram.fake_forum import ForumFakeBotApi

    async with ForumFakeBotApi() as fake:
        fake.add_user(CUSTOMER, "Jamie", username="jamie")
        fake.add_user(SAM, "Sam", username="sam_staff")
        fake.add_forum(STAFF_CHAT, "Support")
        fake.set_role(STAFF_CHAT, SAM, "administrator")
        yield fake


@pytest.mark.parametrize("framework", ["aiogram", "ptb", "wire"])
async def test_review_topic_other_reason_and_a_file_of_codes_end_to_end(
    forum_api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    api = forum_api
    async with running_bot(api, tmp_path, framework) as bot:  # no REVIEW_CHAT_ID: a topic
        chat = RemoteChat(api)
        await sign_up(chat)
        await register_product(chat)
        await redeem(chat)

        def card() -> dict | None:
            keyed = [
                m
                for m in api.sent(STAFF_CHAT)
                if (m.get("reply_markup") or {}).get("inline_keyboard")
            ]
            return keyed[-1] if keyed else None

        posted = await api.wait_for(card, timeout=20, what="the claim's card in the Review topic")
        thread = posted["message_thread_id"]
        assert api.topics[STAFF_CHAT][thread]["name"] == "Review"  # type: ignore[attr-defined]
        assert [m for m in api.in_topic(STAFF_CHAT, thread) if m.get("photo")]  # type: ignore[attr-defined]
        claim_id = posted["text"].split("Claim ", 1)[1].split()[0]
        api.press_button(SAM, data("o", claim_id), posted["message_id"], chat_id=STAFF_CHAT)
        await api.wait_for(
            lambda: any("next message" in (m.get("text") or "") for m in api.sent(STAFF_CHAT)),
            timeout=20,
            what="the question for the reason",
        )
        before = chat.snapshot()
        api.send_in_topic(SAM, STAFF_CHAT, thread, "The receipt is from another shop")  # type: ignore[attr-defined]
        reply = await chat.wait_for_text("another shop", timeout=20, before=before)
        assert "🔁 Redeem again" in reply.labels()
        api.send_document(
            SAM,
            b"FILE-CODE-0001\nFILE-CODE-0002\n",
            "codes.txt",
            "text/plain",
            "/import levelup",
            chat_id=STAFF_CHAT,
        )
        await api.wait_for(
            lambda: any(
                (m.get("text") or "").startswith("📥 levelup: 2 codes added")
                for m in api.sent(STAFF_CHAT)
            ),
            timeout=20,
            what="the import report",
        )
        assert "FILE-CODE" not in bot.log()
        api.assert_no_violations()
        api.assert_all_callbacks_answered()
        assert await bot.stop() == 0, bot.log()

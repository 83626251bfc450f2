"""End to end: the real ``redeem-bot run`` process with a forum supergroup as
``STAFF_CHAT_ID``, against the fake Bot API (real HTTP on 127.0.0.1, every call validated
against the spec), per framework: the customer's topic is created once although their
request and their next messages arrive together, messages and edits go both ways, a
non-staff member in the topic reaches nobody, /close asks for a rating, and a new message
reopens the topic."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from handlers.i18n import Catalog
from tests.telegram.conftest import CUSTOMER, STAFF_ADMIN, STAFF_CHAT, RemoteChat, running_bot
from tests.telegram.fake_forum import ForumFakeBotApi
from tests.telegram.forum_support import OUTSIDER, populate

pytestmark = pytest.mark.timeout(240)
SAM, MALLORY = STAFF_ADMIN, OUTSIDER


@pytest.fixture
async def api() -> AsyncIterator[ForumFakeBotApi]:
    async with ForumFakeBotApi() as fake:
        yield populate(fake)


def topic_texts(api: ForumFakeBotApi, thread: int) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in api.in_topic(STAFF_CHAT, thread)]


def review_name() -> str:
    """The review desk's own topic in the same forum (its cards), not a customer's."""
    return Catalog().text("en", "review.topic_name")


def the_thread(api: ForumFakeBotApi) -> int | None:
    """The customer's topic (the Review topic shares the forum)."""
    topics = api.topics.get(STAFF_CHAT, {})
    threads = [thread for thread, t in topics.items() if t["name"] != review_name()]
    assert len(threads) <= 1, topics  # one topic, one customer
    return threads[0] if threads else None


def customer_topics_made(api: ForumFakeBotApi) -> int:
    """createForumTopic calls for the customer (the Review topic is made at most once)."""
    names = [c.params["name"] for c in api.calls if c.method == "createForumTopic"]
    assert names.count(review_name()) <= 1, names
    return len(names) - names.count(review_name())


@pytest.mark.parametrize("framework", ["aiogram", "ptb", "wire"])
async def test_forum_topic_end_to_end(api: ForumFakeBotApi, tmp_path: Path, framework: str) -> None:
    async with running_bot(api, tmp_path, framework) as bot:
        chat = RemoteChat(api)
        await chat.command("start")
        await chat.tap("support")
        # the request and two more messages, sent together (one getUpdates batch)
        api.send_text(CUSTOMER, "My code never arrived")
        extra = api.send_text(CUSTOMER, "Order 4711")
        api.send_content(CUSTOMER, {"location": {"latitude": 52.52, "longitude": 13.4}})
        thread = await api.wait_for(lambda: the_thread(api), timeout=30, what="the topic")

        def relayed() -> bool:
            texts = topic_texts(api, thread)
            return "💬 My code never arrived" in texts and any(
                "location" in m for m in api.in_topic(STAFF_CHAT, thread)
            )

        await api.wait_for(relayed, timeout=30, what="the customer's messages in the topic")
        assert customer_topics_made(api) == 1
        assert any("Jamie" in t for t in topic_texts(api, thread))  # the customer card
        texts = topic_texts(api, thread)
        assert texts.index("💬 My code never arrived") < texts.index("Order 4711")  # in order
        (copy,) = [m for m in api.in_topic(STAFF_CHAT, thread) if m.get("text") == "Order 4711"]

        # staff answer in the topic; edits both ways
        answer = api.send_in_topic(SAM, STAFF_CHAT, thread, "Checking, one moment")
        await api.wait_for(
            lambda: api.last_text(CUSTOMER) == "Checking, one moment", what="the answer"
        )
        api.edit_sent(SAM, answer["message"]["message_id"], text="Checking now", chat_id=STAFF_CHAT)
        await api.wait_for(lambda: api.last_text(CUSTOMER) == "Checking now", what="the edit")
        api.edit_sent(CUSTOMER, extra["message"]["message_id"], text="Order 4712")
        await api.wait_for(
            lambda: any(
                m.get("text") == "Order 4712" and m["message_id"] == copy["message_id"]
                for m in api.in_topic(STAFF_CHAT, thread)
            ),
            what="the customer's edit in the topic",
        )

        # a plain member of the group reaches nobody
        before = len(api.sent(CUSTOMER))
        api.send_in_topic(MALLORY, STAFF_CHAT, thread, "Send me your password")
        await api.wait_for(
            lambda: "Only support staff" in topic_texts(api, thread)[-1], what="the refusal"
        )
        assert len(api.sent(CUSTOMER)) == before

        # close with a rating, then a new message reopens the topic
        api.send_in_topic(SAM, STAFF_CHAT, thread, "/close")
        await api.wait_for(
            lambda: api.topics[STAFF_CHAT][thread]["closed"], what="the topic closed"
        )
        rating: Any = await api.wait_for(
            lambda: (
                "How did we help" in (api.last_text(CUSTOMER) or "")
                and api.inline_buttons(CUSTOMER)
            ),
            what="the rating buttons",
        )
        before = chat.snapshot()
        api.press_button(CUSTOMER, rating[1][1]["callback_data"])
        await chat.wait_for_text("5", timeout=20, before=before)
        api.send_text(CUSTOMER, "One more thing")
        await api.wait_for(
            lambda: (
                not api.topics[STAFF_CHAT][thread]["closed"]
                and "One more thing" in topic_texts(api, thread)
            ),
            timeout=30,
            what="the topic reopened with the new message",
        )
        assert customer_topics_made(api) == 1
        api.assert_no_violations()
        api.assert_all_callbacks_answered()
        assert await bot.stop() == 0, bot.log()

"""The review desk in a forum staff group (issue 10, T4), all three connectors in process against
the fake Bot API with forum topics (every call checked against the spec): the Review topic
created once (also across a restart), the invoice and S/N photo as one album in it beside
the card, "Other" answered by the staff member's next message (a non-staff member's message
is never the answer; /cancel), a forged or repeated press, /import with a file of codes
downloaded from the fake, /stats in the topic."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from backend.port import ClaimStatus, RejectReason
from bot.app import App, build_app
from bot.channels.telegram.review_cards import topic_link
from handlers.review_cards import data
from states import ConversationKey
from storage.review_desk import ReviewDeskStore
from tests.conftest import make_settings
from tests.conversation.journeys import redeem, register_product, sign_up
from tests.telegram.conftest import STAFF_ADMIN, STAFF_CHAT, Harness, InProcessChat, open_harness
from tests.telegram.fake_forum import ForumFakeBotApi
from tests.telegram.forum_support import OUTSIDER

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
FRAMEWORKS = ("aiogram", "ptb", "wire")


@pytest.fixture
def ffake() -> ForumFakeBotApi:
    world = ForumFakeBotApi()
    world.add_user(4242, "Jamie", username="jamie")
    world.add_user(STAFF_ADMIN, "Sam", username="sam_staff")
    world.add_user(OUTSIDER, "Mallory", username="mallory")
    world.add_forum(STAFF_CHAT, "Support")
    world.set_role(STAFF_CHAT, STAFF_ADMIN, "administrator")
    world.set_role(STAFF_CHAT, OUTSIDER, "member")
    return world


@pytest.fixture
async def forum_app(tmp_path: Path) -> AsyncIterator[App]:
    settings = make_settings(tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT), CODE_STOCK_WARN="50")
    application = await build_app(settings)
    yield application
    await application.close()


@pytest.fixture(params=FRAMEWORKS)
async def h(request, ffake, forum_app, vtime) -> AsyncIterator[Harness]:
    harness = await open_harness(request.param, ffake, forum_app, vtime)
    yield harness
    await harness.stop()
    ffake.assert_no_violations()


def review_thread(fake: ForumFakeBotApi) -> int:
    (thread,) = [t for t, topic in fake.topics[STAFF_CHAT].items() if topic["name"] == "Review"]
    return thread


def cards_in(fake: ForumFakeBotApi, thread: int) -> list[dict[str, Any]]:
    return [
        m
        for m in fake.in_topic(STAFF_CHAT, thread)
        if (m.get("reply_markup") or {}).get("inline_keyboard")
    ]


async def claim_with_card(h: Harness) -> tuple[InProcessChat, Any, dict[str, Any], int]:
    chat = InProcessChat(h)
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    (claim,) = await h.app.desk.review_queue()
    await h.pump()
    thread = review_thread(h.fake)
    (card,) = cards_in(h.fake, thread)
    return chat, claim, card, thread


async def press(h: Harness, user: int, raw: str, message_id: int) -> str:
    update = h.fake.press_button(user, raw, message_id, chat_id=STAFF_CHAT)
    await h.feed(update)
    query = h.fake.callback_queries[update["callback_query"]["id"]]
    assert query.answered
    return str((query.answer or {}).get("text", ""))


def said_in(h: Harness, thread: int) -> list[str]:
    return [m.get("text") or "" for m in h.fake.in_topic(STAFF_CHAT, thread)]


async def test_review_topic_made_once_with_the_album_beside_the_card(h, vtime):
    chat, claim, card, thread = await claim_with_card(h)
    made = [c for c in h.fake.calls if c.method == "createForumTopic"]
    assert len(made) == 1 and made[0].params["name"] == "Review"
    in_topic = h.fake.in_topic(STAFF_CHAT, thread)
    photos = [m for m in in_topic if m.get("photo")]
    assert len(photos) == 2 and len({m["media_group_id"] for m in photos}) == 1
    (album,) = [c for c in h.fake.calls if c.method == "sendMediaGroup"]
    assert album.params["message_thread_id"] == thread
    assert claim.id in card["text"] and claim.serial in card["text"]
    for field in ("Try", "CHK"):
        assert field.lower() in card["text"].lower()
    assert await ReviewDeskStore(h.app.db).thread(str(STAFF_CHAT)) == str(thread)
    await h.pump()
    # another replica (or the bot after a restart): the topic is found in the database
    again = await open_harness(h.framework, h.fake, h.app, vtime)
    try:
        await again.pump()
        assert len([c for c in h.fake.calls if c.method == "createForumTopic"]) == 1
        assert len(cards_in(h.fake, thread)) == 1  # the card is not posted twice either
    finally:
        await again.stop()


async def test_other_reason_is_the_staff_members_next_message_in_the_topic(h):
    chat, claim, card, thread = await claim_with_card(h)
    mid = card["message_id"]
    assert await press(h, STAFF_ADMIN, data("o", claim.id), mid) == "Write the reason as a message."
    assert any("next message" in s and claim.id in s for s in said_in(h, thread))
    await h.feed(h.fake.send_in_topic(OUTSIDER, STAFF_CHAT, thread, "approve it all"))
    await h.feed(h.fake.send_in_topic(STAFF_ADMIN, STAFF_CHAT, thread, "/cancel"))
    assert (await h.app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW
    assert any(s.startswith("Left as it was") for s in said_in(h, thread))
    await h.feed(h.fake.send_in_topic(STAFF_ADMIN, STAFF_CHAT, thread, "not a reason now"))
    assert (await h.app.desk.find_claim(claim.id)).status is ClaimStatus.UNDER_REVIEW
    await press(h, STAFF_ADMIN, data("o", claim.id), mid)
    await h.feed(
        h.fake.send_in_topic(STAFF_ADMIN, STAFF_CHAT, thread, "The receipt is from another shop")
    )
    done = await h.app.desk.find_claim(claim.id)
    assert (done.status, done.reason) == (ClaimStatus.REJECTED, RejectReason.OTHER)
    assert done.reason_text == "The receipt is from another shop"
    edited = next(m for m in h.fake.sent(STAFF_CHAT) if m["message_id"] == mid)["text"]
    assert "The receipt is from another shop, decided by @sam_staff" in edited
    news = await chat.notifications()
    assert any("another shop" in r.text for r in news)
    again = await press(h, STAFF_ADMIN, data("a", claim.id), mid)
    assert again.startswith("Already decided by @sam_staff")
    assert await press(h, STAFF_ADMIN, data("a", "no-such-claim"), mid) == (
        "This button is no longer valid."
    )
    mallory = await press(h, OUTSIDER, data("o", claim.id), mid)
    assert mallory.startswith("Only support staff")
    assert await ReviewDeskStore(h.app.db).pending(str(STAFF_CHAT), str(OUTSIDER)) is None


async def test_import_a_file_of_codes_and_stats_in_the_topic(h, caplog):
    caplog.set_level(logging.DEBUG)
    chat, claim, card, thread = await claim_with_card(h)
    before = await h.app.desk.code_stock(claim.promotion)
    body = b"code\nFILE-CODE-0001\nFILE-CODE-0002\nFILE-CODE-0001\nnot a code\n"
    await h.feed(
        h.fake.send_document(
            OUTSIDER,
            body,
            "codes.txt",
            "text/plain",
            f"/import {claim.promotion}",
            chat_id=STAFF_CHAT,
        )
    )
    assert await h.app.desk.code_stock(claim.promotion) == before
    await h.feed(
        h.fake.send_document(
            STAFF_ADMIN,
            body,
            "codes.txt",
            "text/plain",
            f"/import {claim.promotion}",
            chat_id=STAFF_CHAT,
        )
    )
    assert await h.app.desk.code_stock(claim.promotion) == before + 2
    said = said_in(h, thread)
    assert any(s.startswith("⛔") or s.startswith("Only support staff") for s in said)
    assert any(
        s.startswith(f"📥 {claim.promotion}: 2 codes added, 1 already known") and "1 lines" in s
        for s in said
    )
    assert any(c.method == "getFile" for c in h.fake.calls)
    everything = "\n".join(str(c.params) for c in h.fake.calls if c.method != "getFile")
    assert "FILE-CODE" not in everything and "FILE-CODE" not in caplog.text
    await h.feed(h.fake.send_in_topic(STAFF_ADMIN, STAFF_CHAT, thread, "/stats"))
    (stats,) = [s for s in said_in(h, thread) if s.startswith("📊")]
    assert "Claims waiting: 1" in stats and f"{claim.promotion}" in stats


def test_topic_links_are_for_supergroups_only():
    assert topic_link(-1001234567890, 77) == "https://t.me/c/1234567890/77"
    assert topic_link(-12345, 77) is None


async def test_open_customer_links_to_the_customers_topic(h):
    chat = InProcessChat(h)
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    (claim,) = await h.app.desk.review_queue()
    topics = h.app.stores.topics
    key = ConversationKey("telegram", "4242", "4242")
    taken = await topics.claim(
        key, room=str(STAFF_CHAT), name="Jamie", locale="en", member_id=claim.member_id
    )
    await topics.created(taken.topic.id, taken.token, "901")
    await h.pump()
    (card,) = cards_in(h.fake, review_thread(h.fake))
    links = [b for row in card["reply_markup"]["inline_keyboard"] for b in row if "url" in b]
    assert links == [{"text": "👤 Open customer", "url": "https://t.me/c/1234567890/901"}]
    chosen = await press(h, STAFF_ADMIN, data("j", claim.id), card["message_id"])
    assert chosen == "Choose the reason."  # the reasons' keyboard: no link while choosing


async def test_the_pool_warning_goes_to_the_review_topic_once(h):
    chat, claim, card, thread = await claim_with_card(h)
    await press(h, STAFF_ADMIN, data("a", claim.id), card["message_id"])
    warnings = [s for s in said_in(h, thread) if s.startswith("⚠ Only")]
    assert warnings == [
        f"⚠ Only 49 unused codes left in {claim.promotion} (warning below 50). "
        f"Import more with /import {claim.promotion}."
    ]


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_review_chat_id_wins_over_the_forum(framework, ffake, tmp_path, vtime):
    review = -1005550000001
    ffake.add_group(review, "Review desk")
    ffake.set_role(review, STAFF_ADMIN, "administrator")
    settings = make_settings(tmp_path, STAFF_CHAT_ID=str(STAFF_CHAT), REVIEW_CHAT_ID=str(review))
    app = await build_app(settings)
    h = await open_harness(framework, ffake, app, vtime)
    try:
        chat = InProcessChat(h)
        await sign_up(chat)
        await register_product(chat)
        await redeem(chat)
        await h.pump()
        # The review desk neither asks whether a group is a forum nor makes a Review topic:
        # its chat is given. (The staff forum asks whether STAFF_CHAT is a forum, for the
        # customers' topics; that is its own question, about its own chat.)
        assert not [c for c in ffake.calls if c.method == "createForumTopic"]
        assert not ffake.topics[STAFF_CHAT]
        assert await ReviewDeskStore(app.db).thread(str(STAFF_CHAT)) is None
        asked = {int(c.params["chat_id"]) for c in ffake.calls if c.method == "getChat"}
        assert asked <= {STAFF_CHAT}
        cards = [
            m for m in ffake.sent(review) if (m.get("reply_markup") or {}).get("inline_keyboard")
        ]
        assert len(cards) == 1
        assert not [m for m in ffake.sent(STAFF_CHAT) if m.get("photo")]
    finally:
        await h.stop()
        await app.close()
    ffake.assert_no_violations()

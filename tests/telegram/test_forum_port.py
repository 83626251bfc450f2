"""Forum topics through both frameworks against the fake Bot API (every call checked
against the spec): one topic per customer even when their first messages arrive together,
1:1 copies of every content kind both ways with ``copyMessage``, edits of either side
reaching the paired copy, and a topic's lifecycle (close, reopen, rename)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.app import App
from bot.channels.telegram.common import Rejected
from bot.channels.telegram.forum import ForumPort
from handlers.workspace.desk import Workspace
from states import ConversationKey
from tests.conftest import jpeg
from tests.telegram import forum_support
from tests.telegram.conftest import CUSTOMER, STAFF_ADMIN, STAFF_CHAT
from tests.telegram.fake_forum import ForumFakeBotApi

forum_fake, tg, forum = forum_support.forum_fake, forum_support.tg, forum_support.forum  # fixtures
KEY = ConversationKey("telegram", str(CUSTOMER), str(CUSTOMER))
STICKER = {
    "sticker": {
        "file_id": "CAACAgIAAxk",
        "file_unique_id": "AgADxk",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
}
VOICE = {
    "voice": {
        "file_id": "AwACAgIAAxk",
        "file_unique_id": "AgADvo",
        "duration": 3,
        "mime_type": "audio/ogg",
    }
}
LOCATION = {"location": {"latitude": 52.520008, "longitude": 13.404954}}
VIDEO = {
    "video": {
        "file_id": "BAACAgIAAxk",
        "file_unique_id": "AgADvi",
        "width": 640,
        "height": 360,
        "duration": 5,
    },
    "caption": "the fan noise",
}


def workspace(app: App) -> Workspace:
    assert app.workspace is not None and app.workspace.room == str(STAFF_CHAT)
    return app.workspace


def creator(forum: ForumPort) -> Any:
    async def create(name: str) -> str:
        return str(await forum.create_topic(STAFF_CHAT, name))

    return create


async def test_one_topic_even_when_first_messages_arrive_together(
    tg_app: App, forum: ForumPort, forum_fake: ForumFakeBotApi
) -> None:
    ws = workspace(tg_app)
    inbounds = await asyncio.gather(
        *(
            ws.customer_message(
                KEY,
                display="Jamie",
                locale="de",
                member_id=None,
                create=creator(forum),
                text=f"hello {i}",
            )
            for i in range(8)
        )
    )
    assert forum_fake.call_count("createForumTopic") == 1
    assert len({i.topic.id for i in inbounds}) == 1
    ((thread, topic),) = forum_fake.topics[STAFF_CHAT].items()
    assert {i.topic.thread_id for i in inbounds} == {str(thread)}
    assert "Jamie" in topic["name"] and "de" in topic["name"]


async def test_every_content_kind_is_copied_both_ways_and_edits_follow(
    tg_app: App, forum: ForumPort, forum_fake: ForumFakeBotApi
) -> None:
    ws = workspace(tg_app)
    inbound = await ws.customer_message(
        KEY, display="Jamie", locale="en", member_id=None, create=creator(forum), text="it rattles"
    )
    thread = int(inbound.topic.thread_id or 0)
    sent = [
        forum_fake.send_text(CUSTOMER, "it rattles"),
        forum_fake.send_photo(CUSTOMER, jpeg(), caption="the S/N sticker"),
        forum_fake.send_content(CUSTOMER, LOCATION),
        forum_fake.send_content(CUSTOMER, STICKER),
        forum_fake.send_content(CUSTOMER, VOICE),
        forum_fake.send_content(CUSTOMER, VIDEO),
    ]
    for update in sent:
        original = update["message"]["message_id"]
        copy_id = await forum.copy(STAFF_CHAT, CUSTOMER, original, thread)
        await ws.paired(
            inbound.topic, "in", (str(CUSTOMER), str(original)), (str(STAFF_CHAT), str(copy_id))
        )
    in_topic = [
        m for m in forum_fake.in_topic(STAFF_CHAT, thread) if "forum_topic_created" not in m
    ]
    kinds = [
        next(k for k in ("text", "photo", "location", "sticker", "voice", "video") if k in m)
        for m in in_topic
    ]
    assert kinds == ["text", "photo", "location", "sticker", "voice", "video"]
    assert in_topic[1]["caption"] == "the S/N sticker" and in_topic[5]["caption"] == "the fan noise"
    assert all("forward_origin" not in m for m in in_topic)  # copies: no "forwarded from"

    # the customer edits their text and their photo's caption: the staff copies follow
    text_id, photo_id = sent[0]["message"]["message_id"], sent[1]["message"]["message_id"]
    forum_fake.edit_sent(CUSTOMER, text_id, text="it rattles loudly")
    forum_fake.edit_sent(CUSTOMER, photo_id, caption="the S/N sticker, sharper")
    target = await ws.copy_of(CUSTOMER, text_id)
    assert target is not None and target[0] == str(STAFF_CHAT)
    await forum.edit_text(int(target[0]), int(target[1]), "it rattles loudly")
    target = await ws.copy_of(CUSTOMER, photo_id)
    assert target is not None
    await forum.edit_caption(int(target[0]), int(target[1]), "the S/N sticker, sharper")
    in_topic = [
        m for m in forum_fake.in_topic(STAFF_CHAT, thread) if "forum_topic_created" not in m
    ]
    assert in_topic[0]["text"] == "it rattles loudly"
    assert in_topic[1]["caption"] == "the S/N sticker, sharper"

    # staff answer in the topic: copied to the customer; their edit follows too
    answer = forum_fake.send_in_topic(STAFF_ADMIN, STAFF_CHAT, thread, "Please send a video")
    staff_id = answer["message"]["message_id"]
    copy_id = await forum.copy(CUSTOMER, STAFF_CHAT, staff_id)
    await ws.paired(
        inbound.topic, "out", (str(CUSTOMER), str(copy_id)), (str(STAFF_CHAT), str(staff_id))
    )
    assert forum_fake.last_text(CUSTOMER) == "Please send a video"
    assert "Sam" not in str(forum_fake.last_message(CUSTOMER))  # staff identity is not shown
    forum_fake.edit_sent(
        STAFF_ADMIN, staff_id, text="Please send a short video", chat_id=STAFF_CHAT
    )
    target = await ws.copy_of(STAFF_CHAT, staff_id)
    assert target == (str(CUSTOMER), str(copy_id))
    await forum.edit_text(CUSTOMER, copy_id, "Please send a short video")
    assert forum_fake.last_text(CUSTOMER) == "Please send a short video"


async def test_topic_lifecycle_close_reopen_rename(
    forum: ForumPort, forum_fake: ForumFakeBotApi
) -> None:
    thread = await forum.create_topic(STAFF_CHAT, "Jamie · telegram:4242 · en")
    await forum.send_text(STAFF_CHAT, "customer card", thread)
    await forum.close_topic(STAFF_CHAT, thread)
    assert forum_fake.topics[STAFF_CHAT][thread]["closed"] is True
    with pytest.raises(Rejected):
        await forum.close_topic(STAFF_CHAT, thread)  # TOPIC_NOT_MODIFIED
    await forum.reopen_topic(STAFF_CHAT, thread)
    assert forum_fake.topics[STAFF_CHAT][thread]["closed"] is False
    await forum.rename_topic(STAFF_CHAT, thread, "✅ Jamie · telegram:4242 · en")
    assert forum_fake.topics[STAFF_CHAT][thread]["name"].startswith("✅")
    with pytest.raises(Rejected):
        await forum.send_text(STAFF_CHAT, "lost", thread + 999)  # no such thread
    assert [m.get("text") for m in forum_fake.in_topic(STAFF_CHAT, thread)][1:] == ["customer card"]


async def test_a_group_that_is_not_a_forum_gets_no_topics(
    forum: ForumPort, forum_fake: ForumFakeBotApi
) -> None:
    forum_fake.add_group(-1009999, "Flat staff group")
    with pytest.raises(Rejected):
        await forum.create_topic(-1009999, "Jamie")
    assert forum_fake.topics.get(-1009999) is None

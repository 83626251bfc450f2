"""Fixtures for the forum tests (test_forum_bridge, test_forum_desk, test_e2e_forum): the
fake with a forum staff group and its people, the app on virtual support hours, and the
forum calls (and the plain bot calls) of either framework on the fake."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_app
from bot.channels.telegram.forum import ForumPort
from bot.channels.telegram.port import BotPort, IncomingMessage, message_in
from tests.conftest import Clock, make_settings
from tests.telegram.conftest import (
    CUSTOMER,
    STAFF_ADMIN,
    STAFF_CHAT,
    Harness,
    InProcessChat,
    VirtualTime,
    aiogram_session,
    fake_wire,
    open_harness,
    ptb_request,
)
from tests.telegram.fake_forum import ForumFakeBotApi

FRAMEWORKS = ("aiogram", "ptb", "wire")
OUTSIDER = 666  # a plain member of the staff group
MONDAY_10_BERLIN = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)  # within support hours
FRIDAY_19_BERLIN = dt.datetime(2027, 1, 15, 18, 0, tzinfo=dt.UTC)  # after them


@dataclass
class Tg:
    framework: str
    forum: ForumPort
    port: BotPort
    bot: Any

    def incoming(self, update: dict[str, Any]) -> IncomingMessage:
        """The update as the framework parses it, translated by the shared code."""
        body = update.get("message") or update["edited_message"]
        if self.framework == "wire":
            from bot.channels.telegram.wire import View

            parsed: Any = View(body)
        elif self.framework == "aiogram":
            from aiogram.types import Message

            parsed = Message.model_validate(body, context={"bot": self.bot})
        else:
            from telegram import Message as PtbMessage

            parsed = PtbMessage.de_json(body, self.bot)
        return message_in(update["update_id"], parsed)


def populate(world: ForumFakeBotApi) -> ForumFakeBotApi:
    """The customer Jamie, the staff admin Sam and the plain member Mallory, and the forum
    staff group "Support" where Sam is an administrator."""
    world.add_user(CUSTOMER, "Jamie", username="jamie")
    world.add_user(STAFF_ADMIN, "Sam", username="sam_staff")
    world.add_user(OUTSIDER, "Mallory", username="mallory")
    world.add_forum(STAFF_CHAT, "Support")
    world.set_role(STAFF_CHAT, STAFF_ADMIN, "administrator")
    world.set_role(STAFF_CHAT, OUTSIDER, "member")
    return world


@pytest.fixture
def forum_fake() -> ForumFakeBotApi:
    return populate(ForumFakeBotApi())


@pytest.fixture
async def forum_app(tmp_path: Path) -> AsyncIterator[tuple[App, Clock]]:
    """The app with the forum as its staff chat, support hours Mon-Fri 09:00-18:00 Berlin
    and a 30-minute SLA, on a clock that starts on a Monday at 10:00 Berlin time."""
    clock = Clock(MONDAY_10_BERLIN)
    settings = make_settings(
        tmp_path,
        STAFF_CHAT_ID=str(STAFF_CHAT),
        SUPPORT_HOURS="Mon-Fri 09:00-18:00 Europe/Berlin",
        SUPPORT_SLA_MINUTES="30",
    )
    app = await build_app(settings, clock=clock)
    yield app, clock
    await app.close()


@pytest.fixture(params=FRAMEWORKS)
async def tg(request: pytest.FixtureRequest, forum_fake: ForumFakeBotApi) -> AsyncIterator[Tg]:
    if request.param == "aiogram":
        from aiogram import Bot

        from bot.channels.telegram.aiogram_app import AiogramPort
        from bot.channels.telegram.forum_aiogram import AiogramForum

        bot = Bot(forum_fake.token, session=aiogram_session(forum_fake))
        yield Tg("aiogram", AiogramForum(bot), AiogramPort(bot), bot)
    elif request.param == "wire":
        from bot.channels.telegram.wire import WirePort
        from bot.channels.telegram.wire_forum import WireForum

        wire = fake_wire(forum_fake)
        yield Tg("wire", WireForum(wire), WirePort(wire), None)
    else:
        import telegram

        from bot.channels.telegram.forum_ptb import PtbForum
        from bot.channels.telegram.ptb_app import PtbPort

        request_ = ptb_request(forum_fake)
        async with telegram.Bot(
            forum_fake.token, request=request_, get_updates_request=ptb_request(forum_fake)
        ) as ptb_bot:
            yield Tg("ptb", PtbForum(ptb_bot), PtbPort(ptb_bot), ptb_bot)
    forum_fake.assert_no_violations()


@pytest.fixture
def forum(tg: Tg) -> ForumPort:
    return tg.forum


@pytest.fixture(params=[*FRAMEWORKS, "aiogram-run"])
async def harness(
    request: pytest.FixtureRequest,
    forum_fake: ForumFakeBotApi,
    forum_app: tuple[App, Clock],
    vtime: VirtualTime,
) -> AsyncIterator[Harness]:
    h = await open_harness(request.param, forum_fake, forum_app[0], vtime)
    yield h
    await h.stop()
    forum_fake.assert_no_violations()


class Desk:
    """The customer, the forum and the staff chat of one harness."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.fake: ForumFakeBotApi = h.fake  # type: ignore[assignment]
        self.chat = InProcessChat(h)

    async def open_request(self, text: str) -> None:
        """The customer asks for support through the conversation (menu -> Support -> text)."""
        await self.chat.command("start")
        await self.chat.tap("support")
        await self.chat.text(text)
        await self.h.pump()  # the delivery loop posts it in the customer's topic

    @property
    def review_name(self) -> str:
        """The review desk's own topic in the same forum (its cards), not a customer's."""
        return self.h.app.catalog.text("en", "review.topic_name")

    def customer_topics(self) -> list[int]:
        """The customers' topics: every topic of the forum but the review desk's."""
        topics = self.fake.topics[STAFF_CHAT]
        return [thread for thread, t in topics.items() if t["name"] != self.review_name]

    def topics_made(self) -> int:
        """createForumTopic calls for customers (the Review topic is made at most once)."""
        names = [c.params["name"] for c in self.fake.calls if c.method == "createForumTopic"]
        assert names.count(self.review_name) <= 1, names
        return len(names) - names.count(self.review_name)

    @property
    def thread(self) -> int:
        (thread,) = self.customer_topics()  # one topic, one customer
        return thread

    def topic(self) -> list[dict[str, Any]]:
        return self.fake.in_topic(STAFF_CHAT, self.thread)

    def texts(self) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in self.topic()]

    async def customer(self, content: dict[str, Any]) -> dict[str, Any]:
        update = self.fake.send_content(CUSTOMER, content)
        await self.h.feed(update)
        return update

    async def staff(self, text: str, user: int = STAFF_ADMIN) -> int:
        update = self.fake.send_in_topic(user, STAFF_CHAT, self.thread, text)
        await self.h.feed(update)
        return int(update["message"]["message_id"])

    async def edit(self, user: int, message_id: int, text: str, chat: int | None = None) -> None:
        update = self.fake.edit_sent(user, message_id, text=text, chat_id=chat)
        await self.h.feed(update)

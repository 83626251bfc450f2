"""Fixtures for the forum tests: the fake with a forum staff group, and the forum calls
(and the plain bot calls) of either framework on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from bot.channels.telegram.forum import ForumPort
from bot.channels.telegram.port import BotPort, IncomingMessage, message_in
from tests.telegram.conftest import (
    CUSTOMER,
    STAFF_ADMIN,
    STAFF_CHAT,
    aiogram_session,
    fake_wire,
    ptb_request,
)
from tests.telegram.fake_forum import ForumFakeBotApi

FRAMEWORKS = ("aiogram", "ptb", "wire")
OUTSIDER = 666  # a plain member of the staff group


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


@pytest.fixture
def forum_fake() -> ForumFakeBotApi:
    world = ForumFakeBotApi()
    world.add_user(CUSTOMER, "Jamie", username="jamie")
    world.add_user(STAFF_ADMIN, "Sam", username="sam_staff")
    world.add_user(OUTSIDER, "Mallory", username="mallory")
    world.add_forum(STAFF_CHAT, "Support")
    world.set_role(STAFF_CHAT, STAFF_ADMIN, "administrator")
    world.set_role(STAFF_CHAT, OUTSIDER, "member")
    return world


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

"""The staff forum's own posts keep to Telegram's limits (issue 10, "Notifications": 20
messages per minute per group; a busy forum must queue, not hit 429 storms).

All three connectors in process against the fake Bot API with a forum supergroup that
enforces Telegram's published limits (30/s overall, 1/s per chat with a burst of 3, 20/min
per group), on a virtual clock shared by the bot's rate limiter and the fake: many customers
write at once, every message is copied into its customer's topic, in order, once, and the
fake never has to answer 429. A 429 or a 5xx on a copy into the forum is ridden out: the
message is still copied (not lost, not turned into something else), in its place.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App
from bot.channels.telegram.common import RateLimits
from tests.conftest import Clock
from tests.telegram import forum_support
from tests.telegram.conftest import CUSTOMER, STAFF_CHAT, Harness, InProcessChat, SimClock
from tests.telegram.conftest import open_harness as open_in_process
from tests.telegram.fake_bot_api import FloodControl
from tests.telegram.fake_forum import ForumFakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

# fixtures
forum_fake, forum_app = forum_support.forum_fake, forum_support.forum_app

CUSTOMERS = 100
EACH = 3  # messages each customer writes in the burst


class Paced:
    def __init__(self, h: Harness, clock: SimClock, flood: FloodControl) -> None:
        self.h, self.clock, self.flood = h, clock, flood
        self.fake: ForumFakeBotApi = h.fake  # type: ignore[assignment]


@pytest.fixture(params=forum_support.FRAMEWORKS)
async def paced(
    request: pytest.FixtureRequest, forum_fake: ForumFakeBotApi, forum_app: tuple[App, Clock]
) -> AsyncIterator[Paced]:
    clock = SimClock()
    flood = forum_fake.enforce_limits(clock)
    h = await open_in_process(
        request.param, forum_fake, forum_app[0], clock, limits=RateLimits()
    )  # Telegram's defaults
    yield Paced(h, clock, flood)
    await h.stop()
    forum_fake.assert_no_violations()


async def open_requests(p: Paced, users: list[int]) -> None:
    """Each customer asks for support through the conversation; the delivery loop posts
    their request in their new topic."""

    async def one(user: int) -> None:
        chat = InProcessChat(p.h, user)
        await chat.command("start")
        await chat.tap("support")
        await chat.text(f"request of {user}")

    await asyncio.gather(*(one(user) for user in users))
    await p.h.pump()


def topic_of(fake: ForumFakeBotApi, user: int) -> list[str]:
    """The texts of the topic holding ``user``'s request, oldest first."""
    for thread in fake.topics[STAFF_CHAT]:
        texts = [m.get("text") or m.get("caption") or "" for m in fake.in_topic(STAFF_CHAT, thread)]
        if any(f"request of {user}" in t for t in texts):
            return texts
    raise AssertionError(f"no topic with the request of {user}")


def relayed(texts: list[str], user: int) -> list[str]:
    return [t for t in texts if t.startswith(f"from {user}:")]


async def write(p: Paced, user: int, texts: list[str]) -> None:
    """The customer sends ``texts`` one after the other (each as Telegram delivers it)."""
    for text in texts:
        await p.h.feed(p.fake.send_content(user, {"text": text}))


async def test_a_burst_of_customers_queues_within_the_group_limit(paced: Paced) -> None:
    """100 customers with open requests write 3 messages each at the same moment: 300
    copies into one forum, 15 minutes' worth of the group's 20 per minute. They queue (the
    virtual clock moves on by those minutes), none draws a 429, each topic gets its
    customer's messages once, in the order written."""
    p, fake = paced, paced.fake
    users = [CUSTOMER + n for n in range(1, CUSTOMERS + 1)]
    for user in users:
        fake.add_user(user, f"Customer {user}")
    await open_requests(p, users)
    assert p.flood.rejected == [], p.flood.rejected[:5]
    started, accepted = p.clock(), p.flood.accepted

    mine = {user: [f"from {user}: #{i}" for i in range(EACH)] for user in users}
    await asyncio.gather(*(write(p, user, mine[user]) for user in users))

    assert p.flood.rejected == [], (
        f"{len(p.flood.rejected)} calls over the limits, e.g. {p.flood.rejected[:5]}"
    )
    assert not fake.api_errors, fake.api_errors[:5]
    for user in users:
        assert relayed(topic_of(fake, user), user) == mine[user], user
    copies = CUSTOMERS * EACH
    assert p.flood.accepted - accepted >= copies
    # the group's window really held them back: 300 posts at 20 a minute
    assert p.clock() - started >= (copies // 20 - 1) * 60


@pytest.mark.parametrize("status", [429, 502])
async def test_a_failed_copy_into_the_forum_is_retried_in_its_place(
    paced: Paced, status: int
) -> None:
    """A 429 (retry_after) or a 5xx on a customer's message copied into their topic: it is
    copied again after the wait, once, before the customer's next message."""
    p, fake = paced, paced.fake
    user = CUSTOMER + 1
    fake.add_user(user, "Alex")
    await open_requests(p, [user])
    kwargs: dict[str, Any] = {"retry_after": 5} if status == 429 else {"times": 2}
    fake.fail_next("copyMessage", status, chat_id=STAFF_CHAT, **kwargs)
    before = p.clock()
    await write(p, user, [f"from {user}: first", f"from {user}: second"])
    texts = topic_of(fake, user)
    assert relayed(texts, user) == [f"from {user}: first", f"from {user}: second"], texts
    assert not [t for t in texts if "first" in t and not t.startswith("from")], texts
    if status == 429:
        assert p.clock() - before >= 5  # Telegram's retry_after was waited out

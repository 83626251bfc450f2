"""A topic per customer: created once under concurrent first messages (two tasks on two
engines, like two replicas), message pairs both ways, close/rate/reopen, take, ban."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from handlers.i18n import Catalog
from handlers.io import Action
from handlers.workspace.desk import RATE
from states import ConversationKey
from states.support_hours import parse_hours
from storage.db import make_engine
from storage.workspace.topics import CREATE_LEASE
from tests.workspace.conftest import HOURS, ROOM, Clock, Desk, keys, make_workspace, staff

KEY = ConversationKey("telegram", "42", "42")


async def test_two_first_messages_on_two_replicas_make_one_topic(db_url: str) -> None:
    """The second message arrives while the first is creating the topic: it waits for it
    and reuses it (the creator finishes only after the second has seen it busy)."""
    clock, catalog = Clock(), Catalog()
    engines = [make_engine(db_url), make_engine(db_url)]
    second_waited = asyncio.Event()
    made: list[str] = []

    async def create(name: str) -> str:  # the channel's createForumTopic, slow
        made.append(name)
        await second_waited.wait()
        return "9001"

    async def pause() -> None:  # the waiting replica polls
        second_waited.set()
        await asyncio.sleep(0)

    stores = [make_workspace(e, clock, catalog, parse_hours(HOURS), pause=pause) for e in engines]
    try:
        first, second = await asyncio.gather(
            *(
                ws.customer_message(
                    KEY, display="Jamie", locale="en", member_id="m-1", create=create, text=text
                )
                for ws, text in zip((p.ws for p in stores), ("hello", "hello again"), strict=True)
            )
        )
        assert made == ["Jamie · m-1 · en"]
        assert first.topic.id == second.topic.id
        assert first.topic.thread_id == second.topic.thread_id == "9001"
        assert first.relay and second.relay
        # later messages reuse it, from either replica
        third = await stores[1].ws.customer_message(
            KEY, display="Jamie", locale="en", member_id="m-1", create=create, text="still there?"
        )
        assert third.topic.id == first.topic.id and made == ["Jamie · m-1 · en"]
    finally:
        for parts in stores:
            await parts.close()
        for e in engines:
            await e.dispose()


async def test_a_failed_or_dead_creator_is_taken_over(desk: Desk) -> None:
    async def broken(name: str) -> str:
        raise ConnectionError("the channel is down")

    key = ConversationKey("telegram", "43", "43")
    with pytest.raises(ConnectionError):
        await desk.ws.customer_message(
            key, display="Kim", locale="en", member_id=None, create=broken, text="hi"
        )
    again = await desk.ws.customer_message(
        key, display="Kim", locale="en", member_id=None, create=desk.channel.create, text="hi"
    )
    assert again.topic.thread_id is not None  # the lease was given up at once: created now

    # a creator that died holding the lease: after the lease, the next caller creates it
    dead = await desk.topics.claim(
        ConversationKey("telegram", "44", "44"), room=ROOM, name="x", locale="en"
    )
    assert dead.kind == "mine" and dead.token
    busy = await desk.topics.claim(
        ConversationKey("telegram", "44", "44"), room=ROOM, name="x", locale="en"
    )
    assert busy.kind == "busy"
    desk.clock.advance(seconds=CREATE_LEASE.total_seconds() - 1)
    still = await desk.topics.claim(
        ConversationKey("telegram", "44", "44"), room=ROOM, name="x", locale="en"
    )
    assert still.kind == "busy"  # the lease holds until it runs out
    desk.clock.advance(seconds=2)
    took = await desk.topics.claim(
        ConversationKey("telegram", "44", "44"), room=ROOM, name="x", locale="en"
    )
    assert took.kind == "mine" and took.token != dead.token
    assert await desk.topics.created(dead.topic.id, dead.token, "7") is None  # the dead one lost it
    done = await desk.topics.created(took.topic.id, took.token, "8")
    assert done is not None and done.thread_id == "8"


async def test_message_pairs_both_ways(desk: Desk) -> None:
    inbound = await desk.customer("my code does not work")
    topic = inbound.topic
    await desk.ws.paired(topic, "in", ("42", "1001"), (ROOM, "5001"))  # customer -> topic copy
    await desk.ws.paired(
        topic, "out", ("42", "1002"), (ROOM, "5002")
    )  # staff answer -> customer copy
    assert await desk.ws.copy_of("42", "1001") == (ROOM, "5001")
    assert await desk.ws.copy_of(ROOM, "5001") == ("42", "1001")
    assert await desk.ws.copy_of(ROOM, "5002") == ("42", "1002")
    assert await desk.ws.copy_of("42", 1002) == (ROOM, "5002")
    assert await desk.ws.copy_of("42", "5001") is None  # the same id in another chat is not it
    assert await desk.ws.copy_of(ROOM, "1001") is None


async def test_close_rate_once_and_reopen(desk: Desk) -> None:
    topic = (await desk.customer("where is my code?")).topic
    answered = await desk.staff_says("It is on its way.", topic)
    assert keys(answered.customer) == ["workspace.staff_answer"]
    assert answered.customer[0].text == "It is on its way."

    closed = await desk.staff_says("/close", topic)
    assert closed.close_topic and keys(closed.customer) == ["workspace.closed"]
    buttons = closed.customer[0].button_data()
    assert [Action.decode(b).value for b in buttons] == [f"{s}.{topic.id}" for s in range(1, 6)]
    assert all(Action.decode(b).kind == RATE for b in buttons)
    assert keys((await desk.staff_says("/close", topic)).staff) == ["workspace.not_open"]

    other = ConversationKey("telegram", "99", "99")
    assert (
        await desk.ws.rate(other, f"5.{topic.id}")
    ).key == "workspace.rate_invalid"  # not theirs
    assert (await desk.ws.rate(KEY, f"9.{topic.id}")).key == "workspace.rate_invalid"
    assert (await desk.ws.rate(KEY, f"4.{topic.id}")).key == "workspace.rated"
    assert (await desk.ws.rate(KEY, f"1.{topic.id}")).key == "workspace.rated_already"
    assert await desk.topics.ratings(topic.id) == [4]

    back = await desk.customer("one more thing")
    assert back.reopened and back.relay and keys(back.staff) == ["workspace.reopened"]
    assert (await desk.topics.get(topic.id)).status == "open"
    assert desk.channel.made == ["Jamie · telegram:42 · en"]  # the same topic, reopened
    actions = [(h.action, h.actor_id) for h in await desk.topics.history(topic.id)]
    assert actions == [("answer", "telegram:777"), ("close", "telegram:777")]


async def test_take_assigns_the_topic(desk: Desk) -> None:
    topic = (await desk.customer("hello")).topic
    took = await desk.staff_says("/take", topic)
    assert keys(took.staff) == ["workspace.taken"] and took.card_changed
    kim = staff("778", "@kim")
    desk.room.policy = type(desk.room.policy)(ROOM, frozenset({"777", "778"}))
    await desk.staff_says("/take@RedeemBot", topic, who=kim)
    now = await desk.topics.get(topic.id)
    assert (now.assignee_id, now.assignee_name) == ("telegram:778", "@kim")
    assert [h.action for h in await desk.topics.history(topic.id)] == ["take", "take"]


async def test_a_banned_customer_is_told_once_and_not_relayed(desk: Desk) -> None:
    topic = (await desk.customer("hello")).topic
    assert keys((await desk.staff_says("/ban", topic)).staff) == ["workspace.banned_staff"]
    assert keys((await desk.staff_says("/ban", topic)).staff) == ["workspace.already_banned"]
    first = await desk.customer("let me in")
    assert not first.relay and keys(first.customer) == ["workspace.banned"]
    second = await desk.customer("let me in!!")
    assert not second.relay and first.customer and second.customer == []
    assert keys((await desk.staff_says("a reply", topic)).staff) == ["workspace.is_banned"]
    assert keys((await desk.staff_says("/unban", topic)).staff) == ["workspace.unbanned"]
    back = await desk.customer("thanks")
    assert back.relay and back.customer == []  # still waiting from before: no second notice
    assert [h.action for h in await desk.topics.history(topic.id)] == ["ban", "unban"]


async def test_expectation_follows_support_hours(desk: Desk) -> None:
    assert keys((await desk.customer("hi")).customer) == ["workspace.answer_soon"]  # Monday 10:00
    desk.clock.now = dt.datetime(2027, 1, 15, 18, 30, tzinfo=dt.UTC)  # Friday 19:30 Berlin
    later = await desk.customer("hello?", user="50")
    assert keys(later.customer) == ["workspace.answer_from"]
    assert "Monday 09:00" in later.customer[0].text
    desk.clock.now = dt.datetime(2027, 1, 12, 6, 0, tzinfo=dt.UTC)  # Tuesday 07:00 Berlin
    early = await desk.customer("hello?", user="51")
    assert keys(early.customer) == ["workspace.answer_today"] and "09:00" in early.customer[0].text


async def test_a_pair_recorded_twice_is_kept_once_and_old_pairs_are_pruned(desk: Desk) -> None:
    topic = (await desk.customer("hello")).topic
    await desk.ws.paired(topic, "in", ("42", "1"), (ROOM, "501"))
    await desk.ws.paired(topic, "in", ("42", "1"), (ROOM, "501"))  # a redelivered update
    await desk.ws.paired(topic, "out", ("42", "2"), (ROOM, "501"))  # a clash on the staff side
    assert await desk.ws.copy_of(ROOM, "501") == ("42", "1")
    assert await desk.ws.copy_of("42", "2") is None
    desk.clock.advance(days=3)
    await desk.ws.paired(topic, "out", ("42", "3"), (ROOM, "503"))
    assert await desk.ws.pairs.prune(dt.timedelta(days=2)) == 1
    assert await desk.ws.copy_of(ROOM, "501") is None
    assert await desk.ws.copy_of(ROOM, "503") == ("42", "3")

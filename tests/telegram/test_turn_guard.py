"""The check before each send, asked once per turn (issue 9) without losing what it guards:
the messages of a turn sent one after the other share one read of the chat's link, but a
message that waited (the rate limit, a 429, a retry's back-off) is checked again, so nothing
goes to a chat logged out meanwhile (see also test_logged_out_while_waiting.py)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from handlers.io import Reply
from tests.conversation.journeys import sign_up
from tests.telegram import test_logged_out_while_waiting as logged_out
from tests.telegram.conftest import CUSTOMER, InProcessChat
from tests.telegram.test_logged_out_while_waiting import Gate, texts  # one copy of each
from tests.telegram.test_logged_out_while_waiting import thief_key as key

#: the same fixture: the in-process bot on each framework, on virtual time
harness = logged_out.harness
CODE = "STEAM-ABCDE-FGHIJ-KLMNO"
MEMBER = "owner-member"


class HoldAfterFirst:
    """The bot's port, but after its first message Telegram answers the next with a 429
    (the limiter holds the chat): the turn's second message has to wait."""

    def __init__(self, port: Any, limiter: Any) -> None:
        self._port = port
        self._limiter = limiter
        self.sent = 0

    async def send_message(self, chat_id: int, *args: Any, **kwargs: Any) -> Any:
        result = await self._port.send_message(chat_id, *args, **kwargs)
        self.sent += 1
        if self.sent == 1:
            self._limiter.hold(chat_id, 5.0)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._port, name)


class LinkReads:
    """Counts the reads of ``chat_links`` (the bot's database; every engine is watched: the
    stores' workers have engines of their own)."""

    def __init__(self, app: Any) -> None:
        self.count = 0

    def __enter__(self) -> LinkReads:
        event.listen(Engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "chat_links" in statement:
            self.count += 1


def replies(n: int, last: str = "") -> list[Reply]:
    return [Reply(text=f"part {i + 1}") for i in range(n - 1)] + [Reply(text=last or f"part {n}")]


async def test_a_turns_messages_sent_one_after_the_other_share_one_link_read(harness, fake):
    app, outgoing = harness.app, harness.bridge.outgoing
    await app.links.link(MEMBER, key())
    guard = await outgoing.logged_in_guard(key(), MEMBER)  # as a turn makes it
    with LinkReads(app) as reads:
        delivery = await outgoing.send(outgoing.port, key(), CUSTOMER, replies(3), guard=guard)
    assert delivery.ok and delivery.sent == 3
    assert texts(fake)[-3:] == ["part 1", "part 2", "part 3"]
    assert reads.count == 1  # asked once, right before the first message


async def test_a_message_held_by_a_429_after_the_first_is_checked_again(harness, fake):
    """The turn's first message went out; Telegram made the second wait; the owner ended
    the log-in meanwhile: the second (with the code) is not sent."""
    app, outgoing = harness.app, harness.bridge.outgoing
    await app.links.link(MEMBER, key())
    gate = Gate(outgoing.limiter.clock)
    outgoing.limiter.sleep = gate.sleep
    port = HoldAfterFirst(outgoing.port, outgoing.limiter)
    guard = await outgoing.logged_in_guard(key(), MEMBER)
    with LinkReads(app) as reads:
        sending = asyncio.create_task(
            outgoing.send(port, key(), CUSTOMER, replies(2, f"Your code: {CODE}"), guard=guard)
        )
        await asyncio.wait_for(gate.waiting.wait(), 30)  # the first is out, the second waits
        assert await app.links.end_logins(MEMBER) == 1
        gate.open.set()
        delivery = await asyncio.wait_for(sending, 30)
    assert delivery.withdrawn and delivery.sent == 1
    assert "part 1" in texts(fake)
    assert not any(CODE in t for t in texts(fake))
    assert reads.count == 2  # before the first, and again after the wait


async def test_a_message_retried_after_a_failure_is_checked_again(harness, fake):
    """The send failed (a 502) and waits for its retry; the owner ends the log-in during the
    back-off: the retry sends nothing."""
    app, outgoing = harness.app, harness.bridge.outgoing
    await app.links.link(MEMBER, key())
    gate = Gate(outgoing.limiter.clock)
    outgoing.messenger.sleep = gate.sleep  # the retry's back-off
    fake.fail_next("sendMessage", 502, chat_id=CUSTOMER)
    guard = await outgoing.logged_in_guard(key(), MEMBER)
    sending = asyncio.create_task(
        outgoing.send(outgoing.port, key(), CUSTOMER, [Reply(text=f"Code {CODE}")], guard=guard)
    )
    await asyncio.wait_for(gate.waiting.wait(), 30)
    await app.links.end_logins(MEMBER)
    gate.open.set()
    delivery = await asyncio.wait_for(sending, 30)
    assert delivery.withdrawn and delivery.sent == 0
    assert not any(CODE in t for t in texts(fake))


async def test_a_message_long_after_the_last_yes_is_checked_again(harness, fake):
    """No wait was counted, but the clock moved past ``FRESH`` between two messages (a slow
    answer from Telegram): the next message asks again."""
    from bot.channels.telegram.delivery import FRESH

    app, outgoing = harness.app, harness.bridge.outgoing
    await app.links.link(MEMBER, key())
    clock = outgoing.limiter.clock

    class Slow(HoldAfterFirst):
        async def send_message(self, chat_id: int, *args: Any, **kwargs: Any) -> Any:
            result = await self._port.send_message(chat_id, *args, **kwargs)
            self.sent += 1
            if self.sent == 1:  # a slow answer; the owner ended the log-in meanwhile
                clock.now += FRESH * 2
                await app.links.end_logins(MEMBER)
            return result

    port = Slow(outgoing.port, outgoing.limiter)
    guard = await outgoing.logged_in_guard(key(), MEMBER)
    delivery = await outgoing.send(
        port, key(), CUSTOMER, replies(2, f"Your code: {CODE}"), guard=guard
    )
    assert delivery.withdrawn and delivery.sent == 1
    assert not any(CODE in t for t in texts(fake))


# ------------------------------------------- a log-out at any point of the turn, no wait anywhere
# (a review's attacks on folding the check into the session's save, which is why it reads
# again right before the first message: each of these sends nothing)
@pytest.fixture
async def signed_in(harness) -> tuple[InProcessChat, str]:
    """The thief's chat, signed up and logged in as the member (the owner) it returns."""
    chat = InProcessChat(harness)
    await sign_up(chat)
    member = await harness.app.links.member_for(key())
    assert member
    return chat, member


async def test_a_log_out_everywhere_during_the_step_itself_sends_nothing(harness, fake, signed_in):
    """No wait anywhere: the owner ends every other log-in while the thief's step runs (after
    the step's own log-in check): the answer (which may list a code) is not sent."""
    app, (chat, member) = harness.app, signed_in
    claim_page = app.backend.claim_page

    async def logged_out_meanwhile(*args: Any, **kwargs: Any) -> Any:
        await app.links.end_logins(member)  # "Log out everywhere" in the owner's other chat
        return await claim_page(*args, **kwargs)

    app.backend.claim_page = logged_out_meanwhile  # type: ignore[method-assign]
    before = len(fake.sent(CUSTOMER))
    await chat.command("status")
    assert fake.sent(CUSTOMER)[before:] == []


async def test_a_turns_first_message_that_waits_is_checked_again(harness, fake, signed_in):
    """The step is saved; the first message then waits for the chat's rate limit and the owner
    ends the log-in meanwhile: nothing is sent."""
    (app, outgoing), (chat, member) = (harness.app, harness.bridge.outgoing), signed_in
    gate = Gate(outgoing.limiter.clock)
    outgoing.limiter.sleep = gate.sleep
    outgoing.limiter.hold(CUSTOMER, 5.0)
    before = len(fake.sent(CUSTOMER))
    turn = asyncio.create_task(chat.command("status"))
    await asyncio.wait_for(gate.waiting.wait(), 30)  # the step is saved; its answer waits
    assert await app.links.end_logins(member) == 1
    gate.open.set()
    await asyncio.wait_for(turn, 30)
    assert fake.sent(CUSTOMER)[before:] == []


def _save_beside_a_log_out(harness, member: str, first: Any) -> list[int]:
    """The next save of this chat goes to the shared writer with ``first`` (another unit)
    before it and the owner's "Log out everywhere" (another chat's turn) after it, all queued
    at once: one group commit on a busy bot. Returns what ``end_logins`` answered."""
    app = harness.app
    store, real_save = app.sessions, app.sessions.save
    armed, ended = True, []

    async def save(session: Any) -> Any:
        nonlocal armed
        if not (armed and session.key == key()):
            return await real_save(session)
        armed = False
        other = asyncio.ensure_future(store.writer.run(first))
        mine = asyncio.ensure_future(real_save(session))
        logout = asyncio.ensure_future(app.links.end_logins(member))
        answer = await mine
        ended.append(await logout)  # committed: the owner is told "done"
        with contextlib.suppress(RuntimeError):
            await other
        return answer

    store.save = save  # type: ignore[method-assign]
    return ended


def _fails(conn: Any) -> None:
    raise RuntimeError("another unit of the batch fails")


@pytest.mark.parametrize("first", [lambda conn: None, _fails], ids=["batch", "careful-reruns"])
async def test_a_log_out_in_the_saves_own_group_commit_after_it_sends_nothing(
    harness, fake, signed_in, first
):
    """The owner's log-out queued right behind the thief's save, in the same group commit (or,
    when another unit fails, in the careful rerun's next transaction): committed before the
    reply goes, so the reply does not go."""
    chat, member = signed_in
    ended = _save_beside_a_log_out(harness, member, first)
    before = len(fake.sent(CUSTOMER))
    await chat.command("status")
    assert ended == [1]
    assert await harness.app.links.member_for(key()) is None
    assert fake.sent(CUSTOMER)[before:] == []


async def test_a_log_out_committed_after_the_save_before_the_first_send(harness, fake, signed_in):
    """The step is saved; the owner's "Log out everywhere" commits (another replica, or the
    next group commit) before the turn's first message: that message reads the link itself,
    so nothing goes to the chat logged out before the send."""
    app, (chat, member) = harness.app, signed_in
    store, real_save = app.sessions, app.sessions.save
    armed = True

    async def save(session: Any) -> Any:
        nonlocal armed
        answer = await real_save(session)
        if armed and session.key == key():
            armed = False
            assert await app.links.end_logins(member) == 1  # committed: the owner told "done"
        return answer

    store.save = save  # type: ignore[method-assign]
    before = len(fake.sent(CUSTOMER))
    await chat.command("status")
    assert await app.links.member_for(key()) is None
    assert fake.sent(CUSTOMER)[before:] == []

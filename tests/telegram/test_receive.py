"""The receive path in process (``bot/channels/telegram/receiver.py``), on both frameworks.

A flooding chat is bounded (its excess dropped with ONE "slow down" answer, its dropped taps
still answered) and never holds anyone else up; what is not handled stays in the inbox and is
handled by the next run, an update the engine already committed is answered with the current
step. A chat's slow turn is played by holding its place in the bridge's per-chat order (what a
customer waiting on their rate limit does), so nothing depends on the machine's speed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import App
from bot.channels.telegram.events import key_for
from bot.channels.telegram.receiver import CHANNEL, ChatBound, Receiver, origin_of
from tests.telegram.conftest import (
    CUSTOMER,
    AiogramHarness,
    Harness,
    PtbHarness,
    VirtualTime,
    WireHarness,
    make_bridge,
)
from tests.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.timeout(120)
OTHER = 5151
SLOW_DOWN = "faster than I can answer"


class BlockingPtbHarness(PtbHarness):
    """PTB as ``redeem-bot run`` drives it: ``process_update`` returns when the turn is over."""

    async def start(self) -> None:
        from telegram.ext import ApplicationBuilder

        from bot.channels.telegram.ptb_app import add_handlers
        from tests.telegram.conftest import ptb_request

        self.application = (
            ApplicationBuilder()
            .token(self.fake.token)
            .request(ptb_request(self.fake))
            .get_updates_request(ptb_request(self.fake))
            .updater(None)
            .build()
        )
        add_handlers(self.application, self.app, bridge=self.bridge, block=True)
        await self.application.initialize()
        await self.application.post_init(self.application)
        await self.application.start()

    async def feed(self, update: dict[str, Any]) -> None:
        from telegram import Update

        await self.application.process_update(Update.de_json(update, self.application.bot))


HARNESSES: dict[str, type[Harness]] = {
    "aiogram": AiogramHarness,
    "ptb": BlockingPtbHarness,
    "wire": WireHarness,
}


@pytest.fixture(params=["aiogram", "ptb", "wire"])
async def harness(
    request: pytest.FixtureRequest, fake: FakeBotApi, tg_app: App, vtime: VirtualTime
) -> AsyncIterator[Harness]:
    fake.add_user(OTHER, "Sam")
    opened = HARNESSES[request.param](fake, tg_app, make_bridge(tg_app, vtime))
    await opened.start()
    yield opened
    await opened.stop()


def receiver_for(harness: Harness, per_chat: int = 5) -> Receiver:
    bridge = harness.bridge
    return Receiver(
        harness.app.inbox,
        harness.feed,
        per_chat=per_chat,
        capacity=10_000,
        refuse=bridge.turns.refuse,
        abandoned=bridge.gate.was_abandoned,
        recovering=bridge.gate.recovering,
    )


async def settle(receiver: Receiver) -> None:
    while receiver.tasks or receiver._side:  # noqa: SLF001 - the test waits for the side answers too
        await asyncio.gather(*receiver.tasks, *receiver._side, return_exceptions=True)  # noqa: SLF001


def texts(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [m.get("text") or "" for m in fake.sent(chat_id)]


async def test_a_flooding_chat_is_bounded_and_holds_nobody_up(
    harness: Harness, fake: FakeBotApi
) -> None:
    receiver = receiver_for(harness, per_chat=5)
    await receiver.accept([fake.send_command(CUSTOMER, "start")])
    await settle(receiver)
    button = fake.inline_buttons(CUSTOMER)[0][0]["callback_data"]
    answered_before = len(fake.sent(CUSTOMER))
    await receiver.accept([fake.send_text(CUSTOMER, "spam")])
    await settle(receiver)
    per_text = len(fake.sent(CUSTOMER)) - answered_before
    answered_before += per_text

    key = key_for(CUSTOMER, CUSTOMER)
    async with harness.bridge.outgoing.serial(
        key
    ):  # the flooder's turn is slow: its updates queue up
        for _ in range(3):  # three polling batches of 200 messages, then a tap
            await receiver.accept([fake.send_text(CUSTOMER, f"spam {n}") for n in range(200)])
        await receiver.accept([fake.press_button(CUSTOMER, button)])
        assert receiver.bound.held(CUSTOMER) == 5
        assert receiver.dropped == 596
        other = [fake.send_command(OTHER, "start")]
        await receiver.accept(other)
        await fake.wait_for(lambda: fake.sent(OTHER), 30, what="the other customer's answer")
        assert "promotion assistant" in texts(fake, OTHER)[0]
        await fake.wait_for(
            lambda: any(SLOW_DOWN in t for t in texts(fake, CUSTOMER)), 30, what="slow down"
        )
        held = [
            i
            for i in await harness.app.inbox.pending(CHANNEL)
            if origin_of(i.payload).chat_id == CUSTOMER
        ]
        assert len(held) == 5  # the flooder's, kept durably (the other's may not be cleared yet)
    await settle(receiver)

    new = texts(fake, CUSTOMER)[answered_before:]
    assert sum(SLOW_DOWN in t for t in new) == 1, new  # one answer per flood, not one per message
    assert len(new) == 1 + 5 * per_text, new  # the five held messages answered, nothing else
    assert fake.unanswered_callback_queries() == []  # the dropped tap did not spin
    assert await harness.app.inbox.pending(CHANNEL) == []
    assert receiver.bound.held(CUSTOMER) == 0

    async with harness.bridge.outgoing.serial(key):  # a second flood later: told again, once
        await receiver.accept([fake.send_text(CUSTOMER, f"again {n}") for n in range(8)])
    await settle(receiver)
    assert sum(SLOW_DOWN in t for t in texts(fake, CUSTOMER)) == 2
    fake.assert_no_violations()


async def test_an_album_counts_once(harness: Harness, fake: FakeBotApi) -> None:
    receiver = receiver_for(harness, per_chat=2)
    key = key_for(CUSTOMER, CUSTOMER)
    async with harness.bridge.outgoing.serial(key):
        await receiver.accept([fake.send_text(CUSTOMER, "hello")])
        album = fake.send_album(CUSTOMER, [jpeg_bytes(), jpeg_bytes(), jpeg_bytes()])
        await receiver.accept(album)
        assert receiver.dropped == 0 and receiver.bound.held(CUSTOMER) == 2
        await receiver.accept([fake.send_text(CUSTOMER, "one too many")])
        assert receiver.dropped == 1
    await settle(receiver)
    assert await harness.app.inbox.pending(CHANNEL) == []


def jpeg_bytes() -> bytes:
    from tests.conftest import jpeg

    return jpeg()


async def test_updates_left_at_shutdown_are_handled_by_the_next_run(
    harness: Harness, fake: FakeBotApi
) -> None:
    receiver = receiver_for(harness, per_chat=50)
    bridge = harness.bridge
    await receiver.accept([fake.send_command(CUSTOMER, "help")])
    await settle(receiver)
    per_help = len(fake.sent(CUSTOMER))

    key = key_for(CUSTOMER, CUSTOMER)
    async with bridge.outgoing.serial(key):  # 10 queued behind a slow turn when SIGTERM comes
        await receiver.accept([fake.send_command(CUSTOMER, "help") for _ in range(10)])
        bridge.gate.close()
    assert await receiver.drain(timeout=30) == 0
    assert len(fake.sent(CUSTOMER)) == per_help  # none was started after the gate closed
    assert len(await harness.app.inbox.pending(CHANNEL)) == 10

    # the next run: a new bridge and receiver on the same database
    await harness.stop()
    fresh = type(harness)(fake, harness.app, make_bridge(harness.app, VirtualTime()))
    await fresh.start()
    try:
        again = receiver_for(fresh, per_chat=50)
        assert await again.recover() == 10
        await settle(again)
        assert len(fake.sent(CUSTOMER)) == per_help * 11  # each answered once
        assert await harness.app.inbox.pending(CHANNEL) == []
    finally:
        await fresh.stop()
        await harness.start()  # the fixture stops it


async def test_a_committed_but_unanswered_update_gets_the_current_step_after_a_crash(
    harness: Harness, fake: FakeBotApi
) -> None:
    receiver = receiver_for(harness)
    update = fake.send_command(CUSTOMER, "start")
    await harness.app.inbox.put_many(CHANNEL, [update])  # stored, then handled ...
    await harness.app.engine.handle(
        _event_of(harness, update)
    )  # ... committed, and killed before sending
    assert fake.sent(CUSTOMER) == []
    assert await receiver.recover() == 1
    await settle(receiver)
    assert "promotion assistant" in texts(fake, CUSTOMER)[-1]
    assert await harness.app.inbox.pending(CHANNEL) == []


def _event_of(harness: Harness, update: dict[str, Any]) -> Any:
    from handlers.io import CommandIn, Event

    key = key_for(CUSTOMER, CUSTOMER)
    return Event(
        key=key, body=CommandIn("start", "", raw="/start"), event_id=str(update["update_id"])
    )


async def test_redelivered_updates_are_stored_once(tg_app: App, fake: FakeBotApi) -> None:
    update = fake.send_text(CUSTOMER, "hi")
    assert await tg_app.inbox.put_many(CHANNEL, [update, fake.send_text(CUSTOMER, "there")]) == [
        True,
        True,
    ]
    assert await tg_app.inbox.put_many(CHANNEL, [update]) == [False]
    await tg_app.inbox.done(CHANNEL, update["update_id"])
    assert [i.payload["message"]["text"] for i in await tg_app.inbox.pending(CHANNEL)] == ["there"]


def test_origin_and_bound() -> None:
    message = {
        "update_id": 7,
        "message": {
            "chat": {"id": 5},
            "from": {"id": 5, "language_code": "de"},
            "media_group_id": "g",
        },
    }
    origin = origin_of(message)
    assert (origin.chat_id, origin.unit, origin.language, origin.bounded) == (
        5,
        ("album", "g"),
        "de",
        True,
    )
    tap = origin_of({"update_id": 8, "callback_query": {"id": "q", "from": {"id": 9}, "data": "x"}})
    assert (tap.chat_id, tap.callback_id, tap.bounded) == (9, "q", True)
    member = origin_of({"update_id": 9, "my_chat_member": {"chat": {"id": 3}, "from": {"id": 3}}})
    assert not member.bounded  # a block/unblock is never dropped
    bound = ChatBound(2)
    assert bound.admit(1, "a") and bound.admit(1, "b") and not bound.admit(1, "c")
    assert bound.admit(1, "a")  # a unit already held (an album's next item)
    assert not bound.release(1, "a") and not bound.release(1, "a") and bound.release(1, "b")


async def test_the_webhook_answers_200_only_once_the_update_is_stored(
    tmp_path: Any, fake: FakeBotApi
) -> None:
    import aiohttp

    from bot.channels.telegram_runner import SECRET_HEADER, WebhookServer
    from storage.db import make_engine
    from storage.links import Inbox
    from storage.migrate import upgrade
    from tests.telegram.conftest import free_port

    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade(url)
    engine = make_engine(url)
    inbox = Inbox(engine)
    handled: list[int] = []

    async def feed(update: dict[str, Any]) -> None:
        handled.append(update["update_id"])

    async def refuse(origin: Any, notify: bool) -> None:
        return None

    receiver = Receiver(inbox, feed, per_chat=5, capacity=10, refuse=refuse)
    port = free_port()
    server = WebhookServer(f"127.0.0.1:{port}", "/hook", "s3cret", receiver.accept_one)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:

            async def deliver(update: dict[str, Any]) -> int:
                async with http.post(
                    f"http://127.0.0.1:{port}/hook", json=update, headers={SECRET_HEADER: "s3cret"}
                ) as r:
                    return r.status

            first = fake.send_text(CUSTOMER, "stored")
            assert await deliver(first) == 200
            await settle(receiver)
            assert handled == [first["update_id"]]
            await inbox.close()  # the database is gone: Telegram must keep the update
            assert await deliver(fake.send_text(CUSTOMER, "not stored")) == 500
            assert handled == [first["update_id"]]
    finally:
        await server.stop()
        await engine.dispose()


async def test_a_password_committed_before_a_crash_is_still_deleted_after_the_restart(
    harness: Harness, fake: FakeBotApi
) -> None:
    """kill -9 after the engine committed the password step, before ``deleteMessage``: the
    replayed update is a duplicate for the engine, yet the password must leave the chat (and
    the inbox); a plain message replayed the same way is not deleted."""
    from handlers.io import Event, TextIn
    from tests.conversation.journeys import PASSWORD, sign_up_to_password
    from tests.telegram.conftest import InProcessChat

    await sign_up_to_password(InProcessChat(harness))
    key = key_for(CUSTOMER, CUSTOMER)
    secret = fake.send_text(CUSTOMER, PASSWORD)
    await harness.app.inbox.put_many(CHANNEL, [secret])  # stored, then handled ...
    event = Event(key=key, body=TextIn(PASSWORD), event_id=str(secret["update_id"]))
    assert (
        await harness.app.engine.handle(event)
    ).delete_input  # ... committed, killed before deleting
    assert fake.calls_to("deleteMessage") == []

    receiver = receiver_for(harness)
    assert await receiver.recover() == 1
    await settle(receiver)
    deleted = [c["message_id"] for c in fake.calls_to("deleteMessage")]
    assert deleted == [secret["message"]["message_id"]]
    assert await harness.app.inbox.pending(CHANNEL) == []

    plain = fake.send_command(OTHER, "start")  # replayed the same way: nothing to delete
    await harness.app.inbox.put_many(CHANNEL, [plain])
    from handlers.io import CommandIn

    other = key_for(OTHER, OTHER)
    event = Event(
        key=other, body=CommandIn("start", "", raw="/start"), event_id=str(plain["update_id"])
    )
    assert not (await harness.app.engine.handle(event)).delete_input
    again = receiver_for(harness)
    assert await again.recover() == 1
    await settle(again)
    assert len(fake.calls_to("deleteMessage")) == 1


async def test_a_crash_before_the_deferred_deletion_replays_no_second_step(
    harness: Harness, fake: FakeBotApi
) -> None:
    """A handled update leaves the inbox with the next write (``Inbox.done_later``), not at
    once: kill -9 in between, and the restart handles it again. The engine drops it (no second
    step); the chat gets only what any recovered update gets (the current step shown again, a
    password deleted again); the row with the typed password goes with the next flush."""
    from storage.links import Inbox
    from storage.sessions import Batcher
    from tests.conversation.journeys import PASSWORD, sign_up_to_password
    from tests.telegram.conftest import InProcessChat

    app = harness.app
    await sign_up_to_password(InProcessChat(harness))
    key = key_for(CUSTOMER, CUSTOMER)
    never = asyncio.Event()

    async def quiet_forever(seconds: float) -> None:  # no flush before the "kill"
        await never.wait()

    writer = Batcher(app.db)  # the doomed process's own database writer
    doomed = Inbox(app.db, writer=writer, sleep=quiet_forever)
    bridge = harness.bridge
    first = Receiver(
        doomed,
        harness.feed,
        per_chat=5,
        capacity=100,
        refuse=bridge.turns.refuse,
        abandoned=bridge.gate.was_abandoned,
        recovering=bridge.gate.recovering,
    )
    secret = fake.send_text(CUSTOMER, PASSWORD)
    await first.accept([secret])
    await settle(first)  # handled and answered; the password deleted from the chat
    answered = texts(fake, CUSTOMER)
    password_message = secret["message"]["message_id"]
    assert [c["message_id"] for c in fake.calls_to("deleteMessage")] == [password_message]
    stepped = await app.sessions.load(key)
    assert stepped is not None
    view = Inbox(app.db)  # another process's view: the row is still there
    assert [i.update_id for i in await view.pending(CHANNEL)] == [secret["update_id"]]

    await writer.close()  # kill -9: the process and its connection die before the next write
    await doomed.close()  # (its deletion finds no writer: nothing more is written)
    assert [i.update_id for i in await app.inbox.pending(CHANNEL)] == [secret["update_id"]]

    await harness.stop()
    fresh = type(harness)(fake, app, make_bridge(app, VirtualTime()))
    await fresh.start()
    try:
        again = receiver_for(fresh)
        assert await again.recover() == 1
        await settle(again)
        after = await app.sessions.load(key)
        assert after is not None and after.state == stepped.state  # no second step
        shown = await app.conversation.show_current(after)  # what a recovered update gets
        assert texts(fake, CUSTOMER)[len(answered) :] == [r.text for r in shown.replies]
        deleted = [c["message_id"] for c in fake.calls_to("deleteMessage")]
        assert deleted == [password_message, password_message]  # deleted again, as before
        # the row waits for the next write
        assert [i.update_id for i in await view.pending(CHANNEL)] == [secret["update_id"]]
        assert await again.drain(timeout=30) == 0  # shutdown: the flush
        assert await view.pending(CHANNEL) == []  # the typed password's row is gone
    finally:
        await view.close()
        await fresh.stop()
        await harness.start()  # the fixture stops it

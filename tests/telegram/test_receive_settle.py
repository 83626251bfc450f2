"""A polled batch started before it is stored (``Receiver.take``).

The rule that keeps a message from being lost: the next poll (which confirms a batch to
Telegram, who then forgets it) goes out only once each of the batch's updates is handled
or in the inbox. A small batch is started at once and its turns get a grace: those over by
then are never stored (one customer in flight pays no inbox write); the rest are stored
before ``take`` returns, and a store that fails is tried again rather than confirming
anything. The run's first batch is stored first and treated as left unfinished: Telegram
may hand back an update the previous run committed and died before answering.

Turns are held on events, the grace is 0 (nothing ends within it) or a 30 s hang guard
(everything quick ends within it), so nothing depends on the machine's speed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import pytest

from bot.app import App
from bot.channels.telegram.events import key_for
from bot.channels.telegram.receiver import CHANNEL, SETTLE_MOST, SETTLE_PAUSE, Receiver
from tests.telegram.conftest import CUSTOMER, Harness, VirtualTime, WireHarness, make_bridge
from tests.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.timeout(120)
GUARD = 30.0  # a grace no turn here needs: the wait ends when the turn does


class Turns:
    """A feed whose turns are held until released; records what the inbox held meanwhile."""

    def __init__(self, app: App, *, held: bool = False) -> None:
        self.app = app
        self.held = held
        self.release: dict[int, asyncio.Event] = {}
        self.handled: list[int] = []
        self.stored_while_running: list[bool] = []

    async def __call__(self, update: dict[str, Any]) -> None:
        update_id = int(update["update_id"])
        pending = await self.app.inbox.pending(CHANNEL)
        self.stored_while_running.append(any(i.update_id == update_id for i in pending))
        if self.held:
            await self.release.setdefault(update_id, asyncio.Event()).wait()
        self.handled.append(update_id)

    def let_go(self, update_id: int) -> None:
        self.release.setdefault(update_id, asyncio.Event()).set()


class CountingInbox:
    """The app's inbox, with its ``put_many`` calls counted (and made to fail when asked)."""

    def __init__(self, app: App) -> None:
        self.inner = app.inbox
        self.puts: list[list[int]] = []
        self.fail_next = 0
        self.during_put: Callable[[], Awaitable[None]] | None = None

    async def put_many(self, channel: str, updates: Sequence[dict[str, Any]]) -> list[bool]:
        self.puts.append([int(u["update_id"]) for u in updates])
        if self.during_put is not None:
            during, self.during_put = self.during_put, None
            await during()
        if self.fail_next:
            self.fail_next -= 1
            raise OSError("disk full")
        return await self.inner.put_many(channel, updates)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def receiver(inbox: Any, feed: Any, *, grace: float) -> Receiver:
    async def refuse(origin: Any, notify: bool) -> None:
        return None

    return Receiver(
        inbox, feed, per_chat=5, capacity=100, refuse=refuse, grace=grace, retry_after=lambda n: 0
    )


async def settle(r: Receiver) -> None:
    while r.tasks:
        await asyncio.gather(*r.tasks, return_exceptions=True)


async def stored(app: App) -> list[int]:
    return [i.update_id for i in await app.inbox.pending(CHANNEL)]


async def test_a_quick_turn_of_a_small_batch_is_never_stored(tg_app: App, fake: FakeBotApi) -> None:
    turns, inbox = Turns(tg_app), CountingInbox(tg_app)
    r = receiver(inbox, turns, grace=GUARD)
    update = fake.send_text(CUSTOMER, "hi")
    await r.take([update])
    assert turns.handled == [update["update_id"]]  # over before the next poll may go out
    assert inbox.puts == [] and turns.stored_while_running == [False]
    assert r.settled_unstored == 1
    await tg_app.inbox.flush()
    assert await stored(tg_app) == []
    assert tg_app.inbox.flusher is None  # nothing was noted for deletion either


async def test_a_turn_running_at_the_grace_is_stored_before_the_poll(
    tg_app: App, fake: FakeBotApi
) -> None:
    turns = Turns(tg_app, held=True)
    r = receiver(tg_app.inbox, turns, grace=0)
    update = fake.send_text(CUSTOMER, "a")
    await r.take([update])
    assert await stored(tg_app) == [update["update_id"]]  # confirmable now: stored
    assert turns.handled == [] and r.settled_unstored == 0
    turns.let_go(update["update_id"])
    await settle(r)
    await tg_app.inbox.flush()
    assert await stored(tg_app) == []  # handled: forgotten
    assert turns.handled == [update["update_id"]]


async def test_after_a_wait_that_did_not_pay_batches_are_stored_first_for_a_while(
    tg_app: App, fake: FakeBotApi
) -> None:
    turns = Turns(tg_app, held=True)
    r = receiver(tg_app.inbox, turns, grace=0)
    slow = fake.send_text(CUSTOMER, "slow")
    await r.take([slow])  # the turn outlives the grace: stored
    turns.let_go(slow["update_id"])
    await settle(r)
    turns.held, r.grace = False, GUARD
    for n in range(SETTLE_PAUSE):
        await r.take([fake.send_text(2000 + n, f"paused {n}")])
    await settle(r)
    assert turns.stored_while_running[1:] == [True] * SETTLE_PAUSE  # stored, then started
    await r.take([fake.send_text(CUSTOMER, "waited for again")])
    assert turns.stored_while_running[-1] is False


async def test_a_big_batch_is_stored_at_once(tg_app: App, fake: FakeBotApi) -> None:
    turns, inbox = Turns(tg_app), CountingInbox(tg_app)
    r = receiver(inbox, turns, grace=GUARD)
    batch = [fake.send_text(1000 + n, "hi") for n in range(SETTLE_MOST + 1)]
    await r.take(batch)
    assert inbox.puts == [[u["update_id"] for u in batch]]  # one write, before any turn
    await settle(r)
    assert turns.stored_while_running == [True] * len(batch)


async def test_a_turn_ending_while_it_is_stored_leaves_no_row(
    tg_app: App, fake: FakeBotApi
) -> None:
    turns, inbox = Turns(tg_app, held=True), CountingInbox(tg_app)
    r = receiver(inbox, turns, grace=0)
    update = fake.send_text(CUSTOMER, "hi")
    task_over = asyncio.Event()

    async def end_the_turn() -> None:
        turns.let_go(update["update_id"])
        while update["update_id"] not in turns.handled or r.tasks:
            await asyncio.sleep(0)
        task_over.set()

    inbox.during_put = end_the_turn
    await r.take([update])
    assert task_over.is_set() and inbox.puts == [[update["update_id"]]]
    await tg_app.inbox.flush()
    assert await stored(tg_app) == []  # stored after its turn ended, and forgotten


async def test_a_failed_store_is_tried_again_and_confirms_nothing_meanwhile(
    tg_app: App, fake: FakeBotApi
) -> None:
    turns, inbox = Turns(tg_app, held=True), CountingInbox(tg_app)
    r = receiver(inbox, turns, grace=0)
    long, short = fake.send_text(CUSTOMER, "long"), fake.send_text(4242, "short")

    async def short_ends() -> None:  # during the failing store, one of the turns ends
        turns.let_go(short["update_id"])
        while short["update_id"] not in turns.handled:
            await asyncio.sleep(0)

    inbox.fail_next, inbox.during_put = 1, short_ends
    await r.take([long, short])  # returns only once each is handled or stored
    assert inbox.puts == [
        [long["update_id"], short["update_id"]],
        [long["update_id"]],  # the handled one needs no row any more
    ]
    assert await stored(tg_app) == [long["update_id"]]
    turns.let_go(long["update_id"])
    await settle(r)
    await tg_app.inbox.flush()
    assert await stored(tg_app) == []


# ----------------------------------------------------------------------------- after a crash
@pytest.fixture
async def harness(fake: FakeBotApi, tg_app: App, vtime: VirtualTime) -> AsyncIterator[Harness]:
    opened = WireHarness(fake, tg_app, make_bridge(tg_app, vtime))
    await opened.start()
    yield opened
    await opened.stop()


@pytest.mark.parametrize("first", [True, False])
async def test_a_redelivered_committed_update_in_the_first_batch_gets_the_current_step(
    harness: Harness, fake: FakeBotApi, first: bool
) -> None:
    """A run that started the update without storing it, committed its step and died before
    answering: Telegram hands it back to the next run's first poll (it was never confirmed).
    Only as the first batch is it known to be possibly unanswered (shown the current step);
    later, a redelivery is a plain duplicate."""
    from handlers.io import CommandIn, Event

    bridge = harness.bridge
    r = Receiver(
        harness.app.inbox,
        harness.feed,
        per_chat=5,
        capacity=100,
        refuse=bridge.turns.refuse,
        abandoned=bridge.gate.was_abandoned,
        recovering=bridge.gate.recovering,
        grace=GUARD,
    )
    update = fake.send_command(CUSTOMER, "start")
    event = Event(
        key=key_for(CUSTOMER, CUSTOMER),
        body=CommandIn("start", "", raw="/start"),
        event_id=str(update["update_id"]),
    )
    await harness.app.engine.handle(event)  # committed; the run dies before sending
    assert fake.sent(CUSTOMER) == []
    await r.take([update], first=first)
    await settle(r)
    answers = [m.get("text") or "" for m in fake.sent(CUSTOMER)]
    if first:
        assert any("promotion assistant" in t for t in answers), answers
    else:
        assert answers == []
    await harness.app.inbox.flush()
    assert await stored(harness.app) == []  # (the first batch was stored, then handled)


async def test_a_batch_cut_short_at_shutdown_keeps_only_what_is_not_handled(
    tg_app: App, fake: FakeBotApi
) -> None:
    """SIGTERM while a batch is taken: the poller is cancelled, the turns in progress finish,
    those the closed gate left are stored so that the batch may be confirmed; the finished
    ones are not (stored, they would be run again after the restart)."""
    turns = Turns(tg_app, held=True)
    left_at_gate: set[int] = set()
    r = receiver(tg_app.inbox, turns, grace=GUARD)
    r.abandoned = left_at_gate.__contains__
    finished, abandoned = fake.send_text(CUSTOMER, "a"), fake.send_text(4242, "b")
    taking = asyncio.create_task(r.take([finished, abandoned]))
    while len(turns.stored_while_running) < 2:  # both started, neither over
        await asyncio.sleep(0)
    taking.cancel()  # the poller stops at once
    await asyncio.gather(taking, return_exceptions=True)
    left_at_gate.add(abandoned["update_id"])  # (the bridge returns it untouched)
    turns.let_go(finished["update_id"])
    turns.let_go(abandoned["update_id"])
    await settle(r)
    await r.keep_unsettled([finished, abandoned])
    assert await stored(tg_app) == [abandoned["update_id"]]


async def test_a_batch_cut_short_while_stored_first_is_stored(
    tg_app: App, fake: FakeBotApi
) -> None:
    inbox = CountingInbox(tg_app)
    r = receiver(inbox, Turns(tg_app), grace=GUARD)
    batch = [fake.send_text(1000 + n, "hi") for n in range(SETTLE_MOST + 1)]
    hold = asyncio.Event()

    async def hang() -> None:
        await hold.wait()

    inbox.during_put = hang
    taking = asyncio.create_task(r.take(batch))
    while not inbox.puts:
        await asyncio.sleep(0)
    taking.cancel()
    await asyncio.gather(taking, return_exceptions=True)
    assert await stored(tg_app) == []  # the store never happened
    await r.keep_unsettled(batch)
    assert await stored(tg_app) == [u["update_id"] for u in batch]

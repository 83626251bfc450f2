"""Both Telegram connectors in-process, on the same scenarios: aiogram through
``Dispatcher.feed_update`` on a recording session, python-telegram-bot through
``Application.process_update`` on a recording request; every call validated against the Bot
API spec (see ``conftest.py`` and ``scenarios.py``). Framework specifics: ``test_aiogram.py``,
``test_ptb.py``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.conftest import jpeg
from tests.telegram import scenarios
from tests.telegram.conftest import (
    CUSTOMER,
    Harness,
    InProcessChat,
    SimClock,
    VirtualTime,
    open_harness,
)

# PTB itself reads its own deprecated ``RetryAfter.retry_after`` when building the error
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture(params=["aiogram", "ptb", "wire", "aiogram-run"])
async def harness(request, fake, tg_app, vtime) -> AsyncIterator[Harness]:
    h = await open_harness(request.param, fake, tg_app, vtime)
    yield h
    await h.stop()
    fake.assert_no_violations()
    fake.assert_all_callbacks_answered()


async def test_menu_and_commands(harness: Harness) -> None:
    await scenarios.menu_and_commands(harness)


async def test_full_journey_to_prize_code(harness: Harness) -> None:
    await scenarios.full_journey(harness)


async def test_deep_link(harness: Harness) -> None:
    await scenarios.deep_link(harness)


async def test_duplicate_update_processed_once(harness: Harness) -> None:
    await scenarios.duplicate_update(harness)


async def test_stale_button(harness: Harness) -> None:
    await scenarios.stale_button(harness)


async def test_support_round_trip_files_album_staff(harness: Harness) -> None:
    await scenarios.support_round_trip(harness)


async def test_staff_commands(harness: Harness) -> None:
    await scenarios.staff_commands(harness)


async def test_blocked_customer(harness: Harness) -> None:
    await scenarios.blocked_customer(harness)


async def test_transient_faults(harness: Harness, vtime: VirtualTime) -> None:
    await scenarios.transient_faults(harness, vtime)


async def test_outbox_after_outage(harness: Harness) -> None:
    await scenarios.outbox_after_outage(harness)


async def test_unsupported_and_foreign_chats(harness: Harness) -> None:
    await scenarios.unsupported_and_foreign(harness)


async def test_long_texts_captions_edits(harness: Harness) -> None:
    await scenarios.long_texts_captions_edits(harness)


async def test_chat_interface_matches(harness: Harness) -> None:
    chat = InProcessChat(harness)
    await chat.command("help")
    assert chat.replies and chat.history == chat.replies


@pytest.mark.parametrize("framework", ["aiogram", "ptb", "wire"])
async def test_turns_bounded_and_served_in_arrival_order(framework, fake, tg_app, vtime) -> None:
    """A burst of customers: at most ``concurrency`` turns at once, first come first served."""
    harness = await open_harness(framework, fake, tg_app, vtime, concurrency=2)
    users = [CUSTOMER + i for i in range(1, 9)]
    for user in users:
        fake.add_user(user, f"Customer {user}")
    handle, active, peak, order = tg_app.engine.handle, 0, 0, []

    async def slow_handle(event):
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        order.append(int(event.key.user_id))
        try:
            await asyncio.sleep(0.02)
            return await handle(event)
        finally:
            active -= 1

    tg_app.engine.handle = slow_handle
    try:
        await asyncio.gather(*(harness.feed(fake.send_command(user, "help")) for user in users))
    finally:
        await harness.stop()
    assert peak == 2, peak
    assert order == users
    assert all(fake.sent(user) for user in users), "every customer answered"
    fake.assert_no_violations()


async def _poll_like_aiogram(harness: Harness, updates: list, limit: int) -> None:
    """aiogram 3.31's ``Dispatcher._polling`` with ``tasks_concurrency_limit``: a permit is
    taken before each update's task is spawned, and given back when the task ends."""
    permits = asyncio.Semaphore(limit)
    tasks = []
    for update in updates:
        await permits.acquire()

        async def run(update=update) -> None:
            try:
                await harness.feed(update)
            finally:
                permits.release()

        tasks.append(asyncio.create_task(run()))
    await asyncio.gather(*tasks)


async def test_a_chatty_customer_or_an_album_does_not_hold_up_others(fake, tg_app) -> None:
    """Polling's cap is POLLING_BACKLOG x the turn bound: updates waiting for their own
    customer (a forwarded batch) or album items waiting for their siblings do not use up the
    permits, so polling goes on for everyone else and an album stays one turn.

    On a virtual clock (turns of 0.05 s, the album's quiet time): what happens when does not
    depend on this machine's speed (it used to measure wall-clock time, 1.2 s on a loaded
    machine for a 0.2 s bound)."""
    from bot.channels.telegram_runner import POLLING_BACKLOG

    concurrency = 4
    clock = SimClock()
    harness = await open_harness("aiogram", fake, tg_app, clock, concurrency=concurrency)
    harness.bridge.turns.albums.clock, harness.bridge.turns.albums.sleep = clock, clock.sleep
    chatty, other, album = CUSTOMER + 1, CUSTOMER + 2, CUSTOMER + 3
    for user in (chatty, other, album):
        fake.add_user(user, f"Customer {user}")
    handle, started, bodies = tg_app.engine.handle, {}, []
    t0 = clock()

    async def slow_handle(event):
        user = int(event.key.user_id)
        started.setdefault(user, clock() - t0)
        if user == album:
            bodies.append(type(event.body).__name__)
        else:
            await clock.sleep(0.05)
        return await handle(event)

    tg_app.engine.handle = slow_handle
    picture = jpeg()
    updates = (
        [fake.send_photo(album, picture, media_group_id="g1")]
        + [fake.send_text(chatty, f"message {n}") for n in range(12)]
        + [fake.send_command(other, "help")]
        + [fake.send_photo(album, picture, media_group_id="g1") for _ in range(2)]
    )
    try:
        await _poll_like_aiogram(harness, updates, concurrency * POLLING_BACKLOG)
    finally:
        await harness.stop()
    assert started[other] < 0.2, (
        started
    )  # virtual seconds: not behind the chatty customer's 12 turns (0.6 s)
    assert bodies == ["AlbumIn"], bodies
    fake.assert_no_violations()


async def test_a_customer_waiting_on_their_rate_limit_holds_one_slot_at_most(
    fake, tg_app, vtime
) -> None:
    """A turn keeps its slot while sending; a customer whose replies wait (their chat's rate
    limit) holds one of the slots at most, so the others go on."""
    harness = await open_harness("aiogram", fake, tg_app, vtime, concurrency=2)
    slow, quick = CUSTOMER + 1, CUSTOMER + 2
    for user in (slow, quick):
        fake.add_user(user, f"Customer {user}")
    messenger = harness.bridge.outgoing.messenger
    deliver, log = messenger.deliver, []
    sending, go_on = asyncio.Event(), asyncio.Event()  # events, not sleeps: any machine speed

    async def slow_deliver(port, key, chat_id, replies, **kwargs):
        if chat_id == slow:
            sending.set()
            await go_on.wait()  # the slow customer's replies wait (as on their chat's limit)
        result = await deliver(port, key, chat_id, replies, **kwargs)
        log.append("slow" if chat_id == slow else "quick")
        return result

    messenger.deliver = slow_deliver
    try:
        burst = [
            asyncio.create_task(harness.feed(fake.send_text(slow, f"message {n}")))
            for n in range(3)
        ]
        await asyncio.wait_for(sending.wait(), 30)
        await asyncio.wait_for(harness.feed(fake.send_command(quick, "help")), 30)
        assert log == ["quick"], log  # the slow customer's three turns used one slot, in turn
        go_on.set()
        await asyncio.gather(*burst)
    finally:
        await harness.stop()
    assert log == ["quick", "slow", "slow", "slow"], log
    fake.assert_no_violations()


@pytest.mark.parametrize("framework", ["aiogram", "ptb", "wire"])
async def test_an_apology_speaks_the_language_the_customer_chose(
    framework, fake, tg_app, vtime
) -> None:
    """The client says English, the customer chose German: infrastructure failing is
    apologised for in German (the chat's link keeps the choice), not in the client's hint."""
    from bot.channels.telegram.bridge import key_for

    harness = await open_harness(framework, fake, tg_app, vtime)
    user = CUSTOMER + 40
    fake.add_user(user, "Kunde")
    await tg_app.links.set_locale(key_for(user, user), "de")

    async def failing(event):
        raise RuntimeError("the database went away")

    tg_app.engine.handle = failing
    try:
        await harness.feed(fake.send_command(user, "help"))
    finally:
        await harness.stop()
    texts = [m.get("text") for m in fake.sent(user)]
    assert texts == [tg_app.catalog.text("de", "error.unexpected")], texts
    fake.assert_no_violations()

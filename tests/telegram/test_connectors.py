"""Both Telegram connectors in-process, on the same scenarios: aiogram through
``Dispatcher.feed_update`` on a recording session, python-telegram-bot through
``Application.process_update`` on a recording request; every call validated against the Bot
API spec (see ``conftest.py`` and ``scenarios.py``). Framework specifics: ``test_aiogram.py``,
``test_ptb.py``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.telegram import scenarios
from tests.telegram.conftest import CUSTOMER, Harness, InProcessChat, VirtualTime, open_harness

# PTB itself reads its own deprecated ``RetryAfter.retry_after`` when building the error
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture(params=["aiogram", "ptb"])
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


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
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

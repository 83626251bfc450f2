"""Both Telegram connectors in-process, on the same scenarios: aiogram through
``Dispatcher.feed_update`` on a recording session, python-telegram-bot through
``Application.process_update`` on a recording request; every call validated against the Bot
API spec (see ``conftest.py`` and ``scenarios.py``). Framework specifics: ``test_aiogram.py``,
``test_ptb.py``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.telegram import scenarios
from tests.telegram.conftest import Harness, InProcessChat, VirtualTime, open_harness

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

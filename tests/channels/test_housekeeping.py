"""The running bot prunes the tables that only grow (integrity defect 13): the update log
and sent outbox rows, on a schedule, in bounded batches. Virtual time only: an injected clock
and an injected sleep, never a real wait."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from bot.app import App, build_app
from bot.housekeeping import Housekeeping, Retention
from states import ConversationKey
from storage.models import utcnow
from tests.conftest import make_settings

KEY = ConversationKey("telegram", "42", "42")


class Later:
    """A clock that runs ``ahead`` of real time (rows are stamped with the real time)."""

    def __init__(self) -> None:
        self.ahead = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return utcnow() + self.ahead


async def fill(app: App, updates: int, sent: int, unsent: int) -> None:
    for n in range(updates):
        assert await app.updates.first_time("telegram", n)
    ids = [await app.outbox.put(KEY, {"n": n}) for n in range(sent + unsent)]
    await app.outbox.mark_sent(ids[:sent])


async def counts(app: App) -> tuple[int, int, int]:
    """(update ids, sent outbox rows, unsent outbox rows) still stored."""

    def count(conn) -> tuple[int, int, int]:
        rows = conn.exec_driver_sql("SELECT count(*) FROM processed_updates").scalar()
        sent = conn.exec_driver_sql(
            "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"
        ).scalar()
        unsent = conn.exec_driver_sql("SELECT count(*) FROM outbox WHERE sent_at IS NULL").scalar()
        return rows, sent, unsent

    async with app.db.connect() as conn:
        return await conn.run_sync(count)


@pytest.fixture
async def bot(tmp_path: Path):
    app = await build_app(make_settings(tmp_path, PRUNE_BATCH="100"))
    yield app
    await app.close()


async def test_defaults_keep_updates_past_telegrams_redelivery_window(tmp_path: Path) -> None:
    retention = Retention.from_settings(make_settings(tmp_path))
    assert retention.update_log == dt.timedelta(hours=72) and retention.outbox_sent == dt.timedelta(
        hours=24
    )
    assert retention.interval == dt.timedelta(minutes=60) and retention.batch == 1000
    with pytest.raises(ValueError):  # an update can come back for 24 hours: shorter is unsafe
        make_settings(tmp_path, UPDATE_LOG_RETENTION_HOURS="12")


async def test_old_rows_go_recent_and_unsent_ones_stay(bot: App) -> None:
    await fill(bot, updates=30, sent=20, unsent=5)
    clock = Later()
    keeper = Housekeeping(
        bot.updates, bot.outbox, Retention.from_settings(bot.settings), clock=clock
    )
    assert (await keeper.prune_once()).updates == 0 and await counts(bot) == (30, 20, 5)
    clock.ahead = dt.timedelta(hours=25)  # past the outbox's 24 h, within the log's 72 h
    pruned = await keeper.prune_once()
    assert (pruned.updates, pruned.outbox) == (0, 20) and await counts(bot) == (30, 0, 5)
    clock.ahead = dt.timedelta(days=365)
    pruned = await keeper.prune_once()
    assert (pruned.updates, pruned.outbox) == (30, 0)
    assert await counts(bot) == (0, 0, 5)  # never sent: kept whatever its age
    assert await bot.outbox.pending(KEY) == 5


async def test_a_backlog_goes_in_bounded_batches_over_rounds(bot: App) -> None:
    await fill(bot, updates=450, sent=230, unsent=0)
    assert (
        await bot.updates.prune(utcnow() + dt.timedelta(days=9), limit=100) == 100
    )  # one delete, bounded
    retention = Retention.from_settings(bot.settings)
    yields: list[float] = []

    async def sleep(seconds: float) -> None:
        yields.append(seconds)

    keeper = Housekeeping(
        bot.updates,
        bot.outbox,
        Retention(
            retention.update_log,
            retention.outbox_sent,
            retention.interval,
            batch=100,
            max_batches=2,
        ),
        clock=lambda: utcnow() + dt.timedelta(days=9),
        sleep=sleep,
    )
    first = await keeper.prune_once()
    assert (first.updates, first.outbox) == (200, 200) and await counts(bot) == (150, 30, 0)
    assert yields and set(yields) == {0}  # the loop is let go between two batches
    second = await keeper.prune_once()
    assert (second.updates, second.outbox) == (150, 30) and await counts(bot) == (0, 0, 0)


async def test_the_running_bot_prunes_on_its_schedule(tmp_path: Path) -> None:
    """``start_housekeeping`` (as ``redeem-bot run`` and the console chat call it): a round at
    once, then one every PRUNE_INTERVAL_MINUTES, until the app is closed."""
    bot = await build_app(make_settings(tmp_path))
    await fill(bot, updates=5, sent=5, unsent=1)
    clock = Later()
    clock.ahead = dt.timedelta(days=4)
    naps: list[float] = []
    rounds = asyncio.Queue[None]()

    async def sleep(seconds: float) -> None:
        if seconds:
            naps.append(seconds)
            await rounds.put(None)
            if len(naps) >= 3:  # the test has seen enough rounds: wait here until stopped
                await asyncio.Event().wait()

    keeper = bot.start_housekeeping(clock=clock, sleep=sleep)
    for _ in range(3):
        await rounds.get()
    assert naps == [3600.0] * 3
    assert await counts(bot) == (0, 0, 1)
    await bot.close()  # stops the task before the stores close
    assert keeper._task is None


async def test_a_failing_round_does_not_stop_the_schedule(
    bot: App, caplog: pytest.LogCaptureFixture
) -> None:
    await fill(bot, updates=3, sent=0, unsent=0)
    naps = asyncio.Queue[float]()

    async def sleep(seconds: float) -> None:
        if seconds:
            await naps.put(seconds)
            if naps.qsize() >= 2:
                await asyncio.Event().wait()

    ticks = iter([None, utcnow() + dt.timedelta(days=9)])

    def clock() -> dt.datetime:
        now = next(ticks)
        if now is None:
            raise RuntimeError("the database is away")
        return now

    keeper = Housekeeping(
        bot.updates, bot.outbox, Retention.from_settings(bot.settings), clock=clock, sleep=sleep
    )
    keeper.start()
    await naps.get()
    await naps.get()
    await keeper.stop()
    assert "pruning failed" in caplog.text and await counts(bot) == (0, 0, 0)


async def test_an_update_stuck_in_the_inbox_is_pruned_and_not_logged(
    bot: App, caplog: pytest.LogCaptureFixture
) -> None:
    """The receive inbox holds raw updates (a password typed in chat among them) until they
    are handled; one that is never handled (a crash loop, a bug) must not stay there for
    good: older than INBOX_RETENTION_HOURS it is pruned, and only counted in the log."""
    secret = "Correct-Horse-7-Battery"
    update = {"update_id": 77, "message": {"message_id": 1, "chat": {"id": 42}, "text": secret}}
    assert await bot.inbox.put_many("telegram", [update]) == [True]
    clock = Later()
    keeper = bot.start_housekeeping(clock=clock, sleep=lambda seconds: asyncio.Event().wait())
    await keeper.stop()
    assert [i.update_id for i in await bot.inbox.pending("telegram")] == [77]  # not stuck yet
    assert bot.settings.inbox_retention_hours == 24  # Telegram's own bound for an update
    clock.ahead = dt.timedelta(hours=25)
    caplog.set_level("DEBUG")
    assert (await keeper.prune_once()).inbox == 1
    assert await bot.inbox.pending("telegram") == []
    assert "1 stuck" in caplog.text and secret not in caplog.text

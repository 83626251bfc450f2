"""Writes with one customer in flight run inline on the event loop (storage.db.Worker.try_here,
storage.batcher.Batcher): no hop to the worker's thread, yet never a wait on the loop. When
SQLite's write lock is taken (another connection: another worker of this process, the staff
CLI), the write goes to the worker's thread and waits there, the loop running meanwhile."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from states.session import ConversationKey, Session
from storage.batcher import CHECKPOINT_EVERY, Batcher, Mismatch
from storage.sessions import SqlSessionStore, StaleSession
from tests.storage.test_worker import WakeUps


def _db_file(engine: AsyncEngine) -> str:
    database = engine.url.database
    assert database is not None
    return database


def _insert(conn: Connection, items: list[int], careful: bool) -> list[str]:
    """A batch handler: inserts each item, says which thread wrote it."""
    for n in items:
        conn.execute(
            text(
                "INSERT INTO processed_updates (channel, update_id, seen_at) VALUES ('t', :n, 'x')"
            ),
            {"n": str(n)},
        )
    return [threading.current_thread().name] * len(items)


async def _stored(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:  # another connection: only what was committed
        rows = await conn.execute(text("SELECT update_id FROM processed_updates ORDER BY 1"))
        return [r[0] for r in rows]


async def test_a_write_alone_runs_inline_without_waking_the_loop(db: AsyncEngine) -> None:
    writer = Batcher(db)
    with WakeUps() as wakeups:
        thread = await writer.submit(_insert, 1)
    try:
        assert (thread, wakeups.count) == (threading.current_thread().name, 0)
        assert (writer.inline, writer.batches, writer.fallbacks) == (1, 1, 0)
        assert await _stored(db) == ["1"]  # committed when submit returned
        # the loop's connection never waits for the lock and never checkpoints
        here = writer._worker._here  # noqa: SLF001
        assert here is not None
        pragmas = [
            here.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("busy_timeout", "wal_autocheckpoint")
        ]
        here.rollback()
        assert pragmas == [0, 0]
    finally:
        await writer.close()


async def test_a_long_unit_never_runs_on_the_loop(db: AsyncEngine) -> None:
    """``run(fn)`` (a prune, an export...) stays on the worker's thread unless marked short."""
    writer = Batcher(db)
    try:
        where = await writer.run(lambda conn: threading.current_thread().name)
        assert where.startswith("db-worker")
        short = await writer.run(lambda conn: threading.current_thread().name, short=True)
        assert short == threading.current_thread().name
    finally:
        await writer.close()


async def test_a_held_write_lock_sends_the_write_to_the_thread_and_the_loop_runs_on(
    db: AsyncEngine,
) -> None:
    writer = Batcher(db)
    other = sqlite3.connect(_db_file(db), isolation_level=None)  # e.g. the staff CLI
    try:
        await writer.submit(_insert, 1)  # the loop's connection is open and was used
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO processed_updates (channel, update_id, seen_at) VALUES ('o', '9', 'x')"
        )
        waiting = asyncio.create_task(writer.submit(_insert, 2))
        later = asyncio.create_task(writer.submit(_insert, 3))  # queued behind it, in order
        ran = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.call_soon(ran.set)
        await ran.wait()  # the loop runs while the write waits for the lock
        for _ in range(5):
            await asyncio.sleep(0)
        assert not waiting.done() and not later.done()  # they cannot commit: the lock is held
        assert writer.fallbacks >= 1
        other.execute("COMMIT")  # released: the thread's busy wait gets it
        assert (await waiting).startswith("db-worker")
        assert (await later).startswith("db-worker")
        assert await _stored(db) == ["1", "2", "3", "9"]
        assert await writer.submit(_insert, 4) == threading.current_thread().name  # inline again
    finally:
        other.close()
        await writer.close()


async def test_a_write_lock_held_by_another_worker_of_this_process(db: AsyncEngine) -> None:
    """Two batchers on one file (the bot's stores and another one): a unit holding the lock on
    its thread sends the other's inline write to its thread too; both commit."""
    first, second = Batcher(db), Batcher(db)
    started, release = threading.Event(), threading.Event()

    def holding(conn: Connection) -> str:
        _insert(conn, [10], False)
        started.set()
        release.wait(30)
        return "held"

    try:
        held = asyncio.create_task(first.run(holding))
        assert await asyncio.to_thread(started.wait, 30)
        waiting = asyncio.create_task(second.submit(_insert, 11))
        ran = asyncio.Event()
        asyncio.get_running_loop().call_soon(ran.set)
        await ran.wait()
        assert not waiting.done() and second.fallbacks == 1
        release.set()
        assert await held == "held"
        assert (await waiting).startswith("db-worker")
        assert await _stored(db) == ["10", "11"]
    finally:
        release.set()
        await first.close()
        await second.close()


async def test_inline_a_failing_write_is_rerun_carefully_as_in_a_batch(db: AsyncEngine) -> None:
    writer = Batcher(db)
    runs: list[bool] = []

    def optimistic(conn: Connection, items: list[int], careful: bool) -> list[str]:
        runs.append(careful)
        out = _insert(conn, items, careful)
        if not careful:
            raise Mismatch("the fast path missed a row")
        return out

    def broken(conn: Connection, items: list[int], careful: bool) -> list[str]:
        _insert(conn, items, careful)
        raise ValueError("bad item")

    try:
        assert await writer.submit(optimistic, 5) == threading.current_thread().name
        assert runs == [False, True] and writer.reruns == 1
        try:
            await writer.submit(broken, 6)
        except ValueError:
            pass
        else:
            raise AssertionError("the item's error reaches its caller")
        assert writer.reruns == 2
        assert await _stored(db) == ["5"]  # the fast attempt was rolled back; 6 never committed
    finally:
        await writer.close()


async def test_a_stale_save_alone_is_refused_inline(db: AsyncEngine) -> None:
    store = SqlSessionStore(db)
    other = SqlSessionStore(db, cache_size=0)
    key = ConversationKey("telegram", 7, 7)
    try:
        await store.save(Session(key=key, locale="en"))
        mine = await store.load(key)
        theirs = await other.load(key)
        assert mine is not None and theirs is not None
        await other.save(theirs)
        try:
            await store.save(mine)
        except StaleSession:
            pass
        else:
            raise AssertionError("a save of an old version must be refused")
        assert store.writer.inline >= 2 and store.writer.fallbacks == 0
        fresh = await store.load(key)
        assert fresh is not None and fresh.version == 2
    finally:
        await other.close()
        await store.close()


async def test_inline_writes_are_checkpointed_on_the_worker(
    db: AsyncEngine, tmp_path: Path
) -> None:
    writer = Batcher(db)
    try:
        for n in range(CHECKPOINT_EVERY):
            assert await writer.submit(_insert, n) == threading.current_thread().name
        assert writer.inline == CHECKPOINT_EVERY
    finally:
        await writer.close()  # lets the checkpoint due run first
    assert writer.checkpoints == 1
    assert len(await _stored(db)) == CHECKPOINT_EVERY


async def test_a_crowd_of_short_writes_is_one_transaction_on_the_loops_thread(
    db: AsyncEngine,
) -> None:
    """Many at once: the first may run alone, the rest queue and commit as one batch, on
    the loop's connection (no hop), and a committed batch counts towards the checkpoint."""
    writer = Batcher(db)
    try:
        with WakeUps() as wakeups:
            threads = await asyncio.gather(*(writer.submit(_insert, n) for n in range(40)))
        assert set(threads) == {threading.current_thread().name}
        assert wakeups.count == 0
        assert writer.batches <= 2 and writer.batches_here >= 1
        assert writer._written_here == 40  # noqa: SLF001  (every unit counted)
        assert sorted(await _stored(db), key=int) == [str(n) for n in range(40)]
    finally:
        await writer.close()


async def test_a_crowd_finding_the_write_lock_taken_goes_to_the_worker(db: AsyncEngine) -> None:
    writer = Batcher(db)
    other = sqlite3.connect(_db_file(db), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # the staff CLI, say, holds the write lock
        crowd = asyncio.gather(*(writer.submit(_insert, n) for n in range(10)))
        while writer.fallbacks == 0:  # the alone / batch attempts found it taken
            await asyncio.sleep(0)
        assert not crowd.done()  # waiting on the worker's thread, the loop running
        other.execute("COMMIT")
        threads = await crowd
        assert all(t.startswith("db-worker") for t in threads)
        assert sorted(await _stored(db), key=int) == [str(n) for n in range(10)]
    finally:
        other.close()
        await writer.close()


async def test_in_a_crowd_a_failing_item_fails_alone(db: AsyncEngine) -> None:
    """A batch on the loop's thread that fails is rolled back and redone carefully, group
    by group, as on the worker's: the others commit, the bad one's caller gets its error."""
    writer = Batcher(db)

    def broken(conn: Connection, items: list[int], careful: bool) -> list[str]:
        raise ValueError("bad item")

    try:
        jobs = [writer.submit(_insert, n) for n in range(5)]
        jobs.insert(2, writer.submit(broken, 99))
        outcomes = await asyncio.gather(*jobs, return_exceptions=True)
        assert isinstance(outcomes[2], ValueError)
        assert sum(isinstance(o, str) for o in outcomes) == 5
        assert writer.reruns >= 1
        assert sorted(await _stored(db), key=int) == [str(n) for n in range(5)]
    finally:
        await writer.close()


async def test_batched_writes_on_the_loop_are_checkpointed_on_the_worker(db: AsyncEngine) -> None:
    writer = Batcher(db)
    try:
        await asyncio.gather(*(writer.submit(_insert, n) for n in range(CHECKPOINT_EVERY)))
        assert writer.batches_here >= 1
        assert writer._written_here == CHECKPOINT_EVERY  # noqa: SLF001
    finally:
        await writer.close()  # lets the checkpoint due run first
    assert writer.checkpoints == 1


async def test_close_finishes_everything_queued_across_a_checkpoint(db: AsyncEngine) -> None:
    """Review: batches committed on the loop's connection while closing made a checkpoint
    due, whose start made a second task that closed the worker under the first one's last
    batches (100 queued writes failed). Closing finishes the queue with the one task."""
    writer = Batcher(db, max_batch=100)
    crowd = asyncio.gather(
        *(writer.submit(_insert, n) for n in range(CHECKPOINT_EVERY + 100)),
        return_exceptions=True,
    )
    await asyncio.sleep(0)  # all queued (the loop is busy: nothing inline)
    await writer.close()
    outcomes = await crowd
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    assert failed == [], f"{len(failed)} queued writes failed: {failed[0]!r}"
    assert len(await _stored(db)) == CHECKPOINT_EVERY + 100
    assert writer._task is None  # noqa: SLF001  (no stray task left behind)


async def test_checkpoints_run_while_the_queue_never_empties(db: AsyncEngine) -> None:
    """Under sustained load the queue may never be empty: a checkpoint due runs before the
    next batch all the same, so the WAL of the loop's commits cannot grow without bound."""
    writer = Batcher(db, max_batch=50)
    try:
        units = 2 * CHECKPOINT_EVERY + 100  # queued at once: 50 a batch, never empty till the end
        await asyncio.gather(*(writer.submit(_insert, n) for n in range(units)))
        assert writer.inline == 0 and writer.batches_here == units // 50
        assert writer.checkpoints == 2  # at 300 and 600 units, each before the next batch
    finally:
        await writer.close()

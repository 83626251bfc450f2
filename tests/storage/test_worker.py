"""storage.db.Worker: synchronous units of work, one hop each, on SQLite files and elsewhere."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import Worker, make_engine
from storage.sessions import Batcher


class WakeUps:
    """Counts the event loop's wake-ups from other threads (``call_soon_threadsafe``: a unit
    of work handed back from a worker thread) while the block runs."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> WakeUps:
        self._loop = asyncio.get_running_loop()
        original = self._original = self._loop.call_soon_threadsafe

        def counting(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(*args, **kwargs)

        self._loop.call_soon_threadsafe = counting  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe = self._original  # type: ignore[method-assign]


def _setup(conn: Connection) -> str:
    conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
    conn.exec_driver_sql("INSERT INTO t VALUES (1), (2)")
    conn.commit()
    return threading.current_thread().name


def _total(conn: Connection) -> int:
    total = conn.execute(text("SELECT sum(n) FROM t")).scalar_one()
    conn.rollback()
    return int(total)


async def test_a_file_database_runs_on_the_workers_own_thread(db: AsyncEngine) -> None:
    worker = Worker(db)
    try:
        assert (await worker.run(_setup)).startswith("db-worker")
        assert await worker.run(_total) == 3
        async with db.connect() as conn:  # same file, seen through the async engine too
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 2
        journal = await worker.run(lambda c: c.exec_driver_sql("PRAGMA journal_mode").scalar())
        assert journal == "wal"  # the engine's pragmas apply to the worker's connection
    finally:
        await worker.close()


async def test_in_memory_databases_run_the_same_code_through_run_sync() -> None:
    engine = make_engine("sqlite+aiosqlite://")
    worker = Worker(engine)
    try:
        assert await worker.run(_setup) == threading.current_thread().name  # the event loop's
        assert await worker.run(_total) == 3  # the same held connection: the same memory DB
    finally:
        await worker.close()
        await engine.dispose()


@pytest.mark.parametrize("url", ["file", "memory"])
async def test_a_failed_unit_leaves_the_worker_usable(tmp_path: Path, url: str) -> None:
    engine = make_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'w.db'}" if url == "file" else "sqlite+aiosqlite://"
    )
    worker = Worker(engine)
    try:
        await worker.run(_setup)

        def broken(conn: Connection) -> None:
            conn.exec_driver_sql("INSERT INTO t VALUES (5)")
            conn.exec_driver_sql("INSERT INTO no_such_table VALUES (1)")

        with pytest.raises(OperationalError):
            await worker.run(broken)
        await worker.run(lambda c: c.rollback())

        def invalidate(conn: Connection) -> None:
            conn.invalidate()

        await worker.run(invalidate)  # a dead connection is replaced on the next unit
        if url == "file":
            assert await worker.run(_total) == 3
    finally:
        await worker.close()
        await engine.dispose()


async def test_concurrent_units_run_one_at_a_time(db: AsyncEngine) -> None:
    worker = Worker(db)
    inside, peak = 0, 0
    lock = threading.Lock()

    def unit(conn: Connection) -> None:
        nonlocal inside, peak
        with lock:
            inside += 1
            peak = max(peak, inside)
        conn.exec_driver_sql("SELECT 1").all()
        with lock:
            inside -= 1

    try:
        await asyncio.gather(*(worker.run(unit) for _ in range(50)))
        assert peak == 1
    finally:
        await worker.close()


async def test_a_batch_is_one_hop_of_the_event_loop(db: AsyncEngine) -> None:
    """The point of the worker: a group commit wakes the loop once, not once per statement."""
    writer = Batcher(db)

    def three_statements(conn: Connection) -> None:
        for n in range(3):
            conn.execute(
                text(
                    "INSERT INTO processed_updates (channel, update_id, seen_at) VALUES ('t', :n, '2026-01-01')"
                ),
                {"n": str(n)},
            )

    await writer.run(lambda c: None)  # connect first
    try:
        with WakeUps() as wakeups:
            await writer.run(three_statements)  # BEGIN IMMEDIATE, 3 inserts, COMMIT
    finally:
        await writer.close()
    assert wakeups.count == 1


async def test_close_lets_the_running_unit_finish_and_refuses_the_rest(db: AsyncEngine) -> None:
    worker = Worker(db)
    await worker.run(_setup)
    started, release = threading.Event(), threading.Event()

    def slow_total(conn: Connection) -> int:
        started.set()
        release.wait(30)
        return _total(conn)

    running = asyncio.create_task(worker.run(slow_total))
    assert await asyncio.to_thread(started.wait, 30), (
        "the unit runs"
    )  # events, not sleeps: any machine speed
    waiting = asyncio.create_task(worker.run(_total))
    await asyncio.sleep(0)
    closing = asyncio.create_task(worker.close())
    await asyncio.sleep(0)
    release.set()
    await closing
    assert await running == 3
    with pytest.raises(RuntimeError, match="closed"):
        await waiting
    with pytest.raises(RuntimeError, match="closed"):
        await worker.run(_total)


async def test_a_batcher_cancelled_mid_batch_tells_callers_what_really_happened(
    db: AsyncEngine,
) -> None:
    """The batch runs on the worker's thread and commits even if the batcher task is
    cancelled meanwhile: its callers must hear "done", not "failed", and nothing hangs."""
    writer = Batcher(db)
    await writer.run(_setup)

    started, release = threading.Event(), threading.Event()

    def slow_insert(conn: Connection) -> str:
        conn.exec_driver_sql("INSERT INTO t VALUES (40)")
        started.set()
        release.wait(30)
        return "committed"

    caller = asyncio.create_task(writer.run(slow_insert))
    assert await asyncio.to_thread(started.wait, 30), "the batch runs"
    assert writer._task is not None
    writer._task.cancel()  # while the batch is surely still running on the worker's thread
    for _ in range(3):
        await asyncio.sleep(0)
    release.set()
    assert await caller == "committed"
    async with db.connect() as conn:
        assert (await conn.execute(text("SELECT sum(n) FROM t"))).scalar_one() == 43
    await writer.close()


async def test_after_a_cancelled_batcher_callers_get_an_error_not_a_hang(db: AsyncEngine) -> None:
    writer = Batcher(db)
    await writer.run(_setup)
    assert writer._task is not None
    writer._task.cancel()
    await asyncio.sleep(0.05)
    with pytest.raises(RuntimeError, match="closed"):
        await asyncio.wait_for(writer.run(_total), 5)
    await writer.close()


def _names(conn: Connection, items: list[str], careful: bool) -> list[tuple[str, str]]:
    """A read handler: each item with the thread that read it."""
    total = conn.execute(text("SELECT count(*) FROM t")).scalar_one()
    return [(f"{item}:{total}", threading.current_thread().name) for item in items]


async def test_a_read_alone_runs_inline_and_reads_in_a_crowd_share_a_batch(
    db: AsyncEngine,
) -> None:
    """One customer in flight: a read with nothing queued or running takes no hop (no thread
    hand-off, no loop wake-up). Many at once: they queue behind the running one and are read
    together as one batch, on the loop's thread too (short units: no hand-off of the GIL).
    A unit given to ``run`` (not marked short) always goes to the worker's thread
    (test_inline_writes.py: short writes do likewise, when the write lock is free)."""
    writer = Batcher(db)
    reader = Batcher(db, write=False)
    loop_thread = threading.current_thread().name
    try:
        await writer.run(_setup)
        with WakeUps() as wakeups:
            value, thread = await reader.submit(_names, "alone")
        assert (value, wakeups.count, reader.inline) == ("alone:2", 0, 1)
        assert thread == loop_thread  # the event loop's own thread

        with WakeUps() as wakeups:
            crowd = await asyncio.gather(*(reader.submit(_names, f"c{n}") for n in range(20)))
        assert [value for value, _ in crowd] == [f"c{n}:2" for n in range(20)]
        assert {thread for _, thread in crowd} == {loop_thread}
        assert reader.batches <= 2 and reader.batches_here >= 1
        assert wakeups.count == 0  # no thread woke the loop

        where = await writer.run(lambda c: threading.current_thread().name)
        assert where.startswith("db-worker")  # ``run`` units always hop
        await writer.run(lambda c: c.exec_driver_sql("INSERT INTO t VALUES (3)"))
        assert await reader.submit(_names, "after") == ("after:3", loop_thread)
        assert writer.inline == 0 and writer.batches_here == 0
    finally:
        await reader.close()
        await writer.close()

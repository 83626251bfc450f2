"""The write and read batcher under every bot-side store: group commit on one connection.

A :class:`Batcher` task takes every unit submitted meanwhile and runs them as one batch: for
writes one transaction (``BEGIN IMMEDIATE`` on SQLite). With one customer in flight there is
nothing to batch, so a short unit runs inline on the event loop's own connection (a write
only if SQLite's write lock is free at once: the loop never waits for a lock). A batch of
short units runs there too, likewise; anything else (a long unit, a write that found the
lock taken, PostgreSQL) is one hop of the event loop to the :class:`~storage.db.Worker`'s
thread for the whole batch.

Why a batch of short units stays on the loop's thread: the Python half of a batch holds the
GIL wherever it runs, and on the worker's thread each batch also cost a hand-off of the GIL
both ways, a thread woken and a future resolved across threads. At 300 customers that was
up to a fifth of the bot's CPU per update when the machine was contended (0.62-0.66 ->
0.48-0.56 ms, alternating runs), little in a fast spell (medians 0.47 -> 0.45 ms); what the
worker's thread won, SQLite's own C code running beside the loop, was less.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import Busy, Worker

log = logging.getLogger(__name__)
T = TypeVar("T")

#: a batch handler: runs ``items`` on ``conn`` inside the batch transaction and returns one
#: outcome per item (an ``Exception`` instance is raised to that item's caller). With
#: ``careful=False`` it may raise :class:`Mismatch` to ask for a careful (row by row) rerun.
#: Synchronous: a whole batch runs as one unit of work on the :class:`~storage.db.Worker`.
Handler = Callable[[Connection, list[Any], bool], list[Any]]

#: inline commits (on the event loop's connection, which never checkpoints) between two
#: ``PASSIVE`` checkpoints on the worker's thread: a session save is about 2 pages, so 300 keep
#: the WAL near SQLite's own auto-checkpoint mark (1,000 pages); every 100 cost 15% more CPU
#: per save, every 1,000 8% less but a WAL of 8 MB (a loop of 6,000 saves)
CHECKPOINT_EVERY = 300
#: a unit may run inline while at most this many callbacks wait on the event loop (one
#: customer in flight: the turn's own side tasks, a callback answer, a send's completion)
INLINE_READY = 2


class Mismatch(Exception):
    """A fast batched statement touched fewer rows than expected; rerun row by row."""


# ----------------------------------------------------------------------------- batching
@dataclass(slots=True)
class _Job:
    handler: Handler
    item: Any
    future: asyncio.Future[Any]
    solo: bool
    short: bool  # a few small statements: may run on the event loop's thread


@dataclass(slots=True)
class _Group:
    handler: Handler
    jobs: list[_Job]


def _call_each(conn: Connection, fns: list[Any], careful: bool) -> list[Any]:
    return [fn(conn) for fn in fns]


class Batcher:
    """One task and one connection that run everything submitted meanwhile as one batch.

    ``write=True``: each batch is one transaction (``BEGIN IMMEDIATE`` on SQLite) and a
    caller's ``submit`` returns only after its batch committed. Share one write batcher
    between all stores of a process so they never fight over SQLite's write lock.
    ``write=False``: a read path (no write lock, no transaction left open).

    If a batch fails (or a handler raises :class:`Mismatch`) it is rolled back and each
    group of it is rerun carefully in its own transaction, so one bad item fails only its
    own group. Work submitted here must therefore have no effects outside the database.

    Alone (see ``_inline_now``) a short unit runs inline: a read on the loop's connection, a
    write as its own transaction through ``Worker.try_here`` (rerun carefully the same way if
    it fails; on the worker's thread if the write lock is taken). ``run(fn)`` is never inline
    unless the caller says the unit is short: a prune or an export must not hold the loop.
    """

    def __init__(self, engine: AsyncEngine, *, write: bool = True, max_batch: int = 1000) -> None:
        self._worker = Worker(engine)
        self._write = write
        self._max_batch = max_batch
        self._queue: list[_Job] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.batches = 0  # statistics: batches (write transactions) run, items handled
        self.items = 0
        self.reruns = 0
        self.inline = 0  # units run inline (nothing queued or running)
        self.batches_here = 0  # batches of short units run on the event loop's thread
        self.fallbacks = 0  # writes meant to run inline that found the write lock taken
        self.checkpoints = 0  # WAL checkpoints run for the inline writes
        self._busy = False  # a batch (or a checkpoint) is on the worker
        self._written_here = 0  # writes committed inline
        self._checkpoint_due = False

    async def submit(
        self, handler: Handler, item: Any, *, solo: bool = False, short: bool = True
    ) -> Any:
        """Queue ``item`` for ``handler``; return its outcome once its batch is done.

        ``short``: the unit is a short lookup or a few small writes, so it may run inline on
        the event loop when nothing else is waiting (a batch handler's item always is)."""
        if self._closing:
            raise RuntimeError("batcher is closed")
        if short and self._inline_now():  # one customer in flight: no hop (see Worker.try_here)
            if not self._write:
                self.inline += 1
                return self._worker.run_here(lambda conn: handler(conn, [item], False))[0]
            done, outcome = self._write_here(handler, item)
            if done:
                if isinstance(outcome, BaseException):
                    raise outcome
                return outcome
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append(_Job(handler, item, future, solo, short))
        self._start()
        return await future

    def _start(self) -> None:
        # closing: the task ``close`` awaits finishes the queue (and a checkpoint due) alone;
        # a second one would close the worker under the first one's last batches
        if (self._task is None or self._task.done()) and not self._closing:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="storage-batcher")
        self._wake.set()

    def _inline_now(self) -> bool:
        """A unit runs inline when nothing is queued or running here and the event loop has
        nothing else ready to run (one customer in flight). With many in flight, units queue
        and share one hop (and, for writes, one transaction). (asyncio's ready queue is read
        where the loop has one; any other loop always queues.)"""
        idle = not (self._queue or self._busy or self._closing)
        ready = getattr(asyncio.get_running_loop(), "_ready", None)
        return (
            idle and ready is not None and len(ready) <= INLINE_READY and self._worker.can_run_here
        )

    def _write_here(self, handler: Handler, item: Any) -> tuple[bool, Any]:
        """The write of ``item`` as its own transaction on the event loop's thread, carefully
        rerun if it fails as a batch would be: ``(True, outcome)``; ``(False, None)`` when the
        write lock was taken (nothing done: the caller queues it for the worker's thread)."""
        work = [(handler, [item])]
        try:
            try:
                outcome = self._worker.try_here(lambda c: self._transaction(c, work, careful=False))
            except Busy:
                raise
            except Exception:  # Mismatch or a failing item: redo carefully, as a batch would
                self.reruns += 1
                try:
                    outcome = self._worker.try_here(
                        lambda c: self._transaction(c, work, careful=True)
                    )
                except Busy:
                    raise
                except Exception as exc:
                    return True, exc
        except Busy:
            self.fallbacks += 1
            return False, None
        self.inline += 1
        self.batches += 1  # a batch of one: a transaction all the same
        self.items += 1
        self._wrote_here(1)
        return True, outcome[0][0]

    def _wrote_here(self, units: int) -> None:
        """Count units committed on the loop's connection, which never checkpoints: every
        ``CHECKPOINT_EVERY`` of them the worker's thread runs one (a batch's units share
        pages, so counting units, not commits, checkpoints rather too often than too late)."""
        before = self._written_here
        self._written_here += units
        if before // CHECKPOINT_EVERY != self._written_here // CHECKPOINT_EVERY:
            self._checkpoint_due = True
            self._start()

    async def run(self, fn: Callable[[Connection], T], *, short: bool = False) -> T:
        """Run ``fn(conn)`` inside the next batch transaction; return its result.

        ``short=True`` only for a unit known to be a few small statements (see ``submit``):
        anything longer (a prune, an export, a report) must never hold the event loop."""
        return await self.submit(_call_each, fn, solo=True, short=short)

    async def close(self) -> None:
        """Finish everything queued, then stop the task and release the connection."""
        self._closing = True
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            await self._worker.close()
        elif task.done():  # stopped already (cancelled at shutdown): it closed the worker
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
        else:
            await task

    # -- the task ------------------------------------------------------------
    async def _run(self) -> None:
        try:
            while True:
                if self._checkpoint_due:
                    await self._checkpoint()
                    continue
                if not self._queue:
                    if self._closing:
                        return
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                jobs = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
                groups = _groups(jobs)
                here = self._worker.can_run_here and all(job.short for job in jobs)
                work = asyncio.ensure_future(self._outcomes(groups, here))
                self._busy = True
                work.add_done_callback(self._idle)
                try:
                    outcomes = await asyncio.shield(work)
                except asyncio.CancelledError:
                    # the batch runs on the worker's thread and may commit anyway: wait for
                    # what really happened and tell its callers that, then stop
                    with contextlib.suppress(BaseException):
                        self._resolve(groups, await work)
                    self._queue[:0] = [job for job in jobs if not job.future.done()]
                    raise
                self._resolve(groups, outcomes)
                self.batches += 1
                self.items += len(jobs)
        finally:
            for job in self._queue:
                if not job.future.done():
                    job.future.set_exception(RuntimeError("batcher stopped"))
            self._queue.clear()
            await self._worker.close()

    async def _outcomes(self, groups: list[_Group], here: bool) -> list[list[Any]]:
        """Run the batch (``here``: of short units, on the loop's thread if it can be); per
        group, one outcome per job (a value or an exception)."""
        work = _work_of(groups)
        try:
            if here:
                done, outcomes = self._batch_here(work)
                if done:
                    return outcomes
            return await self._worker.run(lambda conn: self._transaction(conn, work, careful=False))
        except Exception as exc:  # Mismatch or a failing item: isolate and redo carefully
            self.reruns += 1
            log.debug(
                "batch of %d rerun carefully: %s",
                sum(len(g.jobs) for g in groups),
                type(exc).__name__,
            )
            return [await self._careful(group) for group in groups]

    def _batch_here(self, work: list[tuple[Handler, list[Any]]]) -> tuple[bool, Any]:
        """The batch on the event loop's thread: ``(True, outcomes)``; ``(False, None)`` when
        the write lock was taken (nothing done: it goes to the worker's thread, which waits
        for the lock). A failing batch raises, to be redone carefully as any batch is."""

        def batch(conn: Connection) -> list[list[Any]]:
            return self._transaction(conn, work, careful=False)

        if not self._write:
            outcomes = self._worker.run_here(batch)
        else:
            try:
                outcomes = self._worker.try_here(batch)
            except Busy:
                self.fallbacks += 1
                return False, None
            self._wrote_here(sum(len(items) for _, items in work))
        self.batches_here += 1
        return True, outcomes

    def _idle(self, _work: object) -> None:
        self._busy = False

    async def _checkpoint(self) -> None:
        """Copy the WAL into the database on the worker's thread (``PASSIVE``: it never waits
        for anyone), as SQLite's auto-checkpoint would have after the inline commits."""
        self._checkpoint_due = False
        self._busy = True
        try:
            await self._worker.run(_passive_checkpoint)
            self.checkpoints += 1
        except Exception:  # the next one, or housekeeping's, will do it
            log.debug("checkpoint after inline writes failed", exc_info=True)
        finally:
            self._busy = False

    @staticmethod
    def _resolve(groups: list[_Group], outcomes: list[list[Any]]) -> None:
        for group, results in zip(groups, outcomes, strict=True):
            for job, result in zip(group.jobs, results, strict=True):
                if job.future.done():  # the caller was cancelled
                    continue
                if isinstance(result, BaseException):
                    job.future.set_exception(result)
                else:
                    job.future.set_result(result)

    async def _careful(self, group: _Group) -> list[Any]:
        try:
            work = _work_of([group])
            return (
                await self._worker.run(lambda conn: self._transaction(conn, work, careful=True))
            )[0]
        except Exception as exc:
            return [exc] * len(group.jobs)

    def _transaction(
        self, conn: Connection, work: list[tuple[Handler, list[Any]]], *, careful: bool
    ) -> list[list[Any]]:
        """One batch, synchronously on the worker's connection (one hop for the whole batch),
        or inline on the event loop's (:meth:`_write_here`)."""
        try:
            if self._write and conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            results = []
            for handler, items in work:
                outcome = handler(conn, items, careful)
                if len(outcome) != len(items):
                    raise RuntimeError("batch handler returned the wrong number of outcomes")
                results.append(outcome)
            if self._write or conn.dialect.name != "sqlite":
                conn.commit()  # (an SQLite read leaves no transaction open)
        except BaseException:
            try:
                conn.rollback()
            except Exception:  # the connection is gone: the worker opens a new one next time
                conn.invalidate()
            raise
        return results


def _work_of(groups: list[_Group]) -> list[tuple[Handler, list[Any]]]:
    return [(group.handler, [job.item for job in group.jobs]) for group in groups]


def _passive_checkpoint(conn: Connection) -> None:
    conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").all()


def _groups(jobs: list[_Job]) -> list[_Group]:
    """Consecutive jobs of one handler form a group (``solo`` jobs stand alone), in order."""
    groups: list[_Group] = []
    for job in jobs:
        last = groups[-1] if groups else None
        if (
            last is not None
            and not job.solo
            and last.handler == job.handler
            and not last.jobs[0].solo
        ):
            last.jobs.append(job)
        else:
            groups.append(_Group(job.handler, [job]))
    return groups


__all__ = ["CHECKPOINT_EVERY", "INLINE_READY", "Batcher", "Handler", "Mismatch"]

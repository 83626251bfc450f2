"""Conversation sessions in SQL, with group commit and optimistic versions.

Every handled event does ``load`` + ``save``; ``save`` returns only once the row is
committed. To make that fast, concurrent writes are *group committed*: a single
:class:`Batcher` task (one connection) takes every write waiting at that moment and runs
them in one transaction (``BEGIN IMMEDIATE`` on SQLite), using one ``executemany`` per run
of similar statements. Loads are coalesced the same way into ``SELECT ... WHERE key IN``
on a second connection, and served from a small write-through cache when possible. A batch
is one synchronous unit of work on a :class:`~storage.db.Worker` (on SQLite: its own thread),
so a whole group commit costs one hop of the event loop, not one per statement.

Correctness across several processes rests on the version column: every save is
``UPDATE ... WHERE key = :k AND version = :expected`` (or an insert that must not find a
row). If another writer got there first the save raises :class:`StaleSession`, the cached
copy is dropped, and the caller reloads (which then reads the database) and retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import Insert

from states.session import ConversationKey, Session
from storage.db import Busy, Worker
from storage.models import Conversation, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

#: a batch handler: runs ``items`` on ``conn`` inside the batch transaction and returns one
#: outcome per item (an ``Exception`` instance is raised to that item's caller). With
#: ``careful=False`` it may raise :class:`Mismatch` to ask for a careful (row by row) rerun.
#: Synchronous: a whole batch runs as one unit of work on the :class:`~storage.db.Worker`.
Handler = Callable[[Connection, list[Any], bool], list[Any]]

#: inline commits (on the event loop's connection, which never checkpoints) between two
#: ``PASSIVE`` checkpoints on the worker's thread: a few pages each, SQLite's own
#: auto-checkpoint mark is 1,000 pages
CHECKPOINT_EVERY = 100
#: a unit may run inline while at most this many callbacks wait on the event loop (one
#: customer in flight: the turn's own side tasks, a callback answer, a send's completion)
INLINE_READY = 2


class StaleSession(Exception):
    """The stored session changed since it was loaded: reload it and handle the event again."""

    def __init__(self, key: ConversationKey) -> None:
        super().__init__(str(key))
        self.key = key


class Mismatch(Exception):
    """A fast batched statement touched fewer rows than expected; rerun row by row."""


@runtime_checkable
class SessionStore(Protocol):
    async def load(self, key: ConversationKey) -> Session | None: ...

    async def save(self, session: Session) -> None:
        """Commit ``session``; bumps ``session.version``. Raises :class:`StaleSession`."""

    async def delete(self, key: ConversationKey) -> None: ...

    async def close(self) -> None: ...


def insert_ignore(dialect: Dialect, table: Table, *index_elements: str) -> Insert:
    """``INSERT ... ON CONFLICT (index_elements) DO NOTHING`` for SQLite and PostgreSQL."""
    if dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(index_elements))
    if dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(index_elements))
    return insert(table)  # other backends: a conflict raises IntegrityError


def fast_batches(dialect: Dialect) -> bool:
    """Can batched statements be checked by their total row count (and run under a write lock)?"""
    return dialect.name == "sqlite" and bool(dialect.supports_sane_multi_rowcount)


# ----------------------------------------------------------------------------- batching
@dataclass(slots=True)
class _Job:
    handler: Handler
    item: Any
    future: asyncio.Future[Any]
    solo: bool


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
        self._queue.append(_Job(handler, item, future, solo))
        self._start()
        return await future

    def _start(self) -> None:
        if self._task is None or self._task.done():
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
        self._written_here += 1
        if self._written_here % CHECKPOINT_EVERY == 0:  # the loop's connection never does
            self._checkpoint_due = True
            self._start()
        return True, outcome[0][0]

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
                if not self._queue:
                    if self._checkpoint_due:
                        await self._checkpoint()
                        continue
                    if self._closing:
                        return
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                jobs = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
                groups = _groups(jobs)
                work = asyncio.ensure_future(self._outcomes(groups))
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

    async def _outcomes(self, groups: list[_Group]) -> list[list[Any]]:
        """Run the batch; per group, one outcome per job (a value or an exception)."""
        work = _work_of(groups)
        try:
            return await self._worker.run(lambda conn: self._transaction(conn, work, careful=False))
        except Exception as exc:  # Mismatch or a failing item: isolate and redo carefully
            self.reruns += 1
            log.debug(
                "batch of %d rerun carefully: %s",
                sum(len(g.jobs) for g in groups),
                type(exc).__name__,
            )
            return [await self._careful(group) for group in groups]

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


# ----------------------------------------------------------------------------- sessions
@dataclass(slots=True)
class _Save:
    key: ConversationKey
    row: dict[str, Any]  # column values of the conversations row
    expected: int  # version the caller loaded (0 = new)


@dataclass(slots=True)
class _Delete:
    key: ConversationKey


_KIND_INSERT, _KIND_UPDATE, _KIND_DELETE = "insert", "update", "delete"
_NOT_SET = ("key", "channel", "chat_id", "user_id")


def _kind(op: _Save | _Delete) -> str:
    if isinstance(op, _Delete):
        return _KIND_DELETE
    return _KIND_INSERT if op.expected == 0 else _KIND_UPDATE


class SqlSessionStore:
    """:class:`SessionStore` on an :class:`~sqlalchemy.ext.asyncio.AsyncEngine`.

    - ``writer``: a shared write :class:`Batcher` (else the store makes and closes its own).
    - ``cache_size``: sessions kept in memory (0 = always read the database). A cached copy
      may be stale when other processes write the same conversation; the version check then
      turns the save into :class:`StaleSession` and the reload reads the database.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        writer: Batcher | None = None,
        cache_size: int = 4096,
        max_batch: int = 1000,
    ) -> None:
        self._own_writer = writer is None
        self._writer = writer or Batcher(engine, write=True, max_batch=max_batch)
        self._reader = Batcher(engine, write=False, max_batch=max_batch)
        self._cache: OrderedDict[str, tuple[int, str | None]] = OrderedDict()
        self._cache_size = cache_size
        self._fast = fast_batches(engine.dialect)
        t: Table = Conversation.__table__  # type: ignore[assignment]
        self._select = select(t.c.key, t.c.data, t.c.version).where(
            t.c.key.in_(bindparam("keys", expanding=True))
        )
        self._update = update(t).where(
            t.c.key == bindparam("b_key"), t.c.version == bindparam("b_expected")
        )
        self._insert = insert_ignore(engine.dialect, t, "key")
        self._delete = delete(t).where(t.c.key == bindparam("b_key"))

    # -- public API ------------------------------------------------------------
    async def load(self, key: ConversationKey, *, fresh: bool = False) -> Session | None:
        """The stored session, or ``None``. ``fresh=True`` skips the cache."""
        k = str(key)
        hit = None if fresh else self._cache.get(k)
        if hit is None:
            hit = await self._reader.submit(self._read_many, k)
            self._remember(k, *hit)
        else:
            self._cache.move_to_end(k)
        version, data = hit
        return None if data is None else Session.from_json(key, data, version)

    async def save(self, session: Session) -> None:
        """Commit ``session`` (returns once durable) and bump ``session.version``.

        Raises :class:`StaleSession` if the stored version is not ``session.version``.
        """
        key = session.key
        data = session.to_json()
        row: dict[str, Any] = {
            "key": str(key),
            "channel": key.channel,
            "chat_id": key.chat_id,
            "user_id": key.user_id,
            "state": str(getattr(session.state, "value", session.state)),
            "member_id": session.member_id,
            "data": data,
            "version": session.version + 1,
            "updated_at": utcnow(),
        }
        try:
            version = await self._writer.submit(self._write_many, _Save(key, row, session.version))
        except StaleSession:
            self._cache.pop(row["key"], None)
            raise
        session.version = version
        self._remember(row["key"], version, data)

    async def delete(self, key: ConversationKey) -> None:
        self._cache.pop(str(key), None)
        await self._writer.submit(self._write_many, _Delete(key))
        self._cache.pop(str(key), None)

    async def close(self) -> None:
        """Flush pending writes and stop the batch tasks (the engine stays open)."""
        await self._reader.close()
        if self._own_writer:
            await self._writer.close()
        self._cache.clear()

    @property
    def writer(self) -> Batcher:
        return self._writer

    # -- cache -----------------------------------------------------------------
    def _remember(self, k: str, version: int, data: str | None) -> None:
        if not self._cache_size:
            return
        current = self._cache.get(k)
        if current is not None and current[0] > version:  # a newer save got there first
            return
        self._cache[k] = (version, data)
        self._cache.move_to_end(k)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    # -- batch handlers -------------------------------------------------------------
    def _read_many(
        self, conn: Connection, keys: list[str], careful: bool
    ) -> list[tuple[int, str | None]]:
        found: dict[str, tuple[int, str | None]] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            result = conn.execute(self._select, {"keys": unique[start : start + 500]})
            for k, data, version in result:
                found[k] = (version, data)
        return [found.get(k, (0, None)) for k in keys]

    def _write_many(self, conn: Connection, ops: list[_Save | _Delete], careful: bool) -> list[Any]:
        if not self._fast:  # row counts of executemany unknown: one statement per row
            return [self._write_one(conn, op) for op in ops]
        if careful:  # SQLite under BEGIN IMMEDIATE: read versions, run only what will match
            outcomes = self._predict(conn, ops)
        else:  # optimistic: every save matches (else Mismatch, and a careful rerun)
            outcomes = [op.expected + 1 if isinstance(op, _Save) else None for op in ops]
        todo = [op for op, out in zip(ops, outcomes, strict=True) if not isinstance(out, Exception)]
        start = 0
        while start < len(todo):  # one executemany per run of the same kind, in order
            kind = _kind(todo[start])
            end = start + 1
            while end < len(todo) and _kind(todo[end]) == kind:
                end += 1
            self._write_run(conn, kind, todo[start:end])
            start = end
        return outcomes

    def _predict(self, conn: Connection, ops: list[_Save | _Delete]) -> list[Any]:
        """Replay ``ops`` against the stored versions: new version, None, or StaleSession."""
        current: dict[str, int] = {}
        keys = list(dict.fromkeys(str(op.key) for op in ops))
        for start in range(0, len(keys), 500):
            result = conn.execute(self._select, {"keys": keys[start : start + 500]})
            current.update((k, version) for k, _data, version in result)
        outcomes: list[Any] = []
        for op in ops:
            k = str(op.key)
            if isinstance(op, _Delete):
                current.pop(k, None)
                outcomes.append(None)
            elif current.get(k, 0) == op.expected and (op.expected or k not in current):
                current[k] = op.expected + 1
                outcomes.append(op.expected + 1)
            else:
                outcomes.append(StaleSession(op.key))
        return outcomes

    def _write_run(self, conn: Connection, kind: str, ops: list[Any]) -> None:
        if kind == _KIND_DELETE:
            conn.execute(self._delete, [{"b_key": str(op.key)} for op in ops])
            return
        if kind == _KIND_INSERT:
            result = conn.execute(self._insert, [op.row for op in ops])
        else:
            result = conn.execute(self._update, [_update_params(op) for op in ops])
        if result.rowcount != len(ops):
            raise Mismatch(f"{kind}: {result.rowcount} of {len(ops)} rows")

    def _write_one(self, conn: Connection, op: _Save | _Delete) -> Any:
        if isinstance(op, _Delete):
            conn.execute(self._delete, {"b_key": str(op.key)})
            return None
        if op.expected == 0:
            result = conn.execute(self._insert, op.row)
        else:
            result = conn.execute(self._update, _update_params(op))
        if result.rowcount != 1:
            return StaleSession(op.key)
        return op.expected + 1


def _update_params(op: _Save) -> dict[str, Any]:
    params = {k: v for k, v in op.row.items() if k not in _NOT_SET}
    params["b_key"] = op.row["key"]
    params["b_expected"] = op.expected
    return params


__all__ = [
    "Batcher",
    "Handler",
    "Mismatch",
    "SessionStore",
    "SqlSessionStore",
    "StaleSession",
    "fast_batches",
    "insert_ignore",
]

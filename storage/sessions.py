"""Conversation sessions in SQL, with group commit and optimistic versions.

Every handled event does ``load`` + ``save``; ``save`` returns only once the row is
committed. To make that fast, concurrent writes are *group committed*: a single
:class:`Batcher` task (one connection) takes every write waiting at that moment and runs
them in one transaction (``BEGIN IMMEDIATE`` on SQLite), using one ``executemany`` per run
of similar statements. Loads are coalesced the same way into ``SELECT ... WHERE key IN``
on a second connection, and served from a small write-through cache when possible. A batch
is one synchronous unit of work on a :class:`~storage.db.Worker` (on SQLite: its own thread),
so a whole group commit costs one hop of the event loop, not one per statement. With nothing
queued and nothing else ready on the event loop (one customer in flight) there is nothing to
share a hop with: the unit runs inline on the loop's own connection instead, a write only if
SQLite's write lock is free at once (else it hops as usual; the loop never waits for a lock).

Correctness across several processes rests on the version column: every save is
``UPDATE ... WHERE key = :k AND version = :expected`` (or an insert that must not find a
row). If another writer got there first the save raises :class:`StaleSession`, the cached
copy is dropped, and the caller reloads (which then reads the database) and retries.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import Connection, Table, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import Insert

from states.session import ConversationKey, Session
from storage.batcher import Batcher, Handler, Mismatch
from storage.lean import Lean
from storage.models import Conversation, utcnow

log = logging.getLogger(__name__)


class StaleSession(Exception):
    """The stored session changed since it was loaded: reload it and handle the event again."""

    def __init__(self, key: ConversationKey) -> None:
        super().__init__(str(key))
        self.key = key


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
        changed = ("state", "member_id", "data", "version", "updated_at")  # (_update_params)
        self._update = Lean(
            update(t)
            .where(t.c.key == bindparam("b_key"), t.c.version == bindparam("b_expected"))
            .values({name: bindparam(name) for name in changed}),
            engine.dialect,
        )
        self._insert = Lean(insert_ignore(engine.dialect, t, "key"), engine.dialect)
        self._delete = Lean(delete(t).where(t.c.key == bindparam("b_key")), engine.dialect)

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
            self._delete.rowcount(conn, [{"b_key": str(op.key)} for op in ops])
            return
        if kind == _KIND_INSERT:
            count = self._insert.rowcount(conn, [op.row for op in ops])
        else:
            count = self._update.rowcount(conn, [_update_params(op) for op in ops])
        if count != len(ops):
            raise Mismatch(f"{kind}: {count} of {len(ops)} rows")

    def _write_one(self, conn: Connection, op: _Save | _Delete) -> Any:
        if isinstance(op, _Delete):
            self._delete.rowcount(conn, {"b_key": str(op.key)})
            return None
        if op.expected == 0:
            count = self._insert.rowcount(conn, op.row)
        else:
            count = self._update.rowcount(conn, _update_params(op))
        if count != 1:
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

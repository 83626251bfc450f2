"""Database engine and declarative base. Nothing is created at import time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import NullPool

from storage.files import prepare_sqlite

log = logging.getLogger(__name__)

T = TypeVar("T")

_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6  # primary result codes (the low byte of extended ones)


class Busy(Exception):
    """:meth:`Worker.try_here` found the write lock taken: nothing was done, hop instead."""


def is_busy(exc: BaseException) -> bool:
    """Is ``exc`` SQLite's "database is locked" (``SQLITE_BUSY`` / ``SQLITE_LOCKED``)?"""
    orig = getattr(exc, "orig", exc)  # SQLAlchemy wraps the driver's exception
    code = getattr(orig, "sqlite_errorcode", None)
    return (
        isinstance(orig, sqlite3.OperationalError)
        and isinstance(code, int)
        and (code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED))
    )


class Base(DeclarativeBase):
    """Every table of the project (bot side and embedded backend) hangs off this."""


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def ensure_sqlite_dir(url: str) -> None:
    """For a file-based SQLite URL (``sqlite+aiosqlite:///./data/x.db``): its folder (created
    0700) and the database file (created 0600, so SQLite's WAL/SHM files are 0600 too),
    whatever the umask; files of it that others could read are tightened (storage/files.py)."""
    if is_sqlite(url) and prepare_sqlite(url):
        log.warning("made database files readable by the bot's user only (others could read them)")


def make_engine(
    url: str, *, echo: bool = False, single_writer: bool = False, readers: int = 0
) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout and foreign keys on every connection.

    ``single_writer``: on SQLite, one pooled connection, so concurrent transactions queue in
    asyncio instead of colliding on SQLite's write lock (whose busy handler sleeps up to
    100 ms a try). On PostgreSQL it changes nothing.
    """
    ensure_sqlite_dir(url)
    kwargs: dict = {"echo": echo, "hide_parameters": True}  # no customer data in logs or errors
    if is_sqlite(url):
        kwargs["connect_args"] = {"timeout": 30}
        if single_writer and ":memory:" not in url:
            kwargs.update(pool_size=1, max_overflow=0, pool_timeout=120)
        elif readers and ":memory:" not in url:  # a read pool sized for many conversations at once
            kwargs.update(pool_size=readers, max_overflow=readers, pool_timeout=120)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # deleted rows are overwritten, not just freed: a handled update (a typed password), a
    # sent prize code or an old session must not stay readable in a copy of the file
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


async def truncate_wal(engine: AsyncEngine) -> None:
    """SQLite: copy the write-ahead log into the database and cut it to 0 bytes. The log keeps
    every page as written, so a deleted row (a handled update with a typed password) stays in
    it until then; housekeeping calls this each round. A busy database just waits a round."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as conn:
        await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


class Worker:
    """Runs synchronous units of work, ``fn(conn: Connection) -> T``, off the event loop.

    Why: through an async driver every statement is a round trip to the driver's thread
    (aiosqlite: cursor, execute, fetch, commit... each wakes the event loop), so a
    three-statement transaction cost about 0.9 ms of hops for 0.1 ms of SQLite. Here the
    whole unit runs in one go:

    - file SQLite: on the worker's own thread(s), each with a plain ``sqlite3`` connection
      (same file, same pragmas): one hop per unit of work, however many statements it has;
    - any other database (PostgreSQL via asyncpg): the same function through
      ``AsyncConnection.run_sync`` on the async engine, so the code is written once. (An
      in-memory SQLite engine takes this path too, but it has a single shared connection:
      one worker only, for tests; the settings refuse in-memory databases.)

    ``threads=1`` (a writer): one unit at a time on one held connection, callers queue in
    order. ``threads=N`` (readers): up to N units at once, each thread keeping its own
    connection. ``fn`` owns its transaction: it commits or rolls back before it returns
    (a read may just return; the worker rolls back whatever it left open). A connection that
    failed (closed or invalidated) is replaced on the next unit.
    """

    def __init__(self, engine: AsyncEngine, *, threads: int = 1) -> None:
        self._engine = engine
        url = engine.url
        file_sqlite = url.get_backend_name() == "sqlite" and url.database not in (
            None,
            "",
            ":memory:",
        )
        self._sync: Engine | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._local = threading.local()  # each thread's connection
        self._conns: list[Connection] = []  # all of them, to close at the end
        self._conns_lock = threading.Lock()
        self._aconn: AsyncConnection | None = None
        self._lock = asyncio.Lock() if threads == 1 else None
        self._closed = False
        self._here: Connection | None = None  # try_here's connection (the event loop's)
        self._here_thread: int | None = None
        if file_sqlite:
            self._sync = create_engine(
                url.set(drivername="sqlite"),
                poolclass=NullPool,
                hide_parameters=True,
                connect_args={"timeout": 30, "check_same_thread": False},
            )
            event.listen(self._sync, "connect", _sqlite_pragmas)
            self._executor = ThreadPoolExecutor(threads, thread_name_prefix="db-worker")

    async def run(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` on a worker connection and return its result.

        A caller cancelled meanwhile does not stop a unit already running on a thread: it
        finishes (and commits, if it does) on its own."""
        if self._lock is None:
            return await self._unit(fn)
        async with self._lock:
            return await self._unit(fn)

    async def _unit(self, fn: Callable[[Connection], T]) -> T:
        if self._closed:
            raise RuntimeError("the database worker is closed")
        executor = self._executor
        if executor is not None:
            return await asyncio.get_running_loop().run_in_executor(executor, self._in_thread, fn)
        if self._lock is None:  # readers elsewhere: a pooled connection per unit
            async with self._engine.connect() as conn:
                return await conn.run_sync(fn)
        conn = await self._async_conn()
        try:
            return await conn.run_sync(fn)
        finally:
            if conn.in_transaction() and not conn.invalidated:
                await conn.rollback()

    @property
    def can_run_here(self) -> bool:
        """True when :meth:`run_here` may be used (file SQLite: a connection per thread)."""
        return self._executor is not None and not self._closed

    def run_here(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` synchronously on the calling thread, on that thread's own connection.

        For a short READ when nothing else is waiting: a hop to the worker thread and back
        (two thread wake-ups, the event loop woken through its self-pipe) costs more CPU than
        a one-row SQLite read, and a WAL read never waits for a writer. Never for writes:
        ``BEGIN IMMEDIATE`` may wait for another process's write lock here, and the event
        loop with it (a write goes through :meth:`try_here`, which never waits)."""
        if not self.can_run_here:
            raise RuntimeError("run_here needs a file SQLite worker that is open")
        return self._in_thread(fn)

    def try_here(self, fn: Callable[[Connection], T]) -> T:
        """Run the short WRITE unit ``fn`` (one transaction) on the calling thread if SQLite's
        write lock is free at once; else raise :class:`Busy`, having committed nothing.

        For one customer in flight, whose write would otherwise pay a hop to the worker's
        thread and back. Never blocks: the calling thread's own connection has no busy wait
        (``busy_timeout=0``: ``BEGIN IMMEDIATE`` fails at once if another connection of this
        process or another process, the staff CLI, holds the lock) and never checkpoints
        (``wal_autocheckpoint=0``: a commit only appends to the WAL; checkpoints stay with
        the worker's thread and housekeeping). Busy as well while a unit of this worker is on
        its thread, or when called from a second thread (the connection is the first's)."""
        if not self.can_run_here or (self._lock is not None and self._lock.locked()):
            raise Busy
        conn = self._here_conn()
        try:
            return fn(conn)
        except Exception as exc:
            if is_busy(exc):  # at BEGIN IMMEDIATE, or anywhere: the transaction is undone
                raise Busy from exc
            raise
        finally:
            if conn.in_transaction() and not conn.invalidated:
                conn.rollback()

    def _here_conn(self) -> Connection:
        thread = threading.get_ident()
        if self._here_thread not in (None, thread):
            raise Busy
        conn = self._here
        if conn is None or conn.closed or conn.invalidated:
            assert self._sync is not None
            if conn is not None:
                self._forget(conn)
            conn = self._sync.connect()
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA busy_timeout=0")
            raw.execute("PRAGMA wal_autocheckpoint=0")
            self._here, self._here_thread = conn, thread
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    def _in_thread(self, fn: Callable[[Connection], T]) -> T:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.invalidated:
            assert self._sync is not None
            if conn is not None:
                self._forget(conn)
            conn = self._local.conn = self._sync.connect()
            with self._conns_lock:
                self._conns.append(conn)
        try:
            return fn(conn)
        finally:
            if conn.in_transaction() and not conn.invalidated:
                conn.rollback()

    def _forget(self, conn: Connection) -> None:
        with self._conns_lock:
            if conn in self._conns:
                self._conns.remove(conn)
        with contextlib.suppress(Exception):
            conn.close()

    async def _async_conn(self) -> AsyncConnection:
        if self._aconn is None or self._aconn.closed or self._aconn.invalidated:
            await self._drop_async()
            self._aconn = await self._engine.connect()
        return self._aconn

    async def _drop_async(self) -> None:
        conn, self._aconn = self._aconn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()

    async def close(self) -> None:
        """Let the units in progress finish, then release the connections and threads. Units
        not started yet (and any ``run`` after this) raise ``RuntimeError``."""
        if self._closed:
            return
        self._closed = True
        if self._lock is None:
            await self._release()
            return
        async with self._lock:  # after the unit in progress
            await self._release()

    async def _release(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(None, executor.shutdown, True)
            for conn in list(self._conns):
                self._forget(conn)
            if self._sync is not None:
                self._sync.dispose()
        await self._drop_async()

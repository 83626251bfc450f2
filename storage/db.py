"""Database engine and declarative base. Nothing is created at import time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Every table of the project (bot side and embedded backend) hangs off this."""


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def ensure_sqlite_dir(url: str) -> None:
    """Create the directory of a file-based SQLite URL (``sqlite+aiosqlite:///./data/x.db``)."""
    if not is_sqlite(url):
        return
    path = url.split("///", 1)[1] if "///" in url else ""
    if path and path != ":memory:" and not path.startswith("file:"):
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, *, echo: bool = False, single_writer: bool = False, readers: int = 0) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout and foreign keys on every connection.

    ``single_writer``: on SQLite, one pooled connection, so concurrent transactions queue in
    asyncio instead of colliding on SQLite's write lock (whose busy handler sleeps up to
    100 ms a try). On PostgreSQL it changes nothing.
    """
    ensure_sqlite_dir(url)
    kwargs: dict = {"echo": echo}
    if is_sqlite(url):
        kwargs["connect_args"] = {"timeout": 30}
        if single_writer and ":memory:" not in url:
            kwargs.update(pool_size=1, max_overflow=0, pool_timeout=120)
        elif readers and ":memory:" not in url:  # a read pool sized for many conversations at once
            kwargs.update(pool_size=readers, max_overflow=readers, pool_timeout=120)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)

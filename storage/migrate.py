"""Apply the Alembic migrations programmatically at start (no alembic.ini needed).

``await upgrade(settings.database_url)`` brings the database to ``head``. Concurrent
starters are serialised (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock), and
the whole upgrade is one transaction, so a failed migration leaves the schema unchanged.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import ensure_sqlite_dir, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: any constant: the PostgreSQL advisory lock key that serialises concurrent upgrades
_PG_LOCK_KEY = 0x72656465656D


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` built in code (also usable with ``alembic.command``)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


#: Alembic keeps the running migration in module globals (``alembic.context``, ``op``), so
#: two upgrades in one process must not interleave (they would run each other's steps);
#: processes are kept apart by the database lock below. A thread lock, taken off the event
#: loop, works whatever loop (or test) is running.
_IN_PROCESS = threading.Lock()


async def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision`` (default: the newest)."""
    ensure_sqlite_dir(url)
    while not _IN_PROCESS.acquire(blocking=False):  # another upgrade in this process
        await asyncio.sleep(0.01)
    try:
        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                await _lock(conn)
                await conn.run_sync(_upgrade_sync, alembic_config(url), revision)
                await conn.commit()
        finally:
            await engine.dispose()
    finally:
        _IN_PROCESS.release()


async def current_revision(url: str) -> str | None:
    """The revision the database is at (``None`` if never migrated)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()


def head_revision() -> str | None:
    """The newest revision shipped with the code."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def _lock(conn: AsyncConnection) -> None:
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock up front
    elif conn.dialect.name == "postgresql":
        await conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")


def _upgrade_sync(connection: Connection, cfg: Config, revision: str) -> None:
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)

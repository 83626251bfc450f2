"""Apply the Alembic migrations programmatically at start (no alembic.ini needed).

``await upgrade(settings.database_url)`` brings the database to ``head``. Concurrent
starters are serialised (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock), and
the whole upgrade is one transaction, so a failed migration leaves the schema unchanged.

A database already at the newest revision (every restart) is told by one ``SELECT`` against
the revisions read from the migration files' text: Alembic (and Mako and Pygments under it,
about a fifth of the bot's start-up CPU) is imported only when there is something to run.
"""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import ensure_sqlite_dir, make_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: any constant: the PostgreSQL advisory lock key that serialises concurrent upgrades
_PG_LOCK_KEY = 0x72656465656D


def alembic_config(url: str) -> Config:
    """An Alembic config for ``url`` built in code (also usable with ``alembic.command``)."""
    from alembic.config import Config

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
            if revision == "head" and await _at_head(engine):
                return
            async with engine.connect() as conn:
                await _lock(conn)
                await conn.run_sync(_upgrade_sync, alembic_config(url), revision)
                await conn.commit()
        finally:
            await engine.dispose()
    finally:
        _IN_PROCESS.release()


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*(.+?)\s*$", re.MULTILINE)


def shipped_head() -> str | None:
    """The newest revision, read from the migration files' text (no Alembic): the one no
    other revision names as its ``down_revision``; None unless there is exactly one such
    plain string revision (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for down, value in _REVISION.findall(path.read_text(encoding="utf-8")):
            if value == "None":
                continue
            found = re.fullmatch(r"[\"']([\w.-]+)[\"']", value)
            if found is None:  # a merge (a tuple) or anything unusual
                return None
            (parents if down else revisions).add(found.group(1))
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


async def _at_head(engine: AsyncEngine) -> bool:
    """True when the database's ``alembic_version`` holds exactly the shipped head."""
    head = shipped_head()
    if head is None:
        return False
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    except Exception:  # no table yet, or anything else: let Alembic look
        return False
    return [tuple(row) for row in rows] == [(head,)]


async def current_revision(url: str) -> str | None:
    """The revision the database is at (``None`` if never migrated)."""
    from alembic.runtime.migration import MigrationContext

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
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def _lock(conn: AsyncConnection) -> None:
    if conn.dialect.name == "sqlite":
        await conn.exec_driver_sql("BEGIN IMMEDIATE")  # take the write lock up front
    elif conn.dialect.name == "postgresql":
        await conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")


def _upgrade_sync(connection: Connection, cfg: Config, revision: str) -> None:
    from alembic import command

    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)

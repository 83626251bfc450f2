"""What a customer typed (a password at log-in) passes through the inbox of received updates;
once handled the row is deleted. Deleted is not gone: SQLite keeps freed pages as they were,
so a copy of the database file showed the password in plain text (the accounts attack
review). Freed content is overwritten (``secure_delete``, the default of Debian's SQLite build
but not of every build: now set explicitly), and the write-ahead log, which keeps every page
as written, is cut to nothing by each housekeeping round."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_app
from storage.db import make_engine
from storage.links import Inbox
from tests.conftest import make_settings

PASSWORD = "Tr0ub4dor-and-3-horses"


def holding(folder: Path, secret: str) -> list[str]:
    """The files under ``folder`` whose bytes hold ``secret``."""
    return [p.name for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


async def test_a_handled_update_leaves_no_typed_password_in_the_database_files(
    db_url: str, tmp_path: Path
) -> None:
    engine: AsyncEngine = make_engine(db_url)
    inbox = Inbox(engine)
    try:
        others = [
            {"update_id": n, "message": {"chat": {"id": 41}, "text": "hello"}} for n in (5, 6)
        ]
        update = {"update_id": 7, "message": {"chat": {"id": 42}, "text": PASSWORD}}
        assert await inbox.put_many("telegram", [*others, update]) == [True, True, True]
        await inbox.done("telegram", 7)  # handled: the others still wait (a backlog)
        assert [i.update_id for i in await inbox.pending("telegram")] == [5, 6]
    finally:
        await inbox.close()
        await engine.dispose()
    assert holding(tmp_path / "data", PASSWORD) == []


async def test_while_the_bot_runs_a_housekeeping_round_empties_the_write_ahead_log(
    tmp_path: Path,
) -> None:
    """The ``-wal`` file keeps every page as written: a backup copied while the bot runs held
    the typed password after its update was handled. Each housekeeping round truncates it."""
    app = await build_app(make_settings(tmp_path))
    try:
        others = [
            {"update_id": n, "message": {"chat": {"id": 41}, "text": "hello"}} for n in (5, 6)
        ]
        update = {"update_id": 7, "message": {"chat": {"id": 42}, "text": PASSWORD}}
        await app.inbox.put_many("telegram", [*others, update])
        await app.inbox.done("telegram", 7)
        async with app.db.connect() as conn:  # a reader while the round runs, as in a live bot
            await conn.execute(text("SELECT 1"))
        folder = tmp_path
        assert holding(folder, PASSWORD), "the test's premise: the -wal holds it before the round"
        rounds = asyncio.Queue[None]()

        async def sleep(seconds: float) -> None:
            if seconds:
                await rounds.put(None)
                await asyncio.Event().wait()

        app.start_housekeeping(sleep=sleep)
        await rounds.get()  # one round done
        assert holding(folder, PASSWORD) == []
    finally:
        await app.close()

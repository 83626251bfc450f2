"""``AtTheEnd`` (storage/batcher.py): an outcome completed at the end of its batch's
transaction, after every unit of the batch ran, with one call for all of its kind."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.batcher import AtTheEnd, Batcher


async def test_a_read_at_the_end_sees_the_units_queued_after_its_own(db: AsyncEngine) -> None:
    calls: list[list[Any]] = []

    def count(conn: Connection, args: list[Any]) -> list[Any]:
        calls.append(args)
        total = conn.execute(text("SELECT count(*) FROM chat_links")).scalar()
        return [(arg, total) for arg in args]

    def insert(conn: Connection, keys: list[str], careful: bool) -> list[Any]:
        for k in keys:
            conn.execute(
                text(
                    "INSERT INTO chat_links (conversation_key, blocked, locale, updated_at) "
                    "VALUES (:k, 0, 'en', '2026-12-07 00:00:00')"
                ),
                {"k": k},
            )
        return [AtTheEnd(count, k) for k in keys]

    def later(conn: Connection) -> None:
        insert(conn, ["late"], False)

    writer = Batcher(db)
    try:
        busy = asyncio.ensure_future(writer.run(lambda conn: None))  # the next ones batch
        first = asyncio.ensure_future(writer.submit(insert, "a"))
        second = asyncio.ensure_future(writer.submit(insert, "b"))
        last = asyncio.ensure_future(writer.run(later))  # queued after both
        await busy
        assert await first == ("a", 3) and await second == ("b", 3)  # "late" seen too
        await last
        assert ["a", "b"] in calls  # one call for the transaction's two
    finally:
        await writer.close()

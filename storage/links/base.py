"""What the bot-side stores share: the write batcher and the read worker, shared or own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, CursorResult, Table, delete, select, tuple_
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import Worker
from storage.models import utcnow
from storage.sessions import Batcher

READ_THREADS = 2  # reads here are short (a row or a few): two threads keep up with thousands/s


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an INSERT made."""
    key = result.inserted_primary_key
    assert key is not None, "an INSERT of one row"
    return int(key[0])


def table_of(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined]


class WriterOwner:
    """Holds the write batcher and the read worker: shared (the caller closes them) or own
    (closed in ``close``)."""

    def __init__(
        self, engine: AsyncEngine, writer: Batcher | None, reads: Worker | None = None
    ) -> None:
        self._engine = engine
        self._own_writer = writer is None
        self._writer = writer or Batcher(engine, write=True)
        self._own_reads = reads is None
        self._reads = reads or Worker(engine, threads=READ_THREADS)

    async def _read(self, stmt: Any) -> list[Row[Any]]:
        """The rows of ``stmt``: one hop to a read thread."""
        return await self._reads.run(lambda conn: list(conn.execute(stmt).all()))

    async def close(self) -> None:
        if self._own_writer:
            await self._writer.close()
        if self._own_reads:
            await self._reads.close()


def older_deleted(
    t: Any, stamp: Any, older_than: dt.datetime | dt.timedelta, limit: int | None
) -> Callable[[Connection], int]:
    """A write deleting the rows of ``t`` (keyed by channel and update id) whose ``stamp`` is
    before ``older_than`` (a time, or an age), the oldest ``limit`` at most: one bounded
    transaction, so the write lock is held briefly."""
    cutoff = utcnow() - older_than if isinstance(older_than, dt.timedelta) else older_than
    old = stamp < cutoff
    if limit is not None:
        oldest = select(t.c.channel, t.c.update_id).where(old).order_by(stamp).limit(limit)
        old = tuple_(t.c.channel, t.c.update_id).in_(oldest)
    stmt = delete(t).where(old)

    def write(conn: Connection) -> int:
        return int(conn.execute(stmt).rowcount)

    return write

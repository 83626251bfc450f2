"""Channel updates already handled (``UpdateLog``) and those received but not handled yet
(``Inbox``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import Worker
from storage.links.base import WriterOwner, older_deleted, table_of
from storage.models import InboxUpdate, ProcessedUpdate, utcnow
from storage.sessions import Batcher, Mismatch, fast_batches, insert_ignore


class UpdateLog(WriterOwner):
    """Channel updates already handled, so redelivered ones (even after a restart) are dropped."""

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        t = self._t = table_of(ProcessedUpdate)
        self._fast = fast_batches(engine.dialect)
        self._insert = insert_ignore(engine.dialect, t, "channel", "update_id")
        self._seen = select(t.c.update_id).where(
            t.c.channel == bindparam("c"), t.c.update_id.in_(bindparam("ids", expanding=True))
        )

    async def first_time(self, channel: str, update_id: int | str) -> bool:
        """Record the update; ``True`` only for the first caller ever (atomic, committed)."""
        item = {"channel": channel, "update_id": str(update_id), "seen_at": utcnow()}
        return bool(await self._writer.submit(self._mark_many, item))

    async def prune(
        self, older_than: dt.datetime | dt.timedelta, *, limit: int | None = None
    ) -> int:
        """Forget updates seen before ``older_than`` (a time, or an age), the oldest ``limit``
        of them at most (all when ``None``); returns how many."""
        return await self._writer.run(older_deleted(self._t, self._t.c.seen_at, older_than, limit))

    def _mark_many(
        self, conn: Connection, items: list[dict[str, Any]], careful: bool
    ) -> list[bool]:
        if careful or not self._fast:
            return [conn.execute(self._insert, item).rowcount == 1 for item in items]
        # SQLite under BEGIN IMMEDIATE: nobody else can insert between this read and write
        seen: set[tuple[str, str]] = set()
        for channel in {item["channel"] for item in items}:
            ids = list({i["update_id"] for i in items if i["channel"] == channel})
            for start in range(0, len(ids), 500):
                found = conn.execute(self._seen, {"c": channel, "ids": ids[start : start + 500]})
                seen.update((channel, u) for u in found.scalars())
        fresh: list[dict[str, Any]] = []
        outcome: list[bool] = []
        for item in items:
            ident = (item["channel"], item["update_id"])
            outcome.append(ident not in seen)
            if ident not in seen:
                seen.add(ident)
                fresh.append(item)
        if fresh and conn.execute(self._insert, fresh).rowcount != len(fresh):
            raise Mismatch("processed_updates")
        return outcome


@dataclass(frozen=True, slots=True)
class InboxItem:
    update_id: int
    payload: dict[str, Any]


class Inbox(WriterOwner):
    """Updates received and not handled yet, kept from arrival until handled.

    ``put_many`` commits a batch (one transaction) and says which updates are new (a copy
    redelivered while the first is still here is not); ``done`` forgets handled ones (group
    committed); ``pending`` gives back what a stopped or crashed process left, oldest first.
    """

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        t = self._t = table_of(InboxUpdate)
        self._insert = insert_ignore(engine.dialect, t, "channel", "update_id")
        self._forget = delete(t).where(
            t.c.channel == bindparam("c"), t.c.update_id.in_(bindparam("ids", expanding=True))
        )

    async def put_many(self, channel: str, updates: Sequence[dict[str, Any]]) -> list[bool]:
        """Store ``updates`` (each with its ``update_id``); True for each one stored now."""
        if not updates:
            return []
        now = utcnow()
        rows = [
            {
                "channel": channel,
                "update_id": int(u["update_id"]),
                "payload": json.dumps(u, separators=(",", ":"), ensure_ascii=False),
                "received_at": now,
            }
            for u in updates
        ]

        def write(conn: Connection) -> list[bool]:
            return [conn.execute(self._insert, row).rowcount == 1 for row in rows]

        return await self._writer.run(write, short=True)  # a poll's rows: a few small inserts

    async def done(self, channel: str, update_id: int) -> None:
        """Forget a handled update (committed with the other ``done`` calls of its batch)."""
        await self._writer.submit(self._forget_many, (channel, int(update_id)))

    async def prune(
        self, older_than: dt.datetime | dt.timedelta, *, limit: int | None = None
    ) -> int:
        """Forget updates received before ``older_than`` and never handled (stuck), the oldest
        ``limit`` of them at most; returns how many (housekeeping)."""
        return await self._writer.run(
            older_deleted(self._t, self._t.c.received_at, older_than, limit)
        )

    async def pending(self, channel: str) -> list[InboxItem]:
        t = self._t
        stmt = (
            select(t.c.update_id, t.c.payload).where(t.c.channel == channel).order_by(t.c.update_id)
        )
        return [InboxItem(int(r.update_id), json.loads(r.payload)) for r in await self._read(stmt)]

    def _forget_many(
        self, conn: Connection, items: list[tuple[str, int]], careful: bool
    ) -> list[None]:
        for channel in {c for c, _ in items}:
            ids = [u for c, u in items if c == channel]
            for start in range(0, len(ids), 500):
                conn.execute(self._forget, {"c": channel, "ids": ids[start : start + 500]})
        return [None] * len(items)

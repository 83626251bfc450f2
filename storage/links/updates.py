"""Channel updates already handled (``UpdateLog``) and those received but not handled yet
(``Inbox``)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import Worker
from storage.lean import Lean, LeanIn, keys_in
from storage.links.base import WriterOwner, older_deleted, table_of
from storage.models import InboxUpdate, ProcessedUpdate, utcnow
from storage.sessions import Batcher, Mismatch, fast_batches, insert_ignore

log = logging.getLogger(__name__)
T = TypeVar("T")

#: seconds after which handled updates are deleted from the inbox when no poll's write
#: carried their deletion (with one customer in flight the next poll comes long before)
FLUSH_AFTER = 0.05


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

    ``done_later`` forgets a handled update without a transaction of its own: its deletion
    rides on the next ``put_many`` (the next poll's), or on a ``flush`` ``flush_after``
    seconds later when no poll brings anything, and at ``close``. What a crash loses of these
    notes is handled again after the restart, and dropped there by the engine (each session
    remembers the update ids it committed), as an update handled but not yet forgotten
    always was.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        writer: Batcher | None = None,
        reads: Worker | None = None,
        flush_after: float = FLUSH_AFTER,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        super().__init__(engine, writer, reads)
        t = self._t = table_of(InboxUpdate)
        self._insert = Lean(
            insert_ignore(engine.dialect, t, "channel", "update_id"), engine.dialect
        )
        # each handled update is forgotten: one statement per number of them, on the cursor
        self._forget = LeanIn(
            lambda n: delete(t).where(t.c.channel == bindparam("c"), t.c.update_id.in_(keys_in(n))),
            engine.dialect,
        )
        self._flush_after = flush_after
        self._sleep = sleep
        self._handled: set[tuple[str, int]] = set()  # noted by done_later, not yet deleted
        self._deleting: set[tuple[str, int]] = set()  # in a transaction now
        self.flusher: asyncio.Task[None] | None = None  # the flush after a quiet while

    async def put_many(self, channel: str, updates: Sequence[dict[str, Any]]) -> list[bool]:
        """Store ``updates`` (each with its ``update_id``); True for each one stored now. The
        deletions noted by ``done_later`` are committed in the same transaction."""
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
        handled = self._take()

        def write(conn: Connection) -> list[bool]:
            fresh = [self._insert.rowcount(conn, row) == 1 for row in rows]
            # after the inserts: a redelivered copy of a handled update is not stored again
            self._forget_many(conn, handled, False)
            return fresh

        # a poll's rows and a few deletions: small writes, inline when nothing else waits
        return await self._with(handled, self._writer.run(write, short=True))

    async def done(self, channel: str, update_id: int) -> None:
        """Forget a handled update (committed with the other ``done`` calls of its batch)."""
        await self._writer.submit(self._forget_many, (channel, int(update_id)))

    def done_later(self, channel: str, update_id: int) -> None:
        """Forget a handled update with the next write here (see the class docstring)."""
        self._handled.add((channel, int(update_id)))
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.get_running_loop().create_task(
                self._flush_when_quiet(), name="inbox-flush"
            )

    async def flush(self) -> None:
        """Commit the deletions noted by ``done_later`` now (at shutdown, or when quiet)."""
        handled = self._take()
        if handled:
            await self._with(handled, self._writer.submit(self._forget_many_of, handled))

    async def prune(
        self, older_than: dt.datetime | dt.timedelta, *, limit: int | None = None
    ) -> int:
        """Forget updates received before ``older_than`` and never handled (stuck), the oldest
        ``limit`` of them at most; returns how many (housekeeping)."""
        return await self._writer.run(
            older_deleted(self._t, self._t.c.received_at, older_than, limit)
        )

    async def pending(self, channel: str) -> list[InboxItem]:
        """What is here and not handled yet (those noted by ``done_later`` are handled)."""
        t = self._t
        stmt = (
            select(t.c.update_id, t.c.payload).where(t.c.channel == channel).order_by(t.c.update_id)
        )
        handled = self._handled | self._deleting
        return [
            InboxItem(int(r.update_id), json.loads(r.payload))
            for r in await self._read(stmt)
            if (channel, int(r.update_id)) not in handled
        ]

    async def close(self) -> None:
        """Commit the deletions still noted, then close what is this store's own."""
        flusher, self.flusher = self.flusher, None
        if flusher is not None:
            flusher.cancel()
            with contextlib.suppress(BaseException):
                await flusher
        try:
            await self.flush()
        except Exception:  # handled again after the restart, and dropped by the engine
            log.exception("could not forget %d handled updates", len(self._handled))
        await super().close()

    # -- deferred deletions --------------------------------------------------------
    def _take(self) -> list[tuple[str, int]]:
        handled = sorted(self._handled)
        self._handled.clear()
        self._deleting.update(handled)
        return handled

    async def _with(self, handled: list[tuple[str, int]], write: Awaitable[T]) -> T:
        """``write``, which deletes ``handled`` when it commits; noted again if it fails."""
        try:
            result = await write
        except BaseException:
            self._handled.update(handled)  # (a cancelled write may have committed: no harm)
            raise
        finally:
            self._deleting.difference_update(handled)
        return result

    async def _flush_when_quiet(self) -> None:
        while self._handled:
            await self._sleep(self._flush_after)
            try:
                await self.flush()
            except Exception:  # noted again: the next poll's write or flush tries again
                log.exception("could not forget %d handled updates", len(self._handled))
                return

    def _forget_many_of(
        self, conn: Connection, items: list[list[tuple[str, int]]], careful: bool
    ) -> list[None]:
        self._forget_many(conn, [pair for handled in items for pair in handled], careful)
        return [None] * len(items)

    def _forget_many(
        self, conn: Connection, items: list[tuple[str, int]], careful: bool
    ) -> list[None]:
        for channel in {c for c, _ in items}:
            ids = [u for c, u in items if c == channel]
            for lean, params in self._forget.chunks(ids, {"c": channel}):
                lean.rowcount(conn, params)
        return [None] * len(items)

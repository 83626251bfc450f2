"""Messages to send later (status notifications, staff replies): at least once."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from states.session import ConversationKey
from storage.db import Worker
from storage.links.base import WriterOwner, inserted_id, table_of
from storage.models import OutboxMessage, utcnow
from storage.sessions import Batcher


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    key: ConversationKey
    payload: dict[str, Any]
    created_at: dt.datetime
    attempts: int  # including this delivery attempt


class Outbox(WriterOwner):
    """Messages to send later (status notifications, staff replies): at least once.

    ``take_due`` leases items for ``lease``; unless ``mark_sent`` follows in time (say the
    process died), they become due again and another taker gets them.
    """

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        self._t = table_of(OutboxMessage)

    async def put(
        self, key: ConversationKey, payload: dict[str, Any], *, delay: dt.timedelta | None = None
    ) -> int:
        """Queue ``payload`` (a JSON object) for ``key``; returns the item id once committed."""
        now = utcnow()
        stmt = insert(self._t).values(
            conversation_key=str(key),
            payload=json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
            created_at=now,
            due_at=now + (delay or dt.timedelta(0)),
            attempts=0,
        )

        def write(conn: Connection) -> int:
            return inserted_id(conn.execute(stmt))

        return await self._writer.run(write)

    async def take_due(
        self,
        limit: int = 100,
        *,
        lease: dt.timedelta = dt.timedelta(seconds=60),
        now: dt.datetime | None = None,
    ) -> list[OutboxItem]:
        """Lease up to ``limit`` due, unsent items (oldest first) to this caller."""
        t = self._t
        at = now or utcnow()
        due = and_(t.c.sent_at.is_(None), t.c.due_at <= at)
        pick = select(t).where(due).order_by(t.c.id).limit(limit).with_for_update(skip_locked=True)

        def write(conn: Connection) -> list[OutboxItem]:
            rows = conn.execute(pick).all()
            if rows:
                ids = [r.id for r in rows]
                conn.execute(
                    update(t)
                    .where(t.c.id.in_(ids), due)
                    .values(due_at=at + lease, attempts=t.c.attempts + 1)
                )
            return [
                OutboxItem(
                    r.id,
                    ConversationKey.parse(r.conversation_key),
                    json.loads(r.payload),
                    r.created_at,
                    r.attempts + 1,
                )
                for r in rows
            ]

        return await self._writer.run(write)

    async def mark_sent(self, ids: Iterable[int]) -> None:
        await self._set(ids, sent_at=utcnow())

    async def retry_later(self, ids: Iterable[int], delay: dt.timedelta) -> None:
        """Give leased items back, due again after ``delay`` (e.g. the channel was down)."""
        await self._set(ids, due_at=utcnow() + delay)

    async def pending(self, key: ConversationKey | None = None) -> int:
        """How many items are not sent yet (for ``key``, or in all)."""
        t = self._t
        stmt = select(func.count()).select_from(t).where(t.c.sent_at.is_(None))
        if key is not None:
            stmt = stmt.where(t.c.conversation_key == str(key))
        return int((await self._read(stmt))[0][0])

    async def prune_sent(
        self, older_than: dt.datetime | dt.timedelta, *, limit: int | None = None
    ) -> int:
        """Delete items sent before ``older_than`` (a time, or an age), the oldest ``limit`` of
        them at most (all when ``None``); returns how many. Unsent items are never touched."""
        cutoff = utcnow() - older_than if isinstance(older_than, dt.timedelta) else older_than
        t = self._t
        old = and_(t.c.sent_at.is_not(None), t.c.sent_at < cutoff)
        if limit is not None:
            old = t.c.id.in_(select(t.c.id).where(old).order_by(t.c.id).limit(limit))
        stmt = delete(t).where(old)

        def write(conn: Connection) -> int:
            return int(conn.execute(stmt).rowcount)

        return await self._writer.run(write)

    async def _set(self, ids: Iterable[int], **values: Any) -> None:
        wanted: Sequence[int] = list(ids)
        if not wanted:
            return
        t = self._t
        stmt = update(t).where(t.c.id.in_(wanted), t.c.sent_at.is_(None)).values(**values)
        await self._writer.run(lambda conn: conn.execute(stmt))

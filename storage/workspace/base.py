"""What the workspace stores share: the write batcher and read worker (shared with the other
bot stores, or their own), an injected clock, and the audit row of a staff action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Table, insert, select
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from states.audit import AuditEntry, StaffNote
from storage.db import Worker
from storage.models import StaffAudit, utcnow
from storage.sessions import Batcher

Clock = Callable[[], dt.datetime]
READ_THREADS = 2


def table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined]


class StoreBase:
    """Writes through a :class:`Batcher` (one transaction each), reads on a :class:`Worker`;
    ``now`` is the clock (virtual in tests). A store that made its own closes them."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        writer: Batcher | None = None,
        reads: Worker | None = None,
        now: Clock = utcnow,
    ) -> None:
        self._engine = engine
        self._own_writer, self._own_reads = writer is None, reads is None
        self._writer = writer or Batcher(engine, write=True)
        self._reads = reads or Worker(engine, threads=READ_THREADS)
        self.now = now
        self._audit = table(StaffAudit)

    async def _read(self, stmt: Any) -> list[Row[Any]]:
        return await self._reads.run(lambda conn: list(conn.execute(stmt).all()))

    def _audited(
        self, conn: Connection, kind: str, subject: str | int, note: StaffNote | None
    ) -> None:
        """Record ``note`` (who did it) in ``staff_audit``, in the caller's transaction."""
        if note is None:
            return
        conn.execute(
            insert(self._audit).values(
                subject_kind=kind,
                subject_id=str(subject)[:64],
                action=note.action[:32],
                actor_id=note.actor_id[:100],
                actor_name=note.actor_name[:100],
                details=note.details[:500],
                at=self.now(),
            )
        )

    async def _trail(self, kind: str, subject: str | int) -> list[AuditEntry]:
        a = self._audit
        stmt = (
            select(a)
            .where(a.c.subject_kind == kind, a.c.subject_id == str(subject))
            .order_by(a.c.id)
        )
        return [
            AuditEntry(r.at, r.action, r.actor_id, r.actor_name, r.details)
            for r in await self._read(stmt)
        ]

    async def close(self) -> None:
        if self._own_writer:
            await self._writer.close()
        if self._own_reads:
            await self._reads.close()

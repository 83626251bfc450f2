"""Housekeeping in the running bot: tables that would only grow are pruned on a schedule.

The update log (ids of handled updates, kept to drop redeliveries) and the outbox's sent
rows (reply texts, prize codes among them) are deleted once older than their retention
(settings ``UPDATE_LOG_RETENTION_HOURS``, ``OUTBOX_RETENTION_HOURS``), and so are updates
stuck in the receive inbox (raw updates, a password typed in chat among them: a handled one
is deleted at once; ``INBOX_RETENTION_HOURS`` bounds one that never is), every
``PRUNE_INTERVAL_MINUTES``. Each delete takes at most ``PRUNE_BATCH`` rows (one short
transaction: customers' turns never wait behind a long delete) and one round takes at most
``max_batches`` of them; what is left goes next round. Deletes are idempotent, so every
replica may run this. Unsent outbox rows are never pruned. After each round ``flush`` (the
app passes ``storage.db.truncate_wal``) empties SQLite's write-ahead log, which otherwise keeps
deleted rows (handled updates: typed passwords) readable in the ``-wal`` file.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from bot.config import Settings

if TYPE_CHECKING:
    from storage.links import Inbox, Outbox, UpdateLog

from storage.models import utcnow

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
Sleep = Callable[[float], Awaitable[Any]]


class Prune(Protocol):
    async def __call__(self, older_than: dt.datetime, *, limit: int | None = None) -> int: ...


@dataclass(frozen=True, slots=True)
class Retention:
    update_log: dt.timedelta
    outbox_sent: dt.timedelta
    interval: dt.timedelta
    batch: int = 1000
    max_batches: int = 100  # per table and round: a backlog is worked off over some rounds
    inbox: dt.timedelta = dt.timedelta(hours=24)  # an update never handled (stuck) is dropped

    @classmethod
    def from_settings(cls, settings: Settings) -> Retention:
        return cls(
            update_log=dt.timedelta(hours=settings.update_log_retention_hours),
            outbox_sent=dt.timedelta(hours=settings.outbox_retention_hours),
            interval=dt.timedelta(minutes=settings.prune_interval_minutes),
            batch=settings.prune_batch,
            inbox=dt.timedelta(hours=settings.inbox_retention_hours),
        )


@dataclass(frozen=True, slots=True)
class Pruned:
    updates: int
    outbox: int
    inbox: int = 0


class Housekeeping:
    """Prunes the update log and sent outbox rows: ``prune_once`` for one round, ``start``
    for a task that runs a round at once and then every ``retention.interval``."""

    def __init__(
        self,
        updates: UpdateLog,
        outbox: Outbox,
        retention: Retention,
        *,
        clock: Clock = utcnow,
        sleep: Sleep = asyncio.sleep,
        flush: Callable[[], Awaitable[Any]] | None = None,
        inbox: Inbox | None = None,
    ) -> None:
        self.flush = flush
        self.updates = updates
        self.outbox = outbox
        self.inbox = inbox  # storage.links.Inbox, or None
        self.retention = retention
        self.clock = clock
        self.sleep = sleep
        self._task: asyncio.Task[None] | None = None

    async def prune_once(self) -> Pruned:
        now = self.clock()
        r = self.retention
        pruned = Pruned(
            updates=await self._drain(self.updates.prune, now - r.update_log),
            outbox=await self._drain(self.outbox.prune_sent, now - r.outbox_sent),
            inbox=await self._drain(self.inbox.prune, now - r.inbox)
            if self.inbox is not None
            else 0,
        )
        if pruned.updates or pruned.outbox:
            log.info(
                "pruned %d handled update ids and %d sent outbox rows",
                pruned.updates,
                pruned.outbox,
            )
        if pruned.inbox:  # counted only: the updates' contents never reach the log
            log.warning("pruned %d stuck updates from the inbox (never handled)", pruned.inbox)
        if self.flush is not None:
            await self.flush()
        return pruned

    async def _drain(self, prune: Prune, cutoff: dt.datetime) -> int:
        total = 0
        for _ in range(self.retention.max_batches):
            deleted = await prune(cutoff, limit=self.retention.batch)
            total += deleted
            if deleted < self.retention.batch:
                break
            await self.sleep(0)  # let waiting turns write between two batches
        return total

    async def run(self) -> None:
        """Rounds forever, ``retention.interval`` apart; a failing round is logged and retried."""
        while True:
            try:
                await self.prune_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("pruning failed; trying again next round")
            await self.sleep(self.retention.interval.total_seconds())

    def start(self) -> asyncio.Task[None]:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self.run(), name="housekeeping")
        return self._task

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


__all__ = ["Housekeeping", "Pruned", "Retention"]

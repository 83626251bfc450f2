"""Message pairs: every relayed message and its copy (a customer's message and the bot's
copy in the topic, or a staff message and the bot's copy to the customer), so an edit on
either side finds the copy to edit. Looked up by (chat, message id) from either side."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Insert, Table, and_, delete, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.workspace.base import StoreBase, table
from storage.workspace.models import WorkspacePair

Direction = Literal["in", "out"]  # in: customer -> staff; out: staff -> customer


@dataclass(frozen=True, slots=True)
class Pair:
    topic_id: int
    direction: Direction
    customer_chat: str
    customer_message: str
    staff_chat: str
    staff_message: str

    def copy_of(self, chat: str, message: str) -> tuple[str, str]:
        """The other side of (``chat``, ``message``): where its copy is."""
        if (chat, message) == (self.customer_chat, self.customer_message):
            return self.staff_chat, self.staff_message
        return self.customer_chat, self.customer_message


class PairStore(StoreBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._p = table(WorkspacePair)

    async def pair(
        self, topic_id: int, direction: Direction, customer: tuple[str, str], staff: tuple[str, str]
    ) -> None:
        """Remember that (chat, message) ``customer`` and ``staff`` are copies of each other."""
        row = {
            "topic_id": topic_id,
            "direction": direction,
            "customer_chat": str(customer[0]),
            "customer_message": str(customer[1]),
            "staff_chat": str(staff[0]),
            "staff_message": str(staff[1]),
            "at": self.now(),
        }
        p = self._p
        # one small insert: inline when the loop is idle, so it is committed before an edit of
        # the message, polled meanwhile, looks for it (short: see storage.batcher.Batcher)
        await self._writer.run(
            lambda conn: conn.execute(_insert_ignoring_any(conn, p), row), short=True
        )

    async def prune(self, older_than: dt.timedelta, *, limit: int = 1000) -> int:
        """Forget the oldest pairs made before ``older_than`` ago (``limit`` at most; returns
        how many): a message that old is not edited any more (housekeeping)."""
        p = self._p
        old = select(p.c.id).where(p.c.at < self.now() - older_than).order_by(p.c.id).limit(limit)
        stmt = delete(p).where(p.c.id.in_(old))
        return await self._writer.run(lambda conn: int(conn.execute(stmt).rowcount))

    async def find_pair(self, chat: str | int, message: str | int) -> Pair | None:
        """The pair (chat, message) is one side of, looked up from either side."""
        p = self._p
        chat, message = str(chat), str(message)
        stmt = select(p).where(
            or_(
                and_(p.c.customer_chat == chat, p.c.customer_message == message),
                and_(p.c.staff_chat == chat, p.c.staff_message == message),
            )
        )
        rows = await self._read(stmt)
        if not rows:
            return None
        r = rows[0]
        return Pair(
            r.topic_id,
            r.direction,
            r.customer_chat,
            r.customer_message,
            r.staff_chat,
            r.staff_message,
        )


def _insert_ignoring_any(conn: Connection, t: Table) -> Insert:
    """INSERT that skips a row clashing with either side's unique pair (a copy recorded
    twice, say after a redelivered update): ON CONFLICT DO NOTHING without a target."""
    name = conn.dialect.name
    if name in ("sqlite", "postgresql"):
        return (sqlite if name == "sqlite" else postgresql).insert(t).on_conflict_do_nothing()
    return insert(t)


__all__ = ["Direction", "Pair", "PairStore"]

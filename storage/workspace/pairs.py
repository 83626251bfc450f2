"""Message pairs: every relayed message and its copy (a customer's message and the bot's
copy in the topic, or a staff message and the bot's copy to the customer), so an edit on
either side finds the copy to edit. Looked up by (chat, message id) from either side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import and_, or_, select

from storage.sessions import insert_ignore
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
        await self._writer.run(
            lambda conn: conn.execute(
                insert_ignore(conn.dialect, p, "customer_chat", "customer_message"), row
            )
        )

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


__all__ = ["Direction", "Pair", "PairStore"]

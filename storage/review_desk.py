"""What the review desk keeps besides its cards (issue 10), all in the database so replicas
and restarts agree (migration ``0013_review_desk``):

- ``review_rooms``: the "Review" topic of a forum staff group, created once (a creation
  lease: whoever takes it creates the topic, the others find its thread next round);
- ``review_prompts``: a staff member asked for a text ("Other" reason, tracking note): their
  next message in that chat and thread answers it (one open question per person and chat);
- ``code_pool_marks``: the last level each promotion's code pool was seen at ("ok", "low",
  "empty"), so a warning goes out once per crossing, not once per claim.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Integer, String, Table, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base
from storage.models import UtcDateTime
from storage.workspace.base import StoreBase, table
from storage.workspace.models import WorkspaceTopic

STALE = dt.timedelta(minutes=2)  # a topic creation that never finished is retaken after this
LEVELS = ("ok", "low", "empty")  # worse to the right


class ReviewRoomRow(Base):
    __tablename__ = "review_rooms"

    room: Mapped[str] = mapped_column(String(64), primary_key=True)
    thread_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    taken_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ReviewPromptRow(Base):
    __tablename__ = "review_prompts"

    room: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    thread_id: Mapped[str] = mapped_column(String(64))  # "" outside a forum topic
    claim_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))
    card_message_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    asked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CodePoolMark(Base):
    __tablename__ = "code_pool_marks"

    promotion: Mapped[str] = mapped_column(String(64), primary_key=True)
    level: Mapped[str] = mapped_column(String(8))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


@dataclass(frozen=True, slots=True)
class Prompt:
    room: str
    user_id: str
    thread_id: str
    claim_id: str
    op: str
    card_message_id: int | None
    asked_at: dt.datetime


class ReviewDeskStore(StoreBase):
    @property
    def _rooms(self) -> Table:
        return table(ReviewRoomRow)

    @property
    def _prompts(self) -> Table:
        return table(ReviewPromptRow)

    @property
    def _marks(self) -> Table:
        return table(CodePoolMark)

    # ------------------------------------------------------------------ the Review topic
    async def thread(self, room: str) -> str | None:
        t = self._rooms
        rows = await self._read(select(t.c.thread_id).where(t.c.room == room))
        return rows[0].thread_id if rows else None

    async def take_room(self, room: str) -> bool:
        """True when this caller is to create the room's topic (nobody has, nobody is)."""
        t, now = self._rooms, self.now()

        def write(conn: Connection) -> bool:
            row = conn.execute(select(t.c.thread_id, t.c.taken_at).where(t.c.room == room)).first()
            if row is None:
                conn.execute(t.insert().values(room=room, thread_id=None, taken_at=now))
                return True
            if row.thread_id is None and row.taken_at < now - STALE:
                conn.execute(update(t).where(t.c.room == room).values(taken_at=now))
                return True
            return False

        return bool(await self._writer.run(write))

    async def room_made(self, room: str, thread_id: int | str) -> None:
        t = self._rooms
        stmt = update(t).where(t.c.room == room).values(thread_id=str(thread_id))
        await self._writer.run(lambda conn: conn.execute(stmt))

    async def room_failed(self, room: str) -> None:
        t = self._rooms
        stmt = delete(t).where(t.c.room == room, t.c.thread_id.is_(None))
        await self._writer.run(lambda conn: conn.execute(stmt))

    async def customer_thread(self, room: str, member_id: str) -> str | None:
        """The thread of the member's own topic in the staff forum (their latest), if any."""
        t = table(WorkspaceTopic)
        stmt = (
            select(t.c.thread_id)
            .where(t.c.room == room, t.c.member_id == member_id, t.c.thread_id.is_not(None))
            .order_by(t.c.created_at.desc())
            .limit(1)
        )
        rows = await self._read(stmt)
        return rows[0].thread_id if rows else None

    # ------------------------------------------------------------------ questions to staff
    async def ask(
        self,
        room: str,
        user_id: str,
        thread_id: str,
        claim_id: str,
        op: str,
        card_message_id: int | None,
    ) -> None:
        """Ask ``user_id`` for a text; replaces an earlier open question of theirs here."""
        t, now = self._prompts, self.now()

        def write(conn: Connection) -> None:
            conn.execute(delete(t).where(t.c.room == room, t.c.user_id == user_id))
            conn.execute(
                t.insert().values(
                    room=room,
                    user_id=user_id,
                    thread_id=thread_id,
                    claim_id=claim_id,
                    op=op,
                    card_message_id=card_message_id,
                    asked_at=now,
                )
            )

        await self._writer.run(write)

    async def pending(self, room: str, user_id: str) -> Prompt | None:
        t = self._prompts
        rows = await self._read(select(t).where(t.c.room == room, t.c.user_id == user_id))
        if not rows:
            return None
        r = rows[0]
        return Prompt(
            r.room, r.user_id, r.thread_id, r.claim_id, r.op, r.card_message_id, r.asked_at
        )

    async def answered(self, prompt: Prompt) -> bool:
        """Take the question away (True for the one caller that did: no double answer)."""
        t = self._prompts
        stmt = delete(t).where(
            t.c.room == prompt.room,
            t.c.user_id == prompt.user_id,
            t.c.claim_id == prompt.claim_id,
            t.c.op == prompt.op,
        )
        result = await self._writer.run(lambda conn: conn.execute(stmt).rowcount)
        return bool(result)

    # ------------------------------------------------------------------ the code pool's level
    async def cross(self, promotion: str, level: str) -> bool:
        """Record the pool's ``level``; True when it is worse than the one recorded before
        (a crossing to warn about, once: of two approvals at once only one sees it)."""
        t, now = self._marks, self.now()

        def write(conn: Connection) -> bool:
            row = conn.execute(select(t.c.level).where(t.c.promotion == promotion)).first()
            before = row.level if row is not None else "ok"
            if row is None:
                conn.execute(t.insert().values(promotion=promotion, level=level, at=now))
            elif before != level:
                conn.execute(
                    update(t).where(t.c.promotion == promotion).values(level=level, at=now)
                )
            return LEVELS.index(level) > LEVELS.index(before)

        return bool(await self._writer.run(write))


__all__ = [
    "LEVELS",
    "CodePoolMark",
    "Prompt",
    "ReviewDeskStore",
    "ReviewPromptRow",
    "ReviewRoomRow",
]

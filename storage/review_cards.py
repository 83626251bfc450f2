"""The review room's cards: one row per claim and try (a resubmission is a new try, so a new
card), taken before the card is sent (two replicas never post one card twice) and marked
with the card's message once it is there. A take whose post never came (the process died)
is taken again after ``STALE``. Migration ``0012_code_pool``.

The room's cursor (``review_cursors``, migration ``0015_review_cursor``): the last entry
into review (``StaffDesk.review_arrivals``) whose card is settled, so a round reads only
what came after it; it only moves forward, whichever replica moves it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Integer, String, Table, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base
from storage.models import UtcDateTime
from storage.workspace.base import StoreBase, table

STALE = dt.timedelta(minutes=5)


class ReviewCard(Base):
    __tablename__ = "review_cards"

    claim_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempt: Mapped[int] = mapped_column(Integer, primary_key=True)
    room: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    taken_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    posted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class ReviewCursor(Base):
    __tablename__ = "review_cursors"

    room: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ReviewCards(StoreBase):
    """Which cards are posted (or being posted)."""

    @property
    def _t(self) -> Table:
        return table(ReviewCard)

    async def known(self, tries: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
        """Of ``tries`` (claim id, attempt), those whose card is posted (one being posted
        is not: ``take`` says whether it is still someone's)."""
        wanted = list(tries)
        ids = sorted({claim for claim, _ in wanted})
        found: set[tuple[str, int]] = set()
        t = self._t
        for start in range(0, len(ids), 500):
            stmt = select(t.c.claim_id, t.c.attempt).where(
                t.c.claim_id.in_(ids[start : start + 500]), t.c.message_id.is_not(None)
            )
            found.update((r.claim_id, r.attempt) for r in await self._read(stmt))
        return found & set(wanted)

    async def take(self, claim_id: str, attempt: int, room: str) -> bool:
        """True when this caller is to post the card (nobody has, nobody is right now)."""
        t, now = self._t, self.now()

        def write(conn: Connection) -> bool:
            row = conn.execute(
                select(t.c.message_id, t.c.taken_at).where(
                    t.c.claim_id == claim_id, t.c.attempt == attempt
                )
            ).first()
            if row is None:
                conn.execute(
                    t.insert().values(claim_id=claim_id, attempt=attempt, room=room, taken_at=now)
                )
                return True
            if row.message_id is None and row.taken_at < now - STALE:
                conn.execute(
                    update(t)
                    .where(t.c.claim_id == claim_id, t.c.attempt == attempt)
                    .values(taken_at=now, room=room)
                )
                return True
            return False

        return bool(await self._writer.run(write))

    async def posted(self, claim_id: str, attempt: int, message_id: int | str) -> None:
        t = self._t
        stmt = (
            update(t)
            .where(t.c.claim_id == claim_id, t.c.attempt == attempt)
            .values(message_id=str(message_id), posted_at=self.now())
        )
        await self._writer.run(lambda conn: conn.execute(stmt))

    async def release(self, claim_id: str, attempt: int) -> None:
        """The card could not be posted: the next round tries again."""
        t = self._t
        stmt = delete(t).where(
            t.c.claim_id == claim_id, t.c.attempt == attempt, t.c.message_id.is_(None)
        )
        await self._writer.run(lambda conn: conn.execute(stmt))

    async def cursor(self, room: str) -> int | None:
        """The last entry into review settled in ``room`` (None: none yet)."""
        c = table(ReviewCursor)
        found = await self._read(select(c.c.seq).where(c.c.room == room))
        return int(found[0].seq) if found else None

    async def advance(self, room: str, seq: int) -> None:
        """Move ``room``'s cursor to ``seq``; never back (a slower replica's older ``seq``
        leaves it where it is)."""
        c, now = table(ReviewCursor), self.now()

        def write(conn: Connection) -> None:
            moved = conn.execute(
                update(c).where(c.c.room == room, c.c.seq < seq).values(seq=seq, at=now)
            )
            if moved.rowcount:
                return
            if conn.execute(select(c.c.seq).where(c.c.room == room)).first() is None:
                conn.execute(c.insert().values(room=room, seq=seq, at=now))

        await self._writer.run(write)

"""The review room's cards: one row per claim and try (a resubmission is a new try, so a new
card), taken before the card is sent (two replicas never post one card twice) and marked
with the card's message once it is there. A take whose post never came (the process died)
is taken again after ``STALE``. Migration ``0012_code_pool``."""

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


class ReviewCards(StoreBase):
    """Which cards are posted (or being posted)."""

    @property
    def _t(self) -> Table:
        return table(ReviewCard)

    async def known(self, tries: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
        """Of ``tries`` (claim id, attempt), those with a card posted or being posted."""
        wanted = list(tries)
        ids = sorted({claim for claim, _ in wanted})
        found: set[tuple[str, int]] = set()
        t = self._t
        for start in range(0, len(ids), 500):
            stmt = select(t.c.claim_id, t.c.attempt).where(
                t.c.claim_id.in_(ids[start : start + 500])
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

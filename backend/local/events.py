"""The claims' outbox: every status change is a ``claim_events`` row. Changes the customer
makes in the conversation (submit, resubmit) are recorded already delivered, because the
conversation answers them at once; staff decisions wait in ``undelivered_events`` until
``mark_delivered``."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from backend.local import rows
from backend.local.context import Context
from backend.port import ClaimEvent, NotFound
from storage.backend_models import ClaimEventRow, ClaimRow

#: how long a replica has to deliver the events it took
LEASE = dt.timedelta(seconds=60)


def event_row(
    claim: ClaimRow, now: dt.datetime, *, delivered: bool = False, staff: str = ""
) -> ClaimEventRow:
    """The event of ``claim``'s current status (``delivered``: the customer saw it already)."""
    return ClaimEventRow(
        id=str(uuid.uuid4()),
        claim_id=claim.id,
        member_id=claim.member_id,
        status=claim.status,
        reason=claim.reason,
        reason_text=claim.reason_text,
        prize_code=claim.prize_code,
        tracking=claim.tracking,
        staff=staff,
        at=now,
        delivered_at=now if delivered else None,
    )


class Events:
    """Lease the undelivered events, confirm the delivered ones."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def undelivered_events(
        self, member_id: str | None = None, limit: int = 100
    ) -> list[ClaimEvent]:
        """Undelivered events, oldest first, each leased to this caller for ``LEASE``: a
        second bot replica asking meanwhile gets others, and an event whose delivery was not
        confirmed (``mark_delivered``) comes back once the lease ends."""
        now = self._ctx.now()
        free = or_(ClaimEventRow.leased_until.is_(None), ClaimEventRow.leased_until < now)
        query = select(ClaimEventRow.seq).where(ClaimEventRow.delivered_at.is_(None), free)
        if member_id is not None:
            query = query.where(ClaimEventRow.member_id == member_id)
        query = query.order_by(ClaimEventRow.seq).limit(max(0, limit))
        token = str(uuid.uuid4())
        # most polls find nothing: ask a reader first
        seqs = await self._ctx.read(lambda s: list(s.scalars(query)))
        if not seqs:
            return []

        def lease(s: Session) -> None:
            # the condition is checked again row by row under the write lock: a row another
            # replica took in between is not ours
            s.execute(
                update(ClaimEventRow)
                .where(ClaimEventRow.seq.in_(seqs), ClaimEventRow.delivered_at.is_(None), free)
                .values(leased_until=now + LEASE, leased_by=token)
                .execution_options(synchronize_session=False)
            )
            s.commit()

        await self._ctx.write(lease)
        mine = (
            select(ClaimEventRow)
            .where(ClaimEventRow.seq.in_(seqs), ClaimEventRow.leased_by == token)
            .order_by(ClaimEventRow.seq)
        )
        return await self._ctx.read(lambda s: [rows.event(r) for r in s.scalars(mine)])

    async def status_history(self, member_id: str, claim_id: str) -> list[ClaimEvent]:
        """The claim's events, oldest first, without prize codes; ``NotFound`` when the claim
        is not the member's."""

        def read(s: Session) -> list[ClaimEvent]:
            claim = s.get(ClaimRow, claim_id)
            if claim is None or claim.member_id != member_id:
                raise NotFound(what="claim", id=claim_id)
            found = s.scalars(
                select(ClaimEventRow)
                .where(ClaimEventRow.claim_id == claim_id)
                .order_by(ClaimEventRow.seq)
            )
            return [replace(rows.event(r), prize_code="") for r in found]

        return await self._ctx.read(read)

    async def mark_delivered(self, event_ids: list[str]) -> None:
        if not event_ids:
            return
        ids = list(dict.fromkeys(event_ids))

        def mark(s: Session) -> None:
            for chunk in chunks(ids, 500):
                s.execute(
                    update(ClaimEventRow)
                    .where(ClaimEventRow.id.in_(chunk), ClaimEventRow.delivered_at.is_(None))
                    .values(delivered_at=self._ctx.now())
                    .execution_options(synchronize_session=False)
                )
            s.commit()

        await self._ctx.write(mark)


def chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]

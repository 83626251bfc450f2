"""The staff desk (``backend.port.StaffDesk``): the review queue and the decisions on a
claim. Each decision is one unit of work: a compare-and-set of the status (only one of two
racing decisions wins), the claim's event for the customer and the audit line."""

from __future__ import annotations

from sqlalchemy import func, select, tuple_, update
from sqlalchemy.orm import Session

from backend.local import audit, rows, serials
from backend.local.context import Context
from backend.local.events import event_row
from backend.local.prize_codes import PrizeCodes, allocate
from backend.local.review import Related, related
from backend.local.validation import invalid
from backend.port import (
    Actor,
    AuditEntry,
    Claim,
    ClaimStatus,
    InvalidTransition,
    PrizeKind,
    RejectReason,
    ReviewArrival,
    SerialConflict,
    SerialDisputed,
    as_actor,
)
from storage.backend_models import ClaimEventRow, ClaimRow, PromotionRow


class LocalStaffDesk:
    """The staff port on the embedded backend's database."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._pool = PrizeCodes(ctx)

    async def review_queue(self, limit: int | None = None, after: str | None = None) -> list[Claim]:
        """Claims waiting for review, oldest first: at most ``limit`` of them, those after
        the claim ``after`` (the last one of the page before: a cursor, so a page costs the
        same at 50,000 waiting as at 10; an unknown cursor gives the first page)."""
        waiting = ClaimRow.status == ClaimStatus.UNDER_REVIEW.value
        order = (ClaimRow.created_at, ClaimRow.id)

        def read(s: Session) -> list[Claim]:
            query = rows.claims_query().where(waiting).order_by(*order)
            mark = s.execute(select(*order).where(ClaimRow.id == after)).first() if after else None
            if mark is not None:
                query = query.where(tuple_(*order) > tuple_(mark[0], mark[1]))
            if limit is not None:
                query = query.limit(max(0, limit))
            return [rows.claim_of(r) for r in s.execute(query)]

        return await self._ctx.read(read)

    async def review_arrivals(self, after: int | None, limit: int) -> list[ReviewArrival]:
        """Entries into review (the claims' *under review* events: a submission, or a
        resubmission after a rejection) after the event ``after``, oldest first, at most
        ``limit``; each with its claim's current try while it still waits. One range read
        on the events' (status, seq) index: the same cost at 50,000 waiting as at 10."""
        entry = ClaimStatus.UNDER_REVIEW.value
        e = ClaimEventRow

        def read(s: Session) -> list[ReviewArrival]:
            start = after
            if start is None:  # the first look: from the oldest entry of a claim still waiting
                first = s.scalar(
                    select(func.min(e.seq))
                    .join(ClaimRow, ClaimRow.id == e.claim_id)
                    .where(e.status == entry, ClaimRow.status == entry)
                )
                if first is None:
                    return []
                start = first - 1
            entries = s.execute(
                select(e.seq, e.claim_id, ClaimRow.attempts, ClaimRow.status)
                .join(ClaimRow, ClaimRow.id == e.claim_id)
                .where(e.status == entry, e.seq > start)
                .order_by(e.seq)
                .limit(max(0, limit))
            ).all()
            return [
                ReviewArrival(r.seq, r.claim_id, r.attempts if r.status == entry else None)
                for r in entries
            ]

        return await self._ctx.read(read)

    async def waiting_count(self, cap: int | None = None) -> int:
        """How many claims wait for review (a count, not the claims); with ``cap``, at most
        ``cap + 1`` of them are counted (``cap + 1``: more than ``cap``), an index range
        that stops there."""
        waiting = ClaimRow.status == ClaimStatus.UNDER_REVIEW.value
        query = select(func.count()).select_from(ClaimRow).where(waiting)
        if cap is not None:  # from the index alone: the status column is in it
            first = select(ClaimRow.status).where(waiting).limit(max(0, cap) + 1)
            query = select(func.count()).select_from(first.subquery())
        return await self._ctx.read(lambda s: int(s.scalar(query) or 0))

    async def claim_ids_starting(self, prefix: str, limit: int = 5) -> list[str]:
        """Ids of claims that start with ``prefix`` (like git's short ids), at most ``limit``."""
        clean = "".join(c for c in prefix.strip().lower() if c.isalnum() or c == "-")
        if not clean:
            return []
        query = (
            select(ClaimRow.id)
            .where(ClaimRow.id.startswith(clean, autoescape=True))
            .order_by(ClaimRow.id)
            .limit(limit)
        )
        return await self._ctx.read(lambda s: list(s.scalars(query)))

    async def find_claim(self, claim_id: str) -> Claim:
        """Any claim by id (staff view; not part of the customer port)."""
        return await self._load(claim_id)

    async def approve(self, claim_id: str, staff: str | Actor) -> Claim:
        await self._ctx.write(lambda s: self._approve(s, claim_id, staff))
        return await self._load(claim_id)

    def _approve(self, s: Session, claim_id: str, staff: str | Actor) -> None:
        row = rows.claim_row(s, claim_id)
        if row.status == ClaimStatus.UNDER_REVIEW.value and serials.disputed_claim(s, row):
            raise SerialDisputed(claim=claim_id)  # never a second prize for one sticker
        if self._kind(s, row) == PrizeKind.DIGITAL.value:
            self._move(s, row, ClaimStatus.UNDER_REVIEW, ClaimStatus.SUCCESS, "approve")
            code = allocate(s, row.promotion, row.id, self._ctx.now())
            if code is None:  # approved, waiting for a code: the next import gives it one
                row.status = ClaimStatus.APPROVED.value
            row.prize_code = code or ""
        else:
            self._move(s, row, ClaimStatus.UNDER_REVIEW, ClaimStatus.APPROVED, "approve")
        self._finish(s, row, staff, "approve", row.status)

    async def reject(
        self, claim_id: str, reason: RejectReason, text: str, staff: str | Actor
    ) -> Claim:
        reason = RejectReason(reason)
        text = (text or "").strip()
        if reason is RejectReason.OTHER and not text:
            raise invalid("text")

        def unit(s: Session) -> None:
            row = rows.claim_row(s, claim_id)
            self._move(s, row, ClaimStatus.UNDER_REVIEW, ClaimStatus.REJECTED, "reject")
            row.reason = reason.value
            row.reason_text = text
            self._finish(s, row, staff, "reject", reason.value)

        await self._ctx.write(unit)
        return await self._load(claim_id)

    async def mark_shipped(self, claim_id: str, staff: str | Actor, tracking: str = "") -> Claim:
        def unit(s: Session) -> None:
            row = rows.claim_row(s, claim_id)
            if self._kind(s, row) == PrizeKind.DIGITAL.value:  # approved, waiting for a code
                raise InvalidTransition(status=row.status, action="ship")
            self._move(s, row, ClaimStatus.APPROVED, ClaimStatus.SHIPPED, "ship")
            row.tracking = (tracking or "").strip()[:200]
            self._finish(s, row, staff, "ship", row.tracking)

        await self._ctx.write(unit)
        return await self._load(claim_id)

    async def record_view(self, claim_id: str, staff: str | Actor) -> None:
        """A staff member was shown the claim with the customer's data (audit trail)."""

        def unit(s: Session) -> None:
            rows.claim_row(s, claim_id)
            s.add(audit.audit("claim", claim_id, "show", staff, "", self._ctx.now()))
            s.commit()

        await self._ctx.write(unit)

    async def claim_history(self, claim_id: str) -> list[AuditEntry]:
        """Who did what to the claim, oldest first."""
        return await self._ctx.read(lambda s: audit.claim_history(s, claim_id))

    async def serial_conflicts(self, limit: int = 100) -> list[SerialConflict]:
        """Recorded serial clashes, newest first (at most ``limit``)."""
        return await self._ctx.read(lambda s: serials.conflicts(s, limit))

    async def _load(self, claim_id: str) -> Claim:
        return await self._ctx.read(lambda s: rows.claim_detail(s, claim_id))

    async def import_codes(
        self, promotion: str, codes: list[str], staff: str | Actor | None = None
    ) -> int:
        """Add codes (deduplicated), then give them to the claims approved while the pool
        was empty, oldest approval first (no claim is lost for lack of codes)."""
        added = await self._pool.import_codes(promotion, codes, staff)
        await self._ctx.write(lambda s: self._serve_waiting(s, promotion, staff))
        return added

    async def related_claims(self, claim_id: str) -> Related:
        """The review card's warnings: same serial, same invoice, the member's other claims."""
        return await self._ctx.read(lambda s: related(s, claim_id))

    async def awaiting_codes(self, promotion: str) -> int:
        """Digital claims of ``promotion`` approved but still waiting for a code."""
        return await self._ctx.read(lambda s: len(self._waiting(s, promotion)))

    def _waiting(self, s: Session, promotion: str) -> list[str]:
        kind = s.scalar(select(PromotionRow.prize_kind).where(PromotionRow.code == promotion))
        if kind != PrizeKind.DIGITAL.value:
            return []
        query = (
            select(ClaimRow.id)
            .where(ClaimRow.promotion == promotion, ClaimRow.status == ClaimStatus.APPROVED.value)
            .where(ClaimRow.prize_code == "")  # an older approved digital claim that has one
            .order_by(ClaimRow.updated_at, ClaimRow.id)
        )
        return list(s.scalars(query))

    def _serve_waiting(self, s: Session, promotion: str, staff: str | Actor | None) -> None:
        for claim_id in self._waiting(s, promotion):
            row = rows.claim_row(s, claim_id)
            code = allocate(s, promotion, row.id, self._ctx.now())
            if code is None:
                break
            self._move(s, row, ClaimStatus.APPROVED, ClaimStatus.SUCCESS, "code")
            row.prize_code = code
            self._finish(s, row, staff or "import", "code", "")  # commits: one claim at a time
        s.commit()

    def _kind(self, s: Session, row: ClaimRow) -> str | None:
        return s.scalar(select(PromotionRow.prize_kind).where(PromotionRow.code == row.promotion))

    async def code_stock(self, promotion: str) -> int:
        return await self._pool.code_stock(promotion)

    def _move(
        self, s: Session, row: ClaimRow, source: ClaimStatus, target: ClaimStatus, action: str
    ) -> None:
        """Compare-and-set the status: only one of two racing staff decisions wins."""
        if row.status != source.value:
            raise InvalidTransition(status=row.status, action=action)
        changed = s.execute(
            update(ClaimRow)
            .where(ClaimRow.id == row.id, ClaimRow.status == source.value)
            .values(status=target.value, updated_at=self._ctx.now())
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            s.rollback()
            raise InvalidTransition(status="changed", action=action)
        row.status = target.value

    def _finish(
        self, s: Session, row: ClaimRow, staff: str | Actor, action: str, details: str
    ) -> None:
        """The claim's event (for the customer) and the audit line (who), one transaction."""
        now = self._ctx.now()
        row.updated_at = now
        s.add(event_row(row, now, staff=as_actor(staff).name[:100]))
        s.add(audit.audit("claim", row.id, action, staff, details, now))
        s.commit()

"""Claims: submit (idempotent per key), list, show. One code per claim and one claim per
product and promotion are the database's unique keys; the per-member limit is re-counted
inside the inserting transaction (the member row locked on PostgreSQL)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.local import findings, rows
from backend.local.accounts import verified_member_in
from backend.local.context import Context
from backend.local.eligibility import already_claimed, check_eligible
from backend.local.events import event_row
from backend.local.validation import idempotency_key, photo_ref, recipient_values
from backend.port import (
    BackendError,
    Claim,
    ClaimRequest,
    ClaimStatus,
    LimitReached,
    NotEligible,
    NotFound,
    Promotion,
)
from storage.backend_models import ClaimRow, IdempotencyRow, MemberRow


def replay(s: Session, member_id: str, key: str, operation: str) -> Claim | None:
    """The claim an already-used idempotency key produced (None if the key is new)."""
    hit = s.get(IdempotencyRow, (member_id, key))
    if hit is None:
        return None
    if hit.operation != operation:
        raise BackendError("error.idempotency_conflict")
    return rows.claim_by_id(s, hit.claim_id)


class Claims:
    """Submit a claim; the member's claims."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def submit_claim(
        self, member_id: str, request: ClaimRequest, idempotency_key_: str
    ) -> Claim:
        key = idempotency_key(idempotency_key_)
        earlier = await self._ctx.read(lambda s: replay(s, member_id, key, "submit"))
        if earlier is not None:
            return earlier
        promotion = self._ctx.catalog.get(request.promotion)
        recipient = recipient_values(request.recipient)
        photo_ref("sn_photo", request.sn_photo)
        try:
            claim_id = await self._ctx.write(
                lambda s: self._insert(s, member_id, promotion, request, recipient, key)
            )
        except (NotEligible, LimitReached):
            # a racing request with this key may have won
            earlier = await self._ctx.write(lambda s: replay(s, member_id, key, "submit"))
            if earlier is None:
                raise
            return earlier
        return await self.load(claim_id)

    def _insert(
        self,
        s: Session,
        member_id: str,
        promotion: Promotion,
        request: ClaimRequest,
        recipient: dict[str, str],
        key: str,
    ) -> str:
        # lock the member row (PostgreSQL) so the per-member limit cannot race
        verified = s.scalar(
            select(MemberRow.email_verified_at).where(MemberRow.id == member_id).with_for_update()
        )
        if verified is None:  # unknown, or nobody proved they own the address yet
            verified_member_in(s, member_id)
        product_row = rows.product_in(s, member_id, request.product_id)
        disputed = product_row.serial_key is None
        now = self._ctx.now()
        check_eligible(s, member_id, promotion, rows.product(product_row), now.date(), disputed)
        row = ClaimRow(
            id=str(uuid.uuid4()),
            member_id=member_id,
            promotion=promotion.code,
            product_id=product_row.id,
            product_name=product_row.product_name,
            serial=product_row.serial,
            sn_photo=request.sn_photo,
            invoice=product_row.invoice,
            status=ClaimStatus.UNDER_REVIEW.value,
            reason=None,
            reason_text="",
            prize_code="",
            tracking="",
            attempts=1,
            idempotency_key=key,
            created_at=now,
            updated_at=now,
            **recipient,
        )
        try:
            s.add(row)
            s.flush()
            s.add(
                IdempotencyRow(
                    member_id=member_id,
                    key=key,
                    operation="submit",
                    claim_id=row.id,
                    created_at=now,
                )
            )
            s.add(event_row(row, now, delivered=True))
            s.flush()
            findings.store(s, row.id, findings.find(s, row, product_row, request.sn_findings), now)
            s.flush()
        except IntegrityError:
            s.rollback()
            return _after_conflict(s, member_id, key, "submit", promotion)
        count = s.scalar(
            select(func.count())
            .select_from(ClaimRow)
            .where(ClaimRow.member_id == member_id, ClaimRow.promotion == promotion.code)
        )
        if (count or 0) > promotion.per_member_limit:
            s.rollback()
            raise LimitReached(limit=promotion.per_member_limit, promotion=promotion.name)
        s.commit()
        return row.id

    async def list_claims(self, member_id: str) -> list[Claim]:
        """The member's claims, newest first."""

        def read(s: Session) -> list[Claim]:
            found = s.execute(
                rows.claims_query()
                .where(ClaimRow.member_id == member_id)
                .order_by(ClaimRow.created_at.desc(), ClaimRow.id.desc())
            ).all()
            if not found:  # none: is there such a member at all? (one query less otherwise)
                rows.member_verified_at(s, member_id)
            return [rows.claim_of(r) for r in found]

        return await self._ctx.read(read)

    async def get_claim(self, member_id: str, claim_id: str) -> Claim:
        claim = await self.load(claim_id)
        if claim.member_id != member_id:
            raise NotFound(what="claim", id=claim_id)
        return claim

    async def load(self, claim_id: str) -> Claim:
        """Any claim by id."""
        return await self._ctx.read(lambda s: rows.claim_by_id(s, claim_id))


def _after_conflict(
    s: Session, member_id: str, key: str, operation: str, promotion: Promotion
) -> str:
    """A unique constraint fired: the same key won a race, or the product was claimed."""
    hit = s.get(IdempotencyRow, (member_id, key))
    if hit is not None and hit.operation == operation:
        return hit.claim_id
    if hit is not None:
        raise BackendError("error.idempotency_conflict")
    raise already_claimed(promotion)

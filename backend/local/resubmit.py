"""A rejected claim sent again with its fixes (idempotent per key): compare-and-set from
*rejected* to *under review*, a re-typed serial checked against every other product's key
and against the product's other claims."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.local import findings, serials
from backend.local.claims import Claims, replay
from backend.local.context import Context
from backend.local.eligibility import disputed_refusal
from backend.local.events import event_row
from backend.local.products import invoice_facts_of
from backend.local.validation import idempotency_key, normalize_serial, photo_ref, recipient_values
from backend.port import (
    BackendError,
    Claim,
    ClaimFix,
    ClaimStatus,
    InvalidTransition,
    NotFound,
    serial_key,
)
from storage.backend_models import ClaimRow, IdempotencyRow, MemberRow, ProductRow


class Resubmits:
    """The port's ``resubmit_claim``."""

    def __init__(self, ctx: Context, claims: Claims) -> None:
        self._ctx = ctx
        self._claims = claims

    async def resubmit_claim(
        self, member_id: str, claim_id: str, fix: ClaimFix, idempotency_key_: str
    ) -> Claim:
        key = idempotency_key(idempotency_key_)
        try:
            await self._ctx.write(lambda s: self._resubmit(s, member_id, claim_id, fix, key))
        except InvalidTransition:
            # a racing request with this key may have won
            earlier = await self._ctx.write(lambda s: replay(s, member_id, key, "resubmit"))
            if earlier is None or earlier.id != claim_id:
                raise
            return earlier
        return await self._claims.load(claim_id)

    def _resubmit(self, s: Session, member_id: str, claim_id: str, fix: ClaimFix, key: str) -> None:
        earlier = replay(s, member_id, key, "resubmit")
        if earlier is not None:
            if earlier.id != claim_id:
                raise BackendError("error.idempotency_conflict")
            return
        # lock the member row (PostgreSQL) as submit_claim does: a re-typed serial checks
        # the product's other claims, which a racing submit must not add meanwhile
        s.execute(select(MemberRow.id).where(MemberRow.id == member_id).with_for_update())
        row = s.get(ClaimRow, claim_id)
        if row is None or row.member_id != member_id:
            raise NotFound(what="claim", id=claim_id)
        if row.status != ClaimStatus.REJECTED.value:
            raise InvalidTransition(status=row.status, action="resubmit")
        values = self._fix_values(s, member_id, row, fix)
        self._apply(s, row, values, key, fix.sn_findings)

    def _fix_values(
        self, s: Session, member_id: str, row: ClaimRow, fix: ClaimFix
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        product: dict[str, Any] = {}
        if fix.invoice is not None:
            values["invoice"] = product["invoice"] = photo_ref("invoice", fix.invoice)
            product |= invoice_facts_of(fix)  # a new invoice: its own check, or none
        if fix.sn_photo is not None:
            values["sn_photo"] = photo_ref("sn_photo", fix.sn_photo)
        if fix.recipient is not None:
            values |= recipient_values(fix.recipient)
        if fix.serial is not None:
            serial = normalize_serial(fix.serial)
            serials.refuse_taken_serial(
                s, member_id, serial, self._ctx.now(), except_product=row.product_id
            )
            serials.refuse_locked_serial(s, row, serial)
            values["serial"] = product["serial"] = serial
            product["serial_key"] = serial_key(serial)
        elif serials.disputed(s, row.product_id):
            raise disputed_refusal(self._ctx.catalog, row.promotion)
        if product:
            s.execute(update(ProductRow).where(ProductRow.id == row.product_id).values(**product))
        return values

    def _apply(
        self,
        s: Session,
        row: ClaimRow,
        values: dict[str, Any],
        key: str,
        sn_findings: tuple[str, ...] = (),
    ) -> None:
        now = self._ctx.now()
        changed = s.execute(
            update(ClaimRow)
            .where(ClaimRow.id == row.id, ClaimRow.status == ClaimStatus.REJECTED.value)
            .values(
                status=ClaimStatus.UNDER_REVIEW.value,
                reason=None,
                reason_text="",
                attempts=ClaimRow.attempts + 1,
                updated_at=now,
                **values,
            )
            # the row in memory takes the new values too (its event below is of them)
            .execution_options(synchronize_session="evaluate")
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            s.rollback()
            raise InvalidTransition(status="under_review", action="resubmit")
        s.add(
            IdempotencyRow(
                member_id=row.member_id,
                key=key,
                operation="resubmit",
                claim_id=row.id,
                created_at=now,
            )
        )
        s.add(event_row(row, now, delivered=True))
        try:
            s.flush()  # a resubmission is checked afresh (backend/local/findings.py)
            product_row = s.get(ProductRow, row.product_id)
            assert product_row is not None
            s.refresh(product_row)
            findings.store(s, row.id, findings.find(s, row, product_row, sn_findings), now)
            s.commit()
        except IntegrityError:
            s.rollback()
            if replay(s, row.member_id, key, "resubmit") is not None:
                return  # the same key won a race: its result stands
            if "serial" in values:  # a racing registration took the re-typed serial's key
                serials.refuse_taken_serial(
                    s,
                    row.member_id,
                    values["serial"],
                    self._ctx.now(),
                    except_product=row.product_id,
                )
            raise

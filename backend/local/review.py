"""What a reviewer should know beside a claim (the review card's warnings): other claims
with the same serial on another product (products already refuse a serial whose key another
owns; this catches a serial re-typed on resubmission) or the same invoice, and the member's other claims. Ids and statuses only, no personal data."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.local import rows
from backend.port import ClaimStatus
from storage.backend_models import ClaimRow

MAX_RELATED = 10  # per list: a card is a glance, not a report


@dataclass(frozen=True, slots=True)
class OtherClaim:
    id: str
    promotion: str
    status: ClaimStatus


@dataclass(frozen=True, slots=True)
class Related:
    same_serial: tuple[OtherClaim, ...] = ()  # another member's or another product's claim
    same_invoice: tuple[OtherClaim, ...] = ()
    member_claims: tuple[OtherClaim, ...] = ()  # the same member's other claims


def _other(row: ClaimRow) -> OtherClaim:
    return OtherClaim(row.id, row.promotion, ClaimStatus(row.status))


def related(s: Session, claim_id: str) -> Related:
    row = rows.claim_row(s, claim_id)
    others = select(ClaimRow).where(ClaimRow.id != row.id).order_by(ClaimRow.created_at)
    serial_like = list(
        s.scalars(
            others.where(
                ClaimRow.serial == row.serial, ClaimRow.product_id != row.product_id
            ).limit(MAX_RELATED)
        )
    )
    invoice = (
        list(s.scalars(others.where(ClaimRow.invoice == row.invoice).limit(MAX_RELATED)))
        if row.invoice
        else []
    )
    mine = s.scalars(others.where(ClaimRow.member_id == row.member_id).limit(MAX_RELATED))
    return Related(
        tuple(_other(r) for r in serial_like),
        tuple(_other(r) for r in invoice),
        tuple(_other(r) for r in mine),
    )

"""Rows <-> the port's domain types, and the plain reads every concern shares (synchronous:
they run inside a unit of work on a :class:`~storage.db.Worker`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any, TypeVar

from sqlalchemy import Row, Select, bindparam, or_, select
from sqlalchemy.orm import Session

from backend.port import (
    Claim,
    ClaimEvent,
    ClaimStatus,
    Member,
    NotFound,
    PrizeKind,
    Product,
    Promotion,
    Recipient,
    RejectReason,
)
from storage.backend_models import (
    ClaimEventRow,
    ClaimRow,
    MemberRow,
    ProductRow,
    PromotionRow,
    SerialConflictRow,
)

T = TypeVar("T")

#: claim statuses with a prize out
PRIZE_OUT = (ClaimStatus.APPROVED.value, ClaimStatus.SUCCESS.value, ClaimStatus.SHIPPED.value)


# --------------------------------------------------------------------------- mapping
def from_row(cls: type[T], row: Any, prefix: str = "") -> T:
    """A domain dataclass from an ORM row whose columns have the same names (after ``prefix``);
    a field with a default and no column (a derived one) keeps its default."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    return cls(
        **{
            f.name: getattr(row, prefix + f.name)
            for f in fields
            if f.default is dataclasses.MISSING or hasattr(row, prefix + f.name)
        }
    )


def member(row: MemberRow) -> Member:
    return from_row(Member, row)


def product(row: ProductRow) -> Product:
    return from_row(Product, row)


def recipient(row: ClaimRow) -> Recipient:
    return from_row(Recipient, row, prefix="rcpt_")


def claim_of(found: Row[ClaimRow, str, str]) -> Claim:
    """A claim from a row of ``claims_query()``."""
    row, promotion_name, prize_kind = found
    return claim(row, promotion_name, prize_kind)


def claim(row: ClaimRow, promotion_name: str, prize_kind: str) -> Claim:
    return Claim(
        id=row.id,
        member_id=row.member_id,
        promotion=row.promotion,
        promotion_name=promotion_name,
        product_id=row.product_id,
        product_name=row.product_name,
        serial=row.serial,
        sn_photo=row.sn_photo,
        invoice=row.invoice,
        recipient=recipient(row),
        status=ClaimStatus(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        reason=RejectReason(row.reason) if row.reason else None,
        reason_text=row.reason_text,
        prize_kind=PrizeKind(prize_kind),
        prize_code=row.prize_code,
        attempts=row.attempts,
        tracking=row.tracking,
    )


def event(row: ClaimEventRow) -> ClaimEvent:
    return ClaimEvent(
        id=row.id,
        claim_id=row.claim_id,
        member_id=row.member_id,
        status=ClaimStatus(row.status),
        at=row.at,
        reason=RejectReason(row.reason) if row.reason else None,
        reason_text=row.reason_text,
        prize_code=row.prize_code,
        tracking=row.tracking,
    )


def promotion_row(p: Promotion, now: dt.datetime) -> PromotionRow:
    return PromotionRow(
        code=p.code,
        name=p.name,
        categories=list(p.categories),
        purchase_from=p.purchase_from,
        purchase_to=p.purchase_to,
        redeem_from=p.redeem_from,
        redeem_to=p.redeem_to,
        regions=list(p.regions),
        models=list(p.models),
        per_member_limit=p.per_member_limit,
        prize_kind=p.prize_kind.value,
        prize_name=p.prize_name,
        activation_help=p.activation_help,
        landing_page=p.landing_page,
        updated_at=now,
    )


def claims_query() -> Select[ClaimRow, str, str]:
    return select(ClaimRow, PromotionRow.name, PromotionRow.prize_kind).join(
        PromotionRow, PromotionRow.code == ClaimRow.promotion
    )


# --------------------------------------------------------------------------- shared reads
def member_in(s: Session, member_id: str) -> MemberRow:
    """The member's row, loaded (for a unit that reads or changes its columns; a unit that
    only needs to know the member exists asks :func:`member_verified_at`)."""
    row = s.get(MemberRow, member_id)
    if row is None:
        raise NotFound(what="member", id=member_id)
    return row


@functools.cache
def _verified_at() -> Select[Any]:
    t = MemberRow.__table__
    return select(t.c.email_verified_at).where(t.c.id == bindparam("id"))


def member_verified_at(s: Session, member_id: str) -> dt.datetime | None:
    """When the member proved their address (None: not yet); ``NotFound`` for no such member.

    One column read on the unit's connection (no ORM row loaded: about 5x cheaper than
    :func:`member_in`, and it runs on most turns of a logged-in customer)."""
    found = s.connection().execute(_verified_at(), {"id": member_id}).first()
    if found is None:
        raise NotFound(what="member", id=member_id)
    verified: dt.datetime | None = found[0]
    return verified


def by_email(s: Session, email: str, canonical: str, *, lock: bool = False) -> MemberRow | None:
    """The member with this address: the exact one first (older members outside the
    uniqueness, see migration 0007), else the one with the same mailbox."""
    query = select(MemberRow).where(
        or_(MemberRow.email == email, MemberRow.email_canonical == canonical)
    )
    if lock:
        query = query.with_for_update()
    found = list(s.scalars(query).all())
    exact = [r for r in found if r.email == email]
    return (exact or found)[0] if found else None


def product_in(s: Session, member_id: str, product_id: str) -> ProductRow:
    row = s.get(ProductRow, product_id)
    if row is None or row.member_id != member_id:
        raise NotFound(what="product", id=product_id)
    return row


def products_of(s: Session, member_id: str) -> list[Product]:
    member_verified_at(s, member_id)  # NotFound for no such member
    rows = s.scalars(
        select(ProductRow)
        .where(ProductRow.member_id == member_id)
        .order_by(ProductRow.registered_at, ProductRow.id)
    )
    return [product(r) for r in rows]


def claim_by_id(s: Session, claim_id: str) -> Claim:
    found = s.execute(claims_query().where(ClaimRow.id == claim_id)).first()
    if found is None:
        raise NotFound(what="claim", id=claim_id)
    return claim_of(found)


def claim_detail(s: Session, claim_id: str) -> Claim:
    """One claim with its findings, for staff only (they name other members' claims)."""
    from backend.local import findings  # it reads rows of its own; imported where used

    return dataclasses.replace(claim_by_id(s, claim_id), findings=findings.load(s, claim_id))


def claim_row(s: Session, claim_id: str) -> ClaimRow:
    row = s.get(ClaimRow, claim_id)
    if row is None:
        raise NotFound(what="claim", id=claim_id)
    return row


def disputed_in(s: Session, member_id: str) -> set[str]:
    """Ids of the member's products without a serial key (a later duplicate: not redeemable)."""
    query = select(ProductRow.id).where(
        ProductRow.member_id == member_id, ProductRow.serial_key.is_(None)
    )
    return set(s.scalars(query))


def won_by_duplicates() -> Select[str, str]:
    """(promotion, key owner's product id) for each prize out on a later duplicate of the
    owner's serial (found by migration 0005): that sticker has won that promotion already."""
    return (
        select(ClaimRow.promotion, SerialConflictRow.product_id)
        .join(ClaimRow, ClaimRow.product_id == SerialConflictRow.other_product_id)
        .where(SerialConflictRow.origin == "migration", ClaimRow.status.in_(PRIZE_OUT))
    )


def claimed_in(s: Session, member_id: str) -> dict[str, set[str]]:
    """Per promotion code: ids of the member's products with a claim (any status), or whose
    sticker won it under another spelling before serial keys existed."""
    rows = s.execute(
        select(ClaimRow.promotion, ClaimRow.product_id).where(ClaimRow.member_id == member_id)
    )
    won = s.execute(won_by_duplicates().where(SerialConflictRow.owner_member_id == member_id))
    claimed: dict[str, set[str]] = {}
    for promotion, product_id in [*rows, *won]:
        claimed.setdefault(promotion, set()).add(product_id)
    return claimed

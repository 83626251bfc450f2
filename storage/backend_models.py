"""Tables of the embedded redemption backend (``backend.local``).

These stand in for the vendor's own system: members, registered products, the
promotion catalog, claims with their status history (an outbox of events for the
conversation), prize-code pools and idempotency keys. Constraint names are explicit
so the migration (``versions/0002_backend_tables.py``) matches them exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base
from storage.models import UtcDateTime

ID = String(36)  # uuid4 as text


class MemberRow(Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("email", name="uq_members_email"),
        Index("uq_members_email_canonical", "email_canonical", unique=True),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))  # stored lower-cased
    # the address as a mailbox: no +tag, no dots where the provider ignores them (migration
    # 0007 fills it; NULL only for older members whose address collided, see its report)
    email_canonical: Mapped[str | None] = mapped_column(String(320), nullable=True)
    email_verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    newsletter: Mapped[bool] = mapped_column(Boolean, default=False)
    reward_program: Mapped[bool] = mapped_column(Boolean, default=False)
    privacy_consent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class EmailCodeRow(Base):
    """A one-time code sent by email (sign-up or reset); only its keyed digest is kept."""

    __tablename__ = "email_codes"
    __table_args__ = (Index("ix_email_codes_member_id", "member_id"),)

    id: Mapped[str] = mapped_column(
        ID, primary_key=True
    )  # random: the handle codes are typed against
    member_id: Mapped[str] = mapped_column(
        ID, ForeignKey("members.id", name="fk_email_codes_member_id")
    )
    purpose: Mapped[str] = mapped_column(String(16))
    code_digest: Mapped[str] = mapped_column(String(64), default="")  # "" = no live code
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    failed_tries: Mapped[int] = mapped_column(Integer, default=0)
    sends: Mapped[int] = mapped_column(Integer, default=0)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    dead: Mapped[bool] = mapped_column(Boolean, default=False)  # used, replaced or exhausted


class ProductRow(Base):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("serial", name="uq_products_serial"),
        # a member's products in registration order, a page at a time (0014)
        Index("ix_products_member_registered", "member_id", "registered_at", "id"),
        # one physical product, one registration: the key folds confusable spellings
        Index("ux_products_serial_key", "serial_key", unique=True),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    member_id: Mapped[str] = mapped_column(
        ID, ForeignKey("members.id", name="fk_products_member_id")
    )
    category: Mapped[str] = mapped_column(String(60))
    product_name: Mapped[str] = mapped_column(String(200))
    model: Mapped[str] = mapped_column(String(200))
    serial: Mapped[str] = mapped_column(String(64))  # stored upper-cased, trimmed
    # backend.port.serial_key(serial); NULL only for a later duplicate found by migration
    # 0005 (kept for its history, not redeemable, reported in serial_conflicts)
    serial_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    chk: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(100))
    store: Mapped[str] = mapped_column(String(200))
    purchase_date: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20))
    invoice: Mapped[str] = mapped_column(String(200))  # media ref
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # the invoice pre-check (issue 12): NULL when none ran; else {"checked", "findings"}
    invoice_check: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, default=None)
    invoice_key: Mapped[str | None] = mapped_column(
        String(200), nullable=True, default=None, index=True
    )


class SerialConflictRow(Base):
    """A serial whose key another product owns was tried (or found twice by migration 0005):
    for staff to look at. ``product_id`` is the owner's product; ``other_product_id`` the
    product that was being changed (resubmit) or the later duplicate (migration)."""

    __tablename__ = "serial_conflicts"
    # eligibility reads a key owner's migration conflicts (promotions its duplicates won)
    __table_args__ = (
        Index("ix_serial_conflicts_origin_owner", "origin", "owner_member_id"),
        Index("ix_serial_conflicts_at", "at", "id"),  # the newest first (review list, 0014)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    serial: Mapped[str] = mapped_column(String(64), index=True)
    member_id: Mapped[str] = mapped_column(
        ID, ForeignKey("members.id", name="fk_serial_conflicts_member_id")
    )
    owner_member_id: Mapped[str] = mapped_column(ID)
    product_id: Mapped[str] = mapped_column(ID)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    origin: Mapped[str] = mapped_column(String(20), default="register", server_default="register")
    other_product_id: Mapped[str | None] = mapped_column(ID, nullable=True)


class PromotionRow(Base):
    """A copy of the catalog file (upserted by code at start); claims refer to it."""

    __tablename__ = "promotions"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    categories: Mapped[list[str]] = mapped_column(JSON)
    purchase_from: Mapped[dt.date] = mapped_column(Date)
    purchase_to: Mapped[dt.date] = mapped_column(Date)
    redeem_from: Mapped[dt.date] = mapped_column(Date)
    redeem_to: Mapped[dt.date] = mapped_column(Date)
    regions: Mapped[list[str]] = mapped_column(JSON)
    models: Mapped[list[str]] = mapped_column(JSON)
    per_member_limit: Mapped[int] = mapped_column(Integer)
    prize_kind: Mapped[str] = mapped_column(String(20))
    prize_name: Mapped[str] = mapped_column(String(200), default="")
    activation_help: Mapped[str] = mapped_column(Text, default="")
    landing_page: Mapped[str] = mapped_column(String(500), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ClaimRow(Base):
    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("member_id", "idempotency_key", name="uq_claims_idempotency_key"),
        UniqueConstraint("promotion", "product_id", name="uq_claims_promotion_product"),
        # a member's claims newest first, a page at a time (0014)
        Index("ix_claims_member_created", "member_id", "created_at", "id"),
        # a member's claims per promotion, from the index alone (eligibility, 0014)
        Index("ix_claims_member_promotion", "member_id", "promotion", "product_id"),
        # the review queue, a page at a time in (created_at, id) order (0016)
        Index("ix_claims_status_created_id", "status", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    member_id: Mapped[str] = mapped_column(ID, ForeignKey("members.id", name="fk_claims_member_id"))
    promotion: Mapped[str] = mapped_column(
        String(60), ForeignKey("promotions.code", name="fk_claims_promotion")
    )
    product_id: Mapped[str] = mapped_column(
        ID, ForeignKey("products.id", name="fk_claims_product_id")
    )
    product_name: Mapped[str] = mapped_column(String(200))  # snapshot
    serial: Mapped[str] = mapped_column(String(64))  # snapshot
    sn_photo: Mapped[str] = mapped_column(String(200))  # media ref
    invoice: Mapped[str] = mapped_column(String(200))  # media ref snapshot
    rcpt_first_name: Mapped[str] = mapped_column(String(100))
    rcpt_last_name: Mapped[str] = mapped_column(String(100))
    rcpt_zip: Mapped[str] = mapped_column(String(20))
    rcpt_city: Mapped[str] = mapped_column(String(100))
    rcpt_state: Mapped[str] = mapped_column(String(100))
    rcpt_street: Mapped[str] = mapped_column(String(200))
    rcpt_unit: Mapped[str] = mapped_column(String(100))
    rcpt_phone: Mapped[str] = mapped_column(String(40))
    rcpt_note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reason_text: Mapped[str] = mapped_column(Text, default="")
    prize_code: Mapped[str] = mapped_column(String(200), default="")
    tracking: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ClaimEventRow(Base):
    """Every status change of a claim (its history) and the outbox for the conversation."""

    __tablename__ = "claim_events"
    __table_args__ = (
        UniqueConstraint("id", name="uq_claim_events_id"),
        Index("ix_claim_events_claim_id", "claim_id"),
        Index("ix_claim_events_undelivered", "delivered_at", "member_id"),
        Index("ix_claim_events_status_seq", "status", "seq"),  # entries into review, in order
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(ID)
    claim_id: Mapped[str] = mapped_column(
        ID, ForeignKey("claims.id", name="fk_claim_events_claim_id")
    )
    member_id: Mapped[str] = mapped_column(ID)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reason_text: Mapped[str] = mapped_column(Text, default="")
    prize_code: Mapped[str] = mapped_column(String(200), default="")
    tracking: Mapped[str] = mapped_column(String(200), default="")
    staff: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # taken by one bot replica for delivery until then (at-least-once, never twice at once)
    leased_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    leased_by: Mapped[str | None] = mapped_column(String(36), nullable=True)


class PrizeCodeRow(Base):
    __tablename__ = "prize_codes"
    __table_args__ = (
        UniqueConstraint("code", name="uq_prize_codes_code"),
        UniqueConstraint("claim_id", name="uq_prize_codes_claim_id"),
        Index("ix_prize_codes_free", "promotion", "claim_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    promotion: Mapped[str] = mapped_column(
        String(60), ForeignKey("promotions.code", name="fk_prize_codes_promotion")
    )
    code: Mapped[str] = mapped_column(String(200))
    claim_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("claims.id", name="fk_prize_codes_claim_id"), nullable=True
    )
    allocated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class IdempotencyRow(Base):
    """An idempotency key a member used, and the claim it produced (submit or resubmit)."""

    __tablename__ = "idempotency_keys"

    member_id: Mapped[str] = mapped_column(ID, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    operation: Mapped[str] = mapped_column(String(20))  # "submit" | "resubmit"
    claim_id: Mapped[str] = mapped_column(
        ID, ForeignKey("claims.id", name="fk_idempotency_keys_claim_id")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


BACKEND_TABLES = (
    "members",
    "products",
    "serial_conflicts",
    "promotions",
    "claims",
    "claim_events",
    "prize_codes",
    "idempotency_keys",
    "email_codes",
)


class ClaimFindingRow(Base):
    """What staff should know about a claim, found when it was submitted (issue 12): the
    pre-checks' findings, duplicates (with the other claim's id), the member's other claims,
    the same address or phone on other members' claims. See backend/local/findings.py."""

    __tablename__ = "claim_findings"
    __table_args__ = (Index("ix_claim_findings_claim_id", "claim_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    claim_id: Mapped[str] = mapped_column(
        ID, ForeignKey("claims.id", name="fk_claim_findings_claim_id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String(40))
    other_claim: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())

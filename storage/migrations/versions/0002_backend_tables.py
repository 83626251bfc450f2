"""Embedded backend tables: members, products, promotions, claims, events, codes, keys.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-01

Hand-written and portable (SQLite and PostgreSQL); constraint and index names match
``storage.backend_models`` exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(36)


def _members() -> None:
    op.create_table(
        "members",
        sa.Column("id", ID, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("newsletter", sa.Boolean(), nullable=False),
        sa.Column("reward_program", sa.Boolean(), nullable=False),
        sa.Column("privacy_consent_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UtcDateTime(), nullable=True),
        sa.UniqueConstraint("email", name="uq_members_email"),
    )


def _products() -> None:
    op.create_table(
        "products",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "member_id",
            ID,
            sa.ForeignKey("members.id", name="fk_products_member_id"),
            nullable=False,
        ),
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("serial", sa.String(64), nullable=False),
        sa.Column("chk", sa.String(16), nullable=False),
        sa.Column("region", sa.String(100), nullable=False),
        sa.Column("store", sa.String(200), nullable=False),
        sa.Column("purchase_date", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("invoice", sa.String(200), nullable=False),
        sa.Column("registered_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("serial", name="uq_products_serial"),
    )
    op.create_index("ix_products_member_id", "products", ["member_id"])

    op.create_table(
        "serial_conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("serial", sa.String(64), nullable=False),
        sa.Column(
            "member_id",
            ID,
            sa.ForeignKey("members.id", name="fk_serial_conflicts_member_id"),
            nullable=False,
        ),
        sa.Column("owner_member_id", ID, nullable=False),
        sa.Column("product_id", ID, nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_serial_conflicts_serial", "serial_conflicts", ["serial"])


def _promotions() -> None:
    op.create_table(
        "promotions",
        sa.Column("code", sa.String(60), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("purchase_from", sa.Date(), nullable=False),
        sa.Column("purchase_to", sa.Date(), nullable=False),
        sa.Column("redeem_from", sa.Date(), nullable=False),
        sa.Column("redeem_to", sa.Date(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("per_member_limit", sa.Integer(), nullable=False),
        sa.Column("prize_kind", sa.String(20), nullable=False),
        sa.Column("prize_name", sa.String(200), nullable=False),
        sa.Column("activation_help", sa.Text(), nullable=False),
        sa.Column("landing_page", sa.String(500), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


def _claims() -> None:
    op.create_table(
        "claims",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "member_id", ID, sa.ForeignKey("members.id", name="fk_claims_member_id"), nullable=False
        ),
        sa.Column(
            "promotion",
            sa.String(60),
            sa.ForeignKey("promotions.code", name="fk_claims_promotion"),
            nullable=False,
        ),
        sa.Column(
            "product_id",
            ID,
            sa.ForeignKey("products.id", name="fk_claims_product_id"),
            nullable=False,
        ),
        sa.Column("product_name", sa.String(200), nullable=False),
        sa.Column("serial", sa.String(64), nullable=False),
        sa.Column("sn_photo", sa.String(200), nullable=False),
        sa.Column("invoice", sa.String(200), nullable=False),
        sa.Column("rcpt_first_name", sa.String(100), nullable=False),
        sa.Column("rcpt_last_name", sa.String(100), nullable=False),
        sa.Column("rcpt_zip", sa.String(20), nullable=False),
        sa.Column("rcpt_city", sa.String(100), nullable=False),
        sa.Column("rcpt_state", sa.String(100), nullable=False),
        sa.Column("rcpt_street", sa.String(200), nullable=False),
        sa.Column("rcpt_unit", sa.String(100), nullable=False),
        sa.Column("rcpt_phone", sa.String(40), nullable=False),
        sa.Column("rcpt_note", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(40), nullable=True),
        sa.Column("reason_text", sa.Text(), nullable=False),
        sa.Column("prize_code", sa.String(200), nullable=False),
        sa.Column("tracking", sa.String(200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("member_id", "idempotency_key", name="uq_claims_idempotency_key"),
        sa.UniqueConstraint("promotion", "product_id", name="uq_claims_promotion_product"),
    )
    op.create_index("ix_claims_member_id", "claims", ["member_id"])
    op.create_index("ix_claims_status_created", "claims", ["status", "created_at"])


def _claim_events() -> None:
    op.create_table(
        "claim_events",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", ID, nullable=False),
        sa.Column(
            "claim_id",
            ID,
            sa.ForeignKey("claims.id", name="fk_claim_events_claim_id"),
            nullable=False,
        ),
        sa.Column("member_id", ID, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(40), nullable=True),
        sa.Column("reason_text", sa.Text(), nullable=False),
        sa.Column("prize_code", sa.String(200), nullable=False),
        sa.Column("tracking", sa.String(200), nullable=False),
        sa.Column("staff", sa.String(100), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.UniqueConstraint("id", name="uq_claim_events_id"),
    )
    op.create_index("ix_claim_events_claim_id", "claim_events", ["claim_id"])
    op.create_index("ix_claim_events_undelivered", "claim_events", ["delivered_at", "member_id"])


def _codes_and_keys() -> None:
    op.create_table(
        "prize_codes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "promotion",
            sa.String(60),
            sa.ForeignKey("promotions.code", name="fk_prize_codes_promotion"),
            nullable=False,
        ),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column(
            "claim_id",
            ID,
            sa.ForeignKey("claims.id", name="fk_prize_codes_claim_id"),
            nullable=True,
        ),
        sa.Column("allocated_at", UtcDateTime(), nullable=True),
        sa.UniqueConstraint("code", name="uq_prize_codes_code"),
        sa.UniqueConstraint("claim_id", name="uq_prize_codes_claim_id"),
    )
    op.create_index("ix_prize_codes_free", "prize_codes", ["promotion", "claim_id"])

    op.create_table(
        "idempotency_keys",
        sa.Column("member_id", ID, primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("operation", sa.String(20), nullable=False),
        sa.Column(
            "claim_id",
            ID,
            sa.ForeignKey("claims.id", name="fk_idempotency_keys_claim_id"),
            nullable=False,
        ),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )


def upgrade() -> None:
    _members()
    _products()
    _promotions()
    _claims()
    _claim_events()
    _codes_and_keys()


def downgrade() -> None:
    for table in (
        "idempotency_keys",
        "prize_codes",
        "claim_events",
        "claims",
        "promotions",
        "serial_conflicts",
        "products",
        "members",
    ):
        op.drop_table(table)

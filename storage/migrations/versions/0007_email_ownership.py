"""Members prove they own their email: a normalised address (unique) and one-time codes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Adds ``members.email_canonical`` (the address as a mailbox: lower case, no ``+tag``, no
dots for Gmail) with a unique constraint, ``members.email_verified_at`` and the
``email_codes`` table. Existing members count as verified (they have history; an owner
locked out by a squatter takes the address back by "Forgot your password?"). Existing
members whose addresses are one mailbox keep their accounts: the oldest gets the
normalised address, the later ones NULL (outside the uniqueness), and the migration
reports how many and their member ids (never the addresses) for staff to review; it
never fails on them.

The normalisation is frozen here (a migration must not change when the code does): the
default rules of ``backend.local.EmailRules``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(36)
log = logging.getLogger("redeem_bot.migrations")
DOTLESS = {"gmail.com"}
ALIASES = {"googlemail.com": "gmail.com"}


def canonical(email: str) -> str:
    local, _, domain = email.strip().lower().rpartition("@")
    domain = ALIASES.get(domain, domain)
    local = local.split("+", 1)[0]
    if domain in DOTLESS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def _fill() -> list[str]:
    """Fill the normalised address, oldest member first; the later duplicates' ids."""
    conn = op.get_bind()
    members = sa.table(
        "members",
        sa.column("id", sa.String),
        sa.column("email", sa.String),
        sa.column("created_at", UtcDateTime()),
        sa.column("email_canonical", sa.String),
        sa.column("email_verified_at", UtcDateTime()),
    )
    seen: set[str] = set()
    duplicates: list[str] = []
    rows = conn.execute(
        sa.select(members.c.id, members.c.email).order_by(members.c.created_at, members.c.id)
    )
    for member_id, email in rows.all():
        value = canonical(email)
        if value in seen:
            duplicates.append(member_id)
            continue
        seen.add(value)
        conn.execute(
            members.update().where(members.c.id == member_id).values(email_canonical=value)
        )
    conn.execute(members.update().values(email_verified_at=members.c.created_at))
    return duplicates


def upgrade() -> None:
    # plain ALTERs and a unique index: a batch (copy-and-drop) of ``members`` would fail on
    # SQLite once products and claims refer to it
    op.add_column("members", sa.Column("email_canonical", sa.String(320), nullable=True))
    op.add_column("members", sa.Column("email_verified_at", UtcDateTime(), nullable=True))
    duplicates = _fill()
    if duplicates:
        message = (
            f"migration 0007: {len(duplicates)} member(s) share a mailbox with an older member "
            f"(plus-addressing or dots); kept, outside the uniqueness, for staff to review: "
            + ", ".join(duplicates)
        )
        log.warning(message)
        print(message)  # noqa: T201 - shown to whoever runs the upgrade
    op.create_index("uq_members_email_canonical", "members", ["email_canonical"], unique=True)
    op.create_table(
        "email_codes",
        sa.Column("id", ID, primary_key=True),
        sa.Column(
            "member_id",
            ID,
            sa.ForeignKey("members.id", name="fk_email_codes_member_id"),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("code_digest", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("failed_tries", sa.Integer(), nullable=False),
        sa.Column("sends", sa.Integer(), nullable=False),
        sa.Column("verified_at", UtcDateTime(), nullable=True),
        sa.Column("dead", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_email_codes_member_id", "email_codes", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_email_codes_member_id", table_name="email_codes")
    op.drop_table("email_codes")
    op.drop_index("uq_members_email_canonical", table_name="members")
    op.drop_column("members", "email_verified_at")
    op.drop_column("members", "email_canonical")

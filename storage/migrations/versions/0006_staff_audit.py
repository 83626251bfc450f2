"""Staff authority: who did what (``staff_audit``) and which staff-chat messages are the bot's
forwards of a customer's support message (``staff_forwards``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_audit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor_id", sa.String(100), nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_staff_audit_subject", "staff_audit", ["subject_kind", "subject_id"])
    op.create_table(
        "staff_forwards",
        sa.Column("room", sa.String(64), primary_key=True),
        sa.Column("message_id", sa.BigInteger(), primary_key=True),
        sa.Column(
            "ticket_id",
            sa.Integer(),
            sa.ForeignKey("support_tickets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_staff_forwards_ticket_id", "staff_forwards", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_staff_forwards_ticket_id", table_name="staff_forwards")
    op.drop_table("staff_forwards")
    op.drop_index("ix_staff_audit_subject", table_name="staff_audit")
    op.drop_table("staff_audit")

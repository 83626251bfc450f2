"""Bot tables: conversations, chat links, processed updates, support, outbox.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Hand-written and portable (SQLite and PostgreSQL): explicit types, no dialect SQL
except the partial unique index, which both backends support.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = sa.String(200)
MEMBER = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("key", KEY, primary_key=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(64), nullable=False),
        sa.Column("member_id", MEMBER, nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_conversations_member_id", "conversations", ["member_id"])

    op.create_table(
        "chat_links",
        sa.Column("conversation_key", KEY, primary_key=True),
        sa.Column("member_id", MEMBER, nullable=True),
        sa.Column("blocked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("locale", sa.String(16), nullable=False, server_default="en"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_chat_links_member_id", "chat_links", ["member_id"])

    op.create_table(
        "processed_updates",
        sa.Column("channel", sa.String(32), primary_key=True),
        sa.Column("update_id", sa.String(64), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_processed_updates_seen_at", "processed_updates", ["seen_at"])

    op.create_table(
        "support_tickets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_key", KEY, nullable=False),
        sa.Column("member_id", MEMBER, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_support_tickets_conversation_key", "support_tickets", ["conversation_key"])
    op.create_index("ix_support_tickets_member_id", "support_tickets", ["member_id"])
    op.create_index("ix_support_tickets_status", "support_tickets", ["status"])
    op.create_index(
        "uq_support_tickets_open_key",
        "support_tickets",
        ["conversation_key"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )

    op.create_table(
        "support_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "ticket_id",
            sa.Integer(),
            sa.ForeignKey("support_tickets.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("sender", sa.String(16), nullable=False),
        sa.Column("staff_name", sa.String(100), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("media_ref", sa.String(255), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_support_messages_ticket_id", "support_messages", ["ticket_id"])
    op.create_index("ix_support_messages_pending", "support_messages", ["sender", "delivered"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("conversation_key", KEY, nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_conversation_key", "outbox", ["conversation_key"])
    op.create_index("ix_outbox_due", "outbox", ["sent_at", "due_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("support_messages")
    op.drop_table("support_tickets")
    op.drop_table("processed_updates")
    op.drop_table("chat_links")
    op.drop_table("conversations")

"""The staff workspace: a topic per customer, message pairs, waits, closings with ratings, the
FAQ in the database (entries, texts, ways of asking) and saved replies.

Revision ID: 0009_workspace
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0009_workspace"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _topic_fk() -> sa.ForeignKey:
    return sa.ForeignKey("workspace_topics.id", ondelete="CASCADE")


def _entry_fk() -> sa.ForeignKey:
    return sa.ForeignKey("faq_entries.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "workspace_topics",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("customer_key", sa.String(200), nullable=False, unique=True),
        sa.Column("member_id", sa.String(64), nullable=True),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("room", sa.String(64), nullable=False),
        sa.Column("thread_id", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("lease_token", sa.String(36), nullable=True),
        sa.Column("lease_until", UtcDateTime(), nullable=True),
        sa.Column("assignee_id", sa.String(100), nullable=True),
        sa.Column("assignee_name", sa.String(100), nullable=True),
        sa.Column("banned", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("ban_told", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("last_question", sa.Text(), nullable=False, server_default=""),
        sa.Column("last_answer", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("room", "thread_id", name="uq_workspace_topics_thread"),
    )
    op.create_table(
        "workspace_pairs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("topic_id", sa.Integer(), _topic_fk(), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("customer_chat", sa.String(64), nullable=False),
        sa.Column("customer_message", sa.String(64), nullable=False),
        sa.Column("staff_chat", sa.String(64), nullable=False),
        sa.Column("staff_message", sa.String(64), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint(
            "customer_chat", "customer_message", name="uq_workspace_pairs_customer"
        ),
        sa.UniqueConstraint("staff_chat", "staff_message", name="uq_workspace_pairs_staff"),
    )
    op.create_index("ix_workspace_pairs_topic_id", "workspace_pairs", ["topic_id"])
    op.create_table(
        "workspace_waits",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("topic_id", sa.Integer(), _topic_fk(), nullable=False),
        sa.Column("asked_at", UtcDateTime(), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.Column("reminded_at", UtcDateTime(), nullable=True),
    )
    op.create_index(
        "uq_workspace_waits_open",
        "workspace_waits",
        ["topic_id"],
        unique=True,
        sqlite_where=sa.text("answered_at IS NULL"),
        postgresql_where=sa.text("answered_at IS NULL"),
    )
    op.create_index("ix_workspace_waits_asked", "workspace_waits", ["answered_at", "asked_at"])
    op.create_table(
        "workspace_closings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("topic_id", sa.Integer(), _topic_fk(), nullable=False),
        sa.Column("closed_at", UtcDateTime(), nullable=False),
        sa.Column("closed_by", sa.String(100), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rated_at", UtcDateTime(), nullable=True),
    )
    op.create_index("ix_workspace_closings_topic_id", "workspace_closings", ["topic_id"])
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "faq_texts",
        sa.Column("entry_id", sa.Integer(), _entry_fk(), primary_key=True),
        sa.Column("locale", sa.String(16), primary_key=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
    )
    op.create_table(
        "faq_phrasings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.Integer(), _entry_fk(), nullable=False),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("normalized", sa.String(500), nullable=False),
        sa.Column("added_by", sa.String(100), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("entry_id", "normalized", name="uq_faq_phrasings_text"),
    )
    op.create_index("ix_faq_phrasings_entry_id", "faq_phrasings", ["entry_id"])
    op.create_table(
        "saved_replies",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("saved_replies")
    op.drop_index("ix_faq_phrasings_entry_id", table_name="faq_phrasings")
    op.drop_table("faq_phrasings")
    op.drop_table("faq_texts")
    op.drop_table("faq_entries")
    op.drop_index("ix_workspace_closings_topic_id", table_name="workspace_closings")
    op.drop_table("workspace_closings")
    op.drop_index("ix_workspace_waits_asked", table_name="workspace_waits")
    op.drop_index("uq_workspace_waits_open", table_name="workspace_waits")
    op.drop_table("workspace_waits")
    op.drop_index("ix_workspace_pairs_topic_id", table_name="workspace_pairs")
    op.drop_table("workspace_pairs")
    op.drop_table("workspace_topics")

"""The review desk's Review topic (created once), staff's open questions (an "Other" reason,
a tracking note) and the code pool's last seen level (a warning once per crossing).

Revision ID: 0013_review_desk
Revises: 0012_code_pool
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0013_review_desk"
down_revision: str | Sequence[str] | None = "0012_code_pool"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_rooms",
        sa.Column("room", sa.String(64), primary_key=True),
        sa.Column("thread_id", sa.String(64), nullable=True),
        sa.Column("taken_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "review_prompts",
        sa.Column("room", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("thread_id", sa.String(64), nullable=False),
        sa.Column("claim_id", sa.String(64), nullable=False),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column("card_message_id", sa.Integer(), nullable=True),
        sa.Column("asked_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "code_pool_marks",
        sa.Column("promotion", sa.String(64), primary_key=True),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("code_pool_marks")
    op.drop_table("review_prompts")
    op.drop_table("review_rooms")

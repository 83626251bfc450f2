"""The review desk as cards: which claim (and which try of it) has its card in which review
room, and the card's message (so a resubmission gets a new card, and nothing is posted twice).

Revision ID: 0012_code_pool
Revises: 0011_member_locale
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0012_code_pool"
down_revision: str | Sequence[str] | None = "0011_member_locale"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_cards",
        sa.Column("claim_id", sa.String(64), primary_key=True),
        sa.Column("attempt", sa.Integer(), primary_key=True),
        sa.Column("room", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=True),
        sa.Column("taken_at", UtcDateTime(), nullable=False),
        sa.Column("posted_at", UtcDateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("review_cards")

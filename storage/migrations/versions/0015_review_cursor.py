"""The review room's cursor: the last entry into review (a claim sent, or sent again) whose
card is settled, per room, so each pump round reads only what came after it; and the index
that makes that read a range scan (claim_events by status, then seq) instead of a walk over
the whole queue.

Revision ID: 0015_review_cursor
Revises: 0014_member_indexes
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0015_review_cursor"
down_revision: str | Sequence[str] | None = "0014_member_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_cursors",
        sa.Column("room", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
    )
    # entries into review (status "under_review") in the order they came: the cursor's read
    op.create_index("ix_claim_events_status_seq", "claim_events", ["status", "seq"])


def downgrade() -> None:
    op.drop_index("ix_claim_events_status_seq", table_name="claim_events")
    op.drop_table("review_cursors")

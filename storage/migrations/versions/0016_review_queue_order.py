"""The review queue in its page's order from the index alone (issue 9): ``claims (status,
created_at, id)`` replaces ``ix_claims_status_created (status, created_at)``.

The queue's page (``review_queue``: ``status = 'under_review' ORDER BY created_at, id``,
``LIMIT``, the cursor ``(created_at, id) > (?, ?)``) read the old index in ``created_at``
order and sorted each run of claims of the same instant by id ("USE TEMP B-TREE FOR RIGHT
PART OF ORDER BY" in ``EXPLAIN QUERY PLAN``): claims that share a ``created_at`` (an import,
a clock's coarse tick) were all sorted for every page, 50,000 of them 17 ms a page. With
``id`` in the index the order is total, the page stops after ``LIMIT`` rows and the cursor
is one range (``(created_at,id)>(?,?)``). 0014 kept the old index because ``id`` made the
exact count of waiting claims 1.8x slower; the first page now counts at most 1,001 of them
(``StaffDesk.waiting_count(cap)``), from this index alone.

Revision ID: 0016_review_queue_order
Revises: 0015_review_cursor
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0016_review_queue_order"
down_revision: str | Sequence[str] | None = "0015_review_cursor"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_claims_status_created_id", "claims", ["status", "created_at", "id"])
    op.drop_index("ix_claims_status_created", table_name="claims")


def downgrade() -> None:
    op.create_index("ix_claims_status_created", "claims", ["status", "created_at"])
    op.drop_index("ix_claims_status_created_id", table_name="claims")

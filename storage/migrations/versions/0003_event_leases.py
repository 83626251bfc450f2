"""Claim events carry a delivery lease, so several bot replicas never deliver one twice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claim_events") as batch:
        batch.add_column(sa.Column("leased_until", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("leased_by", sa.String(36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim_events") as batch:
        batch.drop_column("leased_by")
        batch.drop_column("leased_until")

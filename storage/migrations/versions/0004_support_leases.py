"""Support messages carry a delivery lease, so several bot replicas never pass one on twice.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("support_messages") as batch:
        batch.add_column(sa.Column("leased_until", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("leased_by", sa.String(36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("support_messages") as batch:
        batch.drop_column("leased_by")
        batch.drop_column("leased_until")

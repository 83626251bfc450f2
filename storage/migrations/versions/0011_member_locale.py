"""The language a member chose, so a chat they log in to later speaks it too.

Revision ID: 0011_member_locale
Revises: 0010_findings
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0011_member_locale"
down_revision: str | Sequence[str] | None = "0010_findings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "member_locales",
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("locale", sa.String(16), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("member_locales")

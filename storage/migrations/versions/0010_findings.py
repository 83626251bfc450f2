"""The claim's findings for staff (issue 12) and the invoice pre-check kept with the product.

Revision ID: 0010_findings
Revises: 0009_workspace
Create Date: 2026-12-07

``claim_findings``: what staff should know about a claim, found when it was submitted (the
pre-checks' findings, duplicates with the other claim's id, the member's other claims, the
same address or phone on other members' claims). ``products.invoice_check`` (JSON, NULL when
no pre-check ran) and ``products.invoice_key`` (store|number|date as read by OCR, indexed:
the same invoice on another claim).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0010_findings"
down_revision: str | Sequence[str] | None = "0009_workspace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("invoice_check", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("invoice_key", sa.String(200), nullable=True))
        batch.create_index("ix_products_invoice_key", ["invoice_key"])
    op.create_table(
        "claim_findings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "claim_id",
            sa.String(36),
            sa.ForeignKey("claims.id", name="fk_claim_findings_claim_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("other_claim", sa.String(64), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_claim_findings_claim_id", "claim_findings", ["claim_id"])


def downgrade() -> None:
    op.drop_index("ix_claim_findings_claim_id", table_name="claim_findings")
    op.drop_table("claim_findings")
    with op.batch_alter_table("products") as batch:
        batch.drop_index("ix_products_invoice_key")
        batch.drop_column("invoice_key")
        batch.drop_column("invoice_check")

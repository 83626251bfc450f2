"""Products are unique on a canonical serial key (confusable spellings fold to one).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Adds ``products.serial_key`` and fills it for every existing product, then puts a unique
index on it. Existing products whose serials collide once folded (``BO3T01946000V`` and
``B03T01946000V``: one physical product registered twice) never fail the migration: a
product whose prize is already out (a claim approved, delivered or shipped) keeps the key,
else the first registration (earliest ``registered_at``, then id), as it would have won
live; so a claim waiting on another spelling can never bring a second prize. Each other
one keeps its row and history but gets no key (so it cannot be redeemed again) and is
reported to staff as a ``serial_conflicts`` row with origin
``migration`` (``redeem-bot review conflicts``). ``serial_conflicts`` gains ``origin`` and
``other_product_id`` for that.

The fold is frozen here on purpose (a migration must not change when the code does); a
test checks it equals ``backend.port.serial_key``.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.models import UtcDateTime

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)
ID = sa.String(36)
_FOLD = str.maketrans("OILSBZ", "011582")
#: Cyrillic and Greek capitals that look like Latin ones (old rows may hold them)
_LOOKALIKES = str.maketrans("АВЕЗІЈКМНОРСЅТУХӀΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABE3IJKMHOPCSTYXIABEZHIKMNOPTYX")
_BATCH = 500

_products = sa.table(
    "products",
    sa.column("id", ID),
    sa.column("member_id", ID),
    sa.column("serial", sa.String(64)),
    sa.column("serial_key", sa.String(64)),
    sa.column("registered_at", UtcDateTime()),
)
_claims = sa.table("claims", sa.column("product_id", ID), sa.column("status", sa.String(20)))
#: claim statuses with a prize out (frozen: ``backend.port.ClaimStatus`` at 0005)
_PAID = ("approved", "success", "shipped")
_conflicts = sa.table(
    "serial_conflicts",
    sa.column("serial", sa.String(64)),
    sa.column("member_id", ID),
    sa.column("owner_member_id", ID),
    sa.column("product_id", ID),
    sa.column("at", UtcDateTime()),
    sa.column("origin", sa.String(20)),
    sa.column("other_product_id", ID),
)


def serial_key(serial: str) -> str:
    folded = unicodedata.normalize("NFKC", serial).upper().translate(_LOOKALIKES)
    return "".join(c for c in folded if c.isalnum()).translate(_FOLD)


def upgrade() -> None:
    op.add_column("products", sa.Column("serial_key", sa.String(64), nullable=True))
    op.add_column(
        "serial_conflicts",
        sa.Column("origin", sa.String(20), nullable=False, server_default="register"),
    )
    op.add_column("serial_conflicts", sa.Column("other_product_id", ID, nullable=True))
    op.create_index(
        "ix_serial_conflicts_origin_owner", "serial_conflicts", ["origin", "owner_member_id"]
    )
    duplicates = _fill_keys(op.get_bind())
    op.create_index("ux_products_serial_key", "products", ["serial_key"], unique=True)
    if duplicates:  # a count only: serials and members stay out of logs
        log.warning(
            "migration 0005: %d product(s) share a serial with an earlier registration; "
            "they are reported to staff (redeem-bot review conflicts)",
            duplicates,
        )


def _fill_keys(conn: sa.Connection) -> int:
    """Give each product its key (a product whose prize is out first, then the first
    registration); report the rest. Returns how many duplicates were found."""
    paid = sa.exists().where(_claims.c.product_id == _products.c.id, _claims.c.status.in_(_PAID))
    rows = conn.execute(
        sa.select(_products.c.id, _products.c.member_id, _products.c.serial).order_by(
            sa.case((paid, 0), else_=1), _products.c.registered_at, _products.c.id
        )
    ).all()
    owners: dict[str, tuple[str, str]] = {}  # key -> (product id, member id)
    keyed: list[dict[str, str]] = []
    reports: list[dict[str, object]] = []
    now = dt.datetime.now(dt.UTC)
    for product_id, member_id, serial in rows:
        key = serial_key(serial)
        owner = owners.get(key)
        if owner is None:
            owners[key] = (product_id, member_id)
            keyed.append({"pid": product_id, "key": key})
            continue
        reports.append(
            {
                "serial": serial,
                "member_id": member_id,
                "owner_member_id": owner[1],
                "product_id": owner[0],
                "at": now,
                "origin": "migration",
                "other_product_id": product_id,
            }
        )
    update = (
        sa.update(_products)
        .where(_products.c.id == sa.bindparam("pid"))
        .values(serial_key=sa.bindparam("key"))
    )
    for start in range(0, len(keyed), _BATCH):
        conn.execute(update, keyed[start : start + _BATCH])
    if reports:
        conn.execute(sa.insert(_conflicts), reports)
    return len(reports)


def downgrade() -> None:
    op.drop_index("ux_products_serial_key", table_name="products")
    op.drop_index("ix_serial_conflicts_origin_owner", table_name="serial_conflicts")
    with op.batch_alter_table("serial_conflicts") as batch:
        batch.drop_column("other_product_id")
        batch.drop_column("origin")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("serial_key")

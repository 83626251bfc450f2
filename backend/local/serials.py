"""One sticker, one product: the serial's key is unique; a clash is refused and recorded
for staff (``serial_conflicts``); a product found to be a later duplicate (migration 0005)
is *disputed*: no prize until staff decide. Synchronous, inside a unit of work."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.orm import Session

from backend.local import rows
from backend.port import SerialAlreadyRegistered, SerialConflict, SerialLocked, serial_key
from storage.backend_models import ClaimRow, ProductRow, SerialConflictRow


@functools.cache
def _owner() -> Select[Any]:
    t = ProductRow.__table__
    return select(t.c.id, t.c.member_id, t.c.serial).where(t.c.serial_key == bindparam("key"))


def serial_owner(s: Session, serial: str) -> Row[Any] | None:
    """The product that owns ``serial``'s key, whatever the spelling (id, member_id, serial):
    one Core read on the unit's connection."""
    return s.connection().execute(_owner(), {"key": serial_key(serial)}).first()


def refuse_taken_serial(
    s: Session,
    member_id: str,
    serial: str,
    now: dt.datetime,
    *,
    except_product: str | None = None,
) -> None:
    """Raise ``SerialAlreadyRegistered`` if a product owns ``serial``'s key, whatever
    the spelling. The clash is recorded for staff (committed) unless it is the member's own
    product under the very same spelling (a repeated registration); ``except_product``: the
    product being changed (a re-typed serial), which may keep its own key."""
    owner = serial_owner(s, serial)
    if owner is None or owner.id == except_product:
        return
    mine = owner.member_id == member_id
    if not mine or owner.serial != serial or except_product is not None:
        s.add(
            SerialConflictRow(
                serial=serial,
                member_id=member_id,
                owner_member_id=owner.member_id,
                product_id=owner.id,
                at=now,
                origin="register" if except_product is None else "resubmit",
                other_product_id=except_product,
            )
        )
        s.commit()
    raise SerialAlreadyRegistered(serial=serial, mine=mine)


def refuse_locked_serial(s: Session, row: ClaimRow, serial: str) -> None:
    """Raise ``SerialLocked`` if re-typing ``serial`` would move the product's key while
    another claim of the product stands on the old one (a respelling keeps the key)."""
    key = s.scalar(select(ProductRow.serial_key).where(ProductRow.id == row.product_id))
    if key == serial_key(serial):
        return
    others = select(ClaimRow.id).where(ClaimRow.product_id == row.product_id, ClaimRow.id != row.id)
    if s.scalar(others.limit(1)) is not None:
        raise SerialLocked()


def disputed(s: Session, product_id: str) -> bool:
    key = s.scalar(select(ProductRow.serial_key).where(ProductRow.id == product_id))
    return key is None


def disputed_claim(s: Session, row: ClaimRow) -> bool:
    """The claim's product is a later duplicate, or its sticker already won the claim's
    promotion under another spelling (before serial keys existed)."""
    if disputed(s, row.product_id):
        return True
    won = rows.won_by_duplicates().where(
        SerialConflictRow.product_id == row.product_id, ClaimRow.promotion == row.promotion
    )
    return s.execute(won.limit(1)).first() is not None


def conflicts(s: Session, limit: int) -> list[SerialConflict]:
    """Recorded serial clashes, newest first (at most ``limit``, at most 1000)."""
    query = (
        select(SerialConflictRow)
        .order_by(SerialConflictRow.at.desc(), SerialConflictRow.id.desc())
        .limit(max(0, min(limit, 1000)))
    )
    return [rows.from_row(SerialConflict, r) for r in s.scalars(query)]

"""Registered products: one per sticker (the serial's key is unique, see ``serials``)."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend.local import rows
from backend.local.accounts import verified_member_in
from backend.local.context import Context
from backend.local.serials import refuse_taken_serial
from backend.local.validation import (
    CHANNELS,
    LATEST_OFFSET,
    check_len,
    invalid,
    normalize_serial,
    same,
)
from backend.port import (
    ClaimFix,
    EmailNotVerified,
    NotFound,
    Product,
    ProductRegistration,
    serial_key,
)
from storage.backend_models import MemberRow, ProductRow


class Products:
    """Register, list and show a member's products."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def register_product(self, member_id: str, data: ProductRegistration) -> Product:
        serial = normalize_serial(data.serial)
        category = self._check(data)
        product = await self._ctx.write(
            lambda s: self._register(s, member_id, data, serial, category)
        )
        return self._ctx.catalog.with_warranty(product)

    async def check_serial(self, member_id: str, serial: str) -> None:
        normalized = normalize_serial(serial)

        def taken(s: Session) -> bool:  # the member's checks and the key's owner: one read
            params = {"id": member_id, "key": serial_key(normalized)}
            found = s.connection().execute(_member_and_owner(), params).first()
            if found is None:
                raise NotFound(what="member", id=member_id)
            if found.email_verified_at is None:
                raise EmailNotVerified()
            return found.owner is not None

        def check(s: Session) -> None:
            verified_member_in(s, member_id)
            refuse_taken_serial(s, member_id, normalized, self._ctx.now())

        # the usual answer (free) from a reader; a taken key is refused on the writer, which
        # records the clash for staff (registering checks again there: the key is unique)
        if await self._ctx.read(taken):
            await self._ctx.write(check)

    def _register(
        self, s: Session, member_id: str, data: ProductRegistration, serial: str, category: str
    ) -> Product:
        now = self._ctx.now()
        verified_member_in(s, member_id)
        refuse_taken_serial(s, member_id, serial, now)
        row = ProductRow(
            id=str(uuid.uuid4()),
            member_id=member_id,
            category=category,
            product_name=data.product_name.strip(),
            model=data.model.strip(),
            serial=serial,
            serial_key=serial_key(serial),
            chk=data.chk.strip().upper(),
            region=data.region.strip(),
            store=data.store.strip(),
            purchase_date=data.purchase_date,
            channel=data.channel,
            invoice=data.invoice,
            registered_at=now,
            **invoice_facts(data),
        )
        s.add(row)
        try:
            s.commit()
        except IntegrityError:  # a racing registration of the same key won
            s.rollback()
            refuse_taken_serial(s, member_id, serial, self._ctx.now())
            raise
        return rows.product(row)

    def _check(self, data: ProductRegistration) -> str:
        """Validate a registration; returns the category in the catalog's spelling."""
        for name in ("category", "product_name", "model", "chk", "region", "store", "invoice"):
            value = getattr(data, name)
            if not isinstance(value, str) or not value.strip():
                raise invalid(name)
            check_len(name, value)
        if data.channel not in CHANNELS:
            raise invalid("channel")
        if (
            data.purchase_date > (self._ctx.now() + LATEST_OFFSET).date()
        ):  # "today" somewhere on Earth
            raise invalid("purchase_date")
        known = self._ctx.catalog.product_categories
        if not known:
            return data.category.strip()
        match = next((c for c in known if same(c, data.category)), None)
        if match is None:
            raise invalid("category")
        return match

    async def list_products(self, member_id: str) -> list[Product]:
        found = await self._ctx.read(lambda s: rows.products_of(s, member_id))
        return [self._ctx.catalog.with_warranty(p) for p in found]

    async def get_product(self, member_id: str, product_id: str) -> Product:
        product = await self._ctx.read(
            lambda s: rows.product(rows.product_in(s, member_id, product_id))
        )
        return self._ctx.catalog.with_warranty(product)


@functools.cache
def _member_and_owner() -> Select[Any]:
    """The member's proved address and the product that owns a serial's key (if any):
    members by primary key, products by the unique key (EXPLAIN QUERY PLAN: two SEARCHes)."""
    members, products = MemberRow.__table__, ProductRow.__table__
    owner = products.c.serial_key == bindparam("key")
    return (
        select(members.c.email_verified_at, products.c.id.label("owner"))
        .select_from(members.outerjoin(products, owner))
        .where(members.c.id == bindparam("id"))
    )


def invoice_facts(data: ProductRegistration) -> dict[str, Any]:
    """The pre-check's columns (issue 12): NULL when none ran."""
    return invoice_facts_of(data)


def invoice_facts_of(data: ProductRegistration | ClaimFix) -> dict[str, Any]:
    facts = data.invoice_check
    if facts is None:
        return {"invoice_check": None, "invoice_key": None}
    key = (facts.key or "").strip()[:200] or None
    codes = [str(code)[:40] for code in facts.findings][:20]
    check: dict[str, Any] = {"checked": bool(facts.checked), "findings": codes}
    if facts.uid:
        check["uid"] = str(facts.uid)[:100]
    return {
        "invoice_check": check,
        "invoice_key": key,
    }

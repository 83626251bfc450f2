"""A member's products, claims and what they can redeem, a page at a time (issue 9): each
call reads one page with ``LIMIT``/``OFFSET`` and counts the rest in the database, so what
it costs does not grow with the member's history. The rules stay ``ineligibility``'s; the
filter that finds redeemable products in SQL only narrows what it is asked about.

The statements are built once per backend (``Statements``) with bound parameters: building
a SQLAlchemy statement of this size costs more than running it on a small history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    Subquery,
    and_,
    bindparam,
    exists,
    func,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from backend.catalog import Catalog
from backend.local import rows
from backend.local.context import Context
from backend.local.eligibility import ineligibility
from backend.port import ClaimPage, Eligibility, NotFound, Product, ProductPage, Promotion
from storage.backend_models import ClaimRow, MemberRow, ProductRow, SerialConflictRow

MAX_PAGE = 100  # the most rows one call returns
S = TypeVar("S", bound="Select[*tuple[Any, ...]]")


def _bounds(offset: int, limit: int) -> dict[str, int]:
    return {"offset": max(0, offset), "limit": max(0, min(limit, MAX_PAGE))}


def _member() -> BindParameter[str]:
    return bindparam("member_id")


def _claimed() -> Subquery:
    """(promotion, product_id) of the member's claims and of the prizes their stickers won
    under another spelling (``rows.claimed_in`` as a query)."""
    own = select(ClaimRow.promotion, ClaimRow.product_id).where(ClaimRow.member_id == _member())
    won = rows.won_by_duplicates().where(SerialConflictRow.owner_member_id == _member())
    return union_all(own, won).subquery()


def _folded(column: InstrumentedAttribute[str], values: Iterable[str]) -> ColumnElement[bool]:
    """``validation.same`` in SQL for ASCII spellings: SQLite's NOCASE folds ASCII only, so a
    value that matches only by folding other letters is left out, never let in. (No trim:
    the backend stores these fields stripped.)"""
    return column.collate("NOCASE").in_([v.strip() for v in values])


def redeemable_filter(promotion: Promotion) -> ColumnElement[bool]:
    """The member's products that ``ineligibility`` would pass for ``promotion`` (open now),
    but for the per-member limit (a count, checked apart)."""
    claimed = _claimed()
    conditions = [  # the cheap tests first (SQLite evaluates them in this order)
        ProductRow.member_id == _member(),
        ProductRow.purchase_date >= promotion.purchase_from,
        ProductRow.purchase_date <= promotion.purchase_to,
        ProductRow.serial_key.is_not(None),  # disputed: not redeemable
        _folded(ProductRow.category, promotion.categories),
        ProductRow.id.not_in(
            select(claimed.c.product_id)
            .where(claimed.c.promotion == promotion.code)
            .scalar_subquery()
        ),
    ]
    if promotion.models:
        conditions.append(_folded(ProductRow.model, promotion.models))
    if promotion.regions:
        conditions.append(_folded(ProductRow.region, promotion.regions))
    return and_(*conditions)


def _page(query: S) -> S:
    return query.offset(bindparam("offset")).limit(bindparam("limit"))


class Statements:
    """Every statement of the paged reads, built once (parameters: member_id, offset,
    limit, ids, product_id)."""

    def __init__(self, catalog: Catalog) -> None:
        claimed = _claimed()
        self.claim_counts = select(
            claimed.c.promotion, func.count(func.distinct(claimed.c.product_id))
        ).group_by(claimed.c.promotion)
        claimed = _claimed()
        self.claimed_among = select(claimed.c.promotion, claimed.c.product_id).where(
            claimed.c.product_id.in_(bindparam("ids", expanding=True))
        )
        mine = ProductRow.member_id == _member()
        by_registration = (ProductRow.registered_at, ProductRow.id)
        self.product_count = select(func.count()).select_from(ProductRow).where(mine)
        self.products = _page(select(ProductRow).where(mine).order_by(*by_registration))
        only = and_(mine, ProductRow.id == bindparam("product_id"))
        self.product_count_one = select(func.count()).select_from(ProductRow).where(only)
        self.products_one = _page(select(ProductRow).where(only))
        # the member's claims and whether the member exists, in one statement (a member with
        # no claims yet is the common case of /status: no second read to tell them apart)
        claims, members = ClaimRow.__table__, MemberRow.__table__
        self.claim_count = select(
            select(func.count())
            .select_from(claims)
            .where(claims.c.member_id == _member())
            .scalar_subquery(),
            exists().where(members.c.id == _member()),
        )
        self.claims = _page(
            rows.claims_query()
            .where(ClaimRow.member_id == _member())
            .order_by(ClaimRow.created_at.desc(), ClaimRow.id.desc())
        )
        self.any_redeemable: dict[str, Select[Any]] = {}
        self.redeemable_count: dict[tuple[str, bool], Select[Any]] = {}
        self.redeemable: dict[tuple[str, bool], Select[Any]] = {}
        for p in catalog:
            where = redeemable_filter(p)
            self.any_redeemable[p.code] = select(exists().where(where))
            for one in (False, True):
                w = and_(where, ProductRow.id == bindparam("product_id")) if one else where
                self.redeemable_count[p.code, one] = (
                    select(func.count()).select_from(ProductRow).where(w)
                )
                self.redeemable[p.code, one] = _page(
                    select(ProductRow).where(w).order_by(*by_registration)
                )


class Pages:
    """The port's paged reads of a member's history."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._sql: Statements | None = None

    @property
    def sql(self) -> Statements:
        if self._sql is None:  # built at the first paged read, not at start-up
            self._sql = Statements(self._ctx.catalog)
        return self._sql

    def _product(self, row: ProductRow) -> Product:
        """The product of a row, with its warranty where the catalog knows the period (as
        ``list_products`` gives it)."""
        return self._ctx.catalog.with_warranty(rows.product(row))

    def _open(self, today: dt.date) -> list[Promotion]:
        return [p for p in self._ctx.catalog if p.redeem_from <= today <= p.redeem_to]

    def _counts(self, s: Session, member_id: str) -> dict[str, int]:
        """Per promotion: how many of the member's products have a claim in it."""
        found = s.execute(self.sql.claim_counts, {"member_id": member_id})
        return {str(code): int(n) for code, n in found}

    async def product_page(
        self,
        member_id: str,
        today: dt.date,
        offset: int = 0,
        limit: int = 10,
        product_id: str | None = None,
    ) -> ProductPage:
        promotions = self._open(today)
        sql, member = self.sql, {"member_id": member_id}
        count, page = sql.product_count, sql.products
        if product_id is not None:  # that product only (none: not the member's)
            count, page = sql.product_count_one, sql.products_one
            member = member | {"product_id": product_id}

        def read(s: Session) -> ProductPage:
            total = int(s.connection().execute(count, member).scalar() or 0)
            if not total:
                rows.member_verified_at(s, member_id)
                return ProductPage([], [], 0)
            found = s.scalars(page, member | _bounds(offset, limit)).all()
            products = [self._product(r) for r in found]
            if not products or not promotions:
                return ProductPage(products, [], total)
            disputed = {r.id for r in found if r.serial_key is None}
            claimed: dict[str, set[str]] = {}
            ids = {"ids": [p.id for p in products]}
            for code, pid in s.execute(sql.claimed_among, member | ids):
                claimed.setdefault(str(code), set()).add(str(pid))
            counts = self._counts(s, member_id)
            result = [
                Eligibility(
                    promotion,
                    product,
                    ineligibility(
                        promotion,
                        product,
                        today=today,
                        claimed_products=claimed.get(promotion.code, set()),
                        claim_count=counts.get(promotion.code, 0),
                        check_window=False,
                        disputed=product.id in disputed,
                    ),
                )
                for promotion in promotions
                for product in products
            ]
            return ProductPage(products, result, total)

        return await self._ctx.read(read)

    async def redeemable_promotions(self, member_id: str, today: dt.date) -> list[Promotion]:
        promotions = self._open(today)
        sql, member = self.sql, {"member_id": member_id}

        def read(s: Session) -> list[Promotion]:
            rows.member_verified_at(s, member_id)
            counts = self._counts(s, member_id) if promotions else {}
            return [
                p
                for p in promotions
                if counts.get(p.code, 0) < p.per_member_limit
                and s.scalar(sql.any_redeemable[p.code], member)
            ]

        return await self._ctx.read(read)

    async def redeemable_products(
        self,
        member_id: str,
        promotion: str,
        today: dt.date,
        offset: int = 0,
        limit: int = 10,
        product_id: str | None = None,
    ) -> ProductPage:
        p = self._ctx.catalog.find(promotion)
        if p is None or p not in self._open(today):
            return ProductPage([], [], 0)
        sql, one = self.sql, product_id is not None
        params: dict[str, Any] = {"member_id": member_id, "product_id": product_id}

        def read(s: Session) -> ProductPage:
            rows.member_verified_at(s, member_id)
            count = self._counts(s, member_id).get(p.code, 0)
            if count >= p.per_member_limit:
                return ProductPage([], [], 0)
            total = int(s.scalar(sql.redeemable_count[p.code, one], params) or 0)
            found = s.scalars(sql.redeemable[p.code, one], params | _bounds(offset, limit))
            ok = [
                Eligibility(p, product)
                for product in map(self._product, found)
                if not ineligibility(
                    p,
                    product,
                    today=today,
                    claimed_products=set(),
                    claim_count=count,
                    check_window=False,
                )
            ]  # the rules decide; the query only chose whom to ask
            return ProductPage([e.product for e in ok], ok, total)

        return await self._ctx.read(read)

    async def claim_page(self, member_id: str, offset: int = 0, limit: int = 10) -> ClaimPage:
        sql, member = self.sql, {"member_id": member_id}

        def read(s: Session) -> ClaimPage:
            total, known = s.connection().execute(sql.claim_count, member).one()
            if not known:
                raise NotFound(what="member", id=member_id)
            if not total:
                return ClaimPage([], 0)
            found = s.execute(sql.claims, member | _bounds(offset, limit)).all()
            return ClaimPage([rows.claim_of(r) for r in found], total)

        return await self._ctx.read(read)

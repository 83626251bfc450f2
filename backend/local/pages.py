"""A member's products, claims and what they can redeem, a page at a time (issue 9): each
call reads one page with ``LIMIT``/``OFFSET`` and counts the rest in the database, so what
it costs does not grow with the member's history. The rules stay ``ineligibility``'s; the
filter that finds redeemable products in SQL only narrows what it is asked about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, Subquery, and_, exists, func, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from backend.local import rows
from backend.local.context import Context
from backend.local.eligibility import ineligibility
from backend.port import ClaimPage, Eligibility, Product, ProductPage, Promotion
from storage.backend_models import ClaimRow, ProductRow, SerialConflictRow

MAX_PAGE = 100  # the most rows one call returns


def _bounds(offset: int, limit: int) -> tuple[int, int]:
    return max(0, offset), max(0, min(limit, MAX_PAGE))


def _claimed(member_id: str) -> Subquery:
    """(promotion, product_id) of the member's claims and of the prizes their stickers won
    under another spelling (``rows.claimed_in`` as a query)."""
    own = select(ClaimRow.promotion, ClaimRow.product_id).where(ClaimRow.member_id == member_id)
    won = rows.won_by_duplicates().where(SerialConflictRow.owner_member_id == member_id)
    return union_all(own, won).subquery()


def claim_counts(s: Session, member_id: str) -> dict[str, int]:
    """Per promotion: how many of the member's products have a claim in it (the limit's count)."""
    sub = _claimed(member_id)
    promotion, product_id = sub.c.promotion, sub.c.product_id
    query = select(promotion, func.count(func.distinct(product_id))).group_by(promotion)
    return {str(code): int(n) for code, n in s.execute(query)}


def claimed_among(s: Session, member_id: str, product_ids: Iterable[str]) -> dict[str, set[str]]:
    """``rows.claimed_in`` for these products only."""
    ids = list(product_ids)
    if not ids:
        return {}
    sub = _claimed(member_id)
    promotion, product_id = sub.c.promotion, sub.c.product_id
    claimed: dict[str, set[str]] = {}
    for code, pid in s.execute(select(promotion, product_id).where(product_id.in_(ids))):
        claimed.setdefault(str(code), set()).add(str(pid))
    return claimed


def _folded(column: InstrumentedAttribute[str], values: Iterable[str]) -> ColumnElement[bool]:
    """``validation.same`` in SQL for ASCII spellings (SQLite's ``lower`` folds ASCII only:
    a value that matches only by folding other letters is left out, never let in)."""
    return func.lower(func.trim(column)).in_([v.strip().lower() for v in values])


def redeemable_filter(member_id: str, promotion: Promotion) -> ColumnElement[bool]:
    """The member's products that ``ineligibility`` would pass for ``promotion`` (open now),
    but for the per-member limit (a count, checked apart)."""
    claimed = _claimed(member_id)
    conditions = [
        ProductRow.member_id == member_id,
        ProductRow.serial_key.is_not(None),  # disputed: not redeemable
        _folded(ProductRow.category, promotion.categories),
        ProductRow.purchase_date >= promotion.purchase_from,
        ProductRow.purchase_date <= promotion.purchase_to,
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


class Pages:
    """The port's paged reads of a member's history."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def _open(self, today: dt.date) -> list[Promotion]:
        return [p for p in self._ctx.catalog if p.redeem_from <= today <= p.redeem_to]

    async def product_page(
        self, member_id: str, today: dt.date, offset: int = 0, limit: int = 10
    ) -> ProductPage:
        offset, limit = _bounds(offset, limit)
        promotions = self._open(today)

        def read(s: Session) -> ProductPage:
            total = self._count(
                s,
                select(func.count())
                .select_from(ProductRow)
                .where(ProductRow.member_id == member_id),
            )
            if not total:
                rows.member_in(s, member_id)
                return ProductPage([], [], 0)
            found = s.scalars(
                select(ProductRow)
                .where(ProductRow.member_id == member_id)
                .order_by(ProductRow.registered_at, ProductRow.id)
                .offset(offset)
                .limit(limit)
            ).all()
            products = [rows.product(r) for r in found]
            disputed = {r.id for r in found if r.serial_key is None}
            if not products or not promotions:
                return ProductPage(products, [], total)
            claimed = claimed_among(s, member_id, (p.id for p in products))
            counts = claim_counts(s, member_id)
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

        def read(s: Session) -> list[Promotion]:
            rows.member_in(s, member_id)
            counts = claim_counts(s, member_id) if promotions else {}
            return [
                p
                for p in promotions
                if counts.get(p.code, 0) < p.per_member_limit
                and s.scalar(select(exists().where(redeemable_filter(member_id, p))))
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
        offset, limit = _bounds(offset, limit)
        found = self._ctx.catalog.find(promotion)
        if found is None or found not in self._open(today):
            return ProductPage([], [], 0)
        p: Promotion = found

        def read(s: Session) -> ProductPage:
            rows.member_in(s, member_id)
            count = claim_counts(s, member_id).get(p.code, 0)
            if count >= p.per_member_limit:
                return ProductPage([], [], 0)
            where = redeemable_filter(member_id, p)
            if product_id is not None:
                where = and_(where, ProductRow.id == product_id)
            total = self._count(s, select(func.count()).select_from(ProductRow).where(where))
            page = s.scalars(
                select(ProductRow)
                .where(where)
                .order_by(ProductRow.registered_at, ProductRow.id)
                .offset(offset)
                .limit(limit)
            ).all()
            ok = [
                Eligibility(p, product)
                for product in map(rows.product, page)
                if not self._reasons(p, product, today, count)
            ]  # the rules decide; the query only chose whom to ask
            return ProductPage([e.product for e in ok], ok, total)

        return await self._ctx.read(read)

    @staticmethod
    def _reasons(p: Promotion, product: Product, today: dt.date, count: int) -> bool:
        return bool(
            ineligibility(
                p,
                product,
                today=today,
                claimed_products=set(),
                claim_count=count,
                check_window=False,
            )
        )

    async def claim_page(self, member_id: str, offset: int = 0, limit: int = 10) -> ClaimPage:
        offset, limit = _bounds(offset, limit)

        def read(s: Session) -> ClaimPage:
            total = self._count(
                s, select(func.count()).select_from(ClaimRow).where(ClaimRow.member_id == member_id)
            )
            if not total:
                rows.member_in(s, member_id)
                return ClaimPage([], 0)
            found = s.execute(
                rows.claims_query()
                .where(ClaimRow.member_id == member_id)
                .order_by(ClaimRow.created_at.desc(), ClaimRow.id)
                .offset(offset)
                .limit(limit)
            ).all()
            return ClaimPage([rows.claim_of(r) for r in found], total)

        return await self._ctx.read(read)

    @staticmethod
    def _count(s: Session, query: Select[int]) -> int:
        return int(s.scalar(query) or 0)

"""The promotions' rules: which product may be redeemed for which promotion, and why not.
``ineligibility`` is pure; ``check_eligible`` runs inside a claim's unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from backend.catalog import Catalog
from backend.local import rows
from backend.local.context import Context
from backend.local.validation import same
from backend.port import (
    BackendError,
    Eligibility,
    Ineligibility,
    LimitReached,
    NotEligible,
    Product,
    Promotion,
)


def ineligibility(
    promotion: Promotion,
    product: Product,
    *,
    today: dt.date,
    claimed_products: set[str],
    claim_count: int,
    check_window: bool,
    disputed: bool = False,
) -> tuple[Ineligibility, ...]:
    """Why ``product`` cannot be redeemed for ``promotion`` (empty = it can).

    ``claimed_products``: ids of the member's products already claimed in this promotion;
    ``claim_count``: how many claims the member has in it; ``check_window``: also report
    a redeem window that does not contain ``today``; ``disputed``: the product's serial is
    registered to an earlier product too (found by migration 0005), so staff decide.
    """
    base = {"promotion": promotion.name, "promotion_code": promotion.code}
    reasons: list[Ineligibility] = []
    if disputed:
        reasons.append(Ineligibility("why.serial_disputed", dict(base)))
    if check_window:
        reasons += _window_reasons(promotion, today, base)
    if not any(same(product.category, c) for c in promotion.categories):
        params = {"category": product.category, "categories": ", ".join(promotion.categories)}
        reasons.append(Ineligibility("why.category", base | params))
    elif promotion.models and not any(same(product.model, m) for m in promotion.models):
        reasons.append(Ineligibility("why.model", base | {"model": product.model}))
    reasons += _purchase_reasons(promotion, product.purchase_date, base)
    if promotion.regions and not any(same(product.region, r) for r in promotion.regions):
        params = {"region": product.region, "regions": ", ".join(promotion.regions)}
        reasons.append(Ineligibility("why.region", base | params))
    if product.id in claimed_products:
        reasons.append(Ineligibility("why.already_claimed", dict(base)))
    elif claim_count >= promotion.per_member_limit:
        reasons.append(Ineligibility("why.limit", base | {"limit": promotion.per_member_limit}))
    return tuple(reasons)


def _window_reasons(p: Promotion, today: dt.date, base: dict[str, Any]) -> list[Ineligibility]:
    if today > p.redeem_to:
        return [Ineligibility("why.redeem_closed", base | {"end": p.redeem_to.isoformat()})]
    if today < p.redeem_from:
        return [Ineligibility("why.redeem_not_open", base | {"start": p.redeem_from.isoformat()})]
    return []


def _purchase_reasons(p: Promotion, bought: dt.date, base: dict[str, Any]) -> list[Ineligibility]:
    params = base | {
        "date": bought.isoformat(),
        "start": p.purchase_from.isoformat(),
        "end": p.purchase_to.isoformat(),
    }
    if bought < p.purchase_from:
        return [Ineligibility("why.purchase_before", params)]
    if bought > p.purchase_to:
        return [Ineligibility("why.purchase_after", params)]
    return []


def refusal(promotion: Promotion, reasons: Sequence[Ineligibility]) -> BackendError:
    """The error for a refused claim: ``LimitReached`` if that is the only reason."""
    if [r.key for r in reasons] == ["why.limit"]:
        return LimitReached(limit=promotion.per_member_limit, promotion=promotion.name)
    detail = [{"key": r.key, "params": r.params} for r in reasons]
    return NotEligible(promotion=promotion.name, reasons=detail)


def disputed_refusal(catalog: Catalog, code: str) -> BackendError:
    promotion = catalog.get(code)
    base = {"promotion": promotion.name, "promotion_code": promotion.code}
    return refusal(promotion, [Ineligibility("why.serial_disputed", base)])


def already_claimed(promotion: Promotion) -> NotEligible:
    params = {"promotion": promotion.name, "promotion_code": promotion.code}
    return NotEligible(
        promotion=promotion.name, reasons=[{"key": "why.already_claimed", "params": params}]
    )


def check_eligible(
    s: Session,
    member_id: str,
    promotion: Promotion,
    product: Product,
    today: dt.date,
    disputed: bool,
) -> None:
    """Raise the refusal if ``product`` cannot be claimed for ``promotion`` now."""
    done = rows.claimed_in(s, member_id).get(promotion.code, set())
    reasons = ineligibility(
        promotion,
        product,
        today=today,
        claimed_products=done,
        claim_count=len(done),
        check_window=True,
        disputed=disputed,
    )
    if reasons:
        raise refusal(promotion, reasons)


class Promotions:
    """The port's promotion calls: the catalog, and what a member may redeem (or why not)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def list_promotions(self) -> list[Promotion]:
        return list(self._ctx.catalog.promotions)

    async def get_promotion(self, code: str) -> Promotion:
        return self._ctx.catalog.get(code)

    async def eligibility(self, member_id: str, today: dt.date) -> list[Eligibility]:
        products, claimed, disputed = await self._ctx.read(
            lambda s: (
                rows.products_of(s, member_id),
                rows.claimed_in(s, member_id),
                rows.disputed_in(s, member_id),
            )
        )
        result = []
        for promotion in self._ctx.catalog:
            if not promotion.redeem_from <= today <= promotion.redeem_to:
                continue
            done = claimed.get(promotion.code, set())
            for product in products:
                reasons = ineligibility(
                    promotion,
                    product,
                    today=today,
                    claimed_products=done,
                    claim_count=len(done),
                    check_window=False,
                    disputed=product.id in disputed,
                )
                result.append(Eligibility(promotion, product, reasons))
        return result

    async def why_not(self, member_id: str, product_id: str, today: dt.date) -> list[Ineligibility]:
        product, claimed, disputed = await self._ctx.read(
            lambda s: (
                rows.product(rows.product_in(s, member_id, product_id)),
                rows.claimed_in(s, member_id),
                rows.disputed_in(s, member_id),
            )
        )
        reasons: list[Ineligibility] = []
        for promotion in self._ctx.catalog:
            done = claimed.get(promotion.code, set())
            reasons += ineligibility(
                promotion,
                product,
                today=today,
                claimed_products=done,
                claim_count=len(done),
                check_window=True,
                disputed=product.id in disputed,
            )
        return reasons

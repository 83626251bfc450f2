"""Promotions the member can redeem now, and registered products with why they are (not)
eligible: the seed's FAQ reasons made concrete."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from backend.port import (
    Eligibility,
    Ineligibility,
    Product,
    ProductPage,
    Promotion,
)
from handlers import paging
from handlers.common import category_label
from handlers.context import Ctx, Step
from handlers.forms import continue_row
from handlers.io import Action, Kind
from handlers.locale_data import format_day
from handlers.regions import region_name
from handlers.targets import Target
from states import State


def promo_line(ctx: Ctx, p: Promotion) -> str:
    return ctx.t(
        "promo.line",
        name=p.name,
        start=p.purchase_from.isoformat(),
        end=p.purchase_to.isoformat(),
        redeem_end=p.redeem_to.isoformat(),
        categories=", ".join(category_label(ctx, c) for c in p.categories),
        prize=p.prize_name or ctx.t(f"prize.{p.prize_kind.value}"),
        limit=p.per_member_limit,
    )


def reason_params(params: Mapping[str, Any], locale: str = "en") -> dict[str, Any]:
    """Region codes shown as names in the customer's language ("DE" -> "Germany", "德國")."""
    if isinstance(params.get("region"), str):
        return {**params, "region": region_name(params["region"], locale)}
    return dict(params)


def reasons_text(
    ctx: Ctx, reasons: Iterable[Ineligibility], memo: dict[str, str] | None = None
) -> str:
    """The reasons, one a line, each once. ``memo``: texts already made for this reply (a
    page of products claimed in the same promotions gives the same reasons ten times)."""
    lines = dict.fromkeys("  • " + _reason(ctx, r, memo) for r in reasons)
    return "\n".join(lines)


def _reason(ctx: Ctx, reason: Ineligibility, memo: dict[str, str] | None) -> str:
    key = repr((reason.key, sorted(reason.params.items())))
    text = memo.get(key) if memo is not None else None
    if text is None:
        text = ctx.t(reason.key, **reason_params(reason.params, ctx.session.locale))
        if memo is not None:
            memo[key] = text
    return text


def _same_category(ctx: Ctx, product_category: str, categories: Iterable[str]) -> bool:
    mine = category_label(ctx, product_category).casefold()
    return any(category_label(ctx, c).casefold() == mine for c in categories)


def closed_lines(ctx: Ctx, product: Product, promotions: Iterable[Promotion]) -> list[str]:
    """The guide's promotions not open today that would fit the product (its category, its
    purchase date): "ended on ...", "opens on ..." (a Monitor bought 2021-07-01 hears of
    "Back to Modern", 2021-06-17..07-18)."""
    lines = []
    locale = ctx.session.locale
    for p in promotions:
        if p.redeem_from <= ctx.today <= p.redeem_to:
            continue
        if not _same_category(ctx, product.category, p.categories):
            continue
        if not p.purchase_from <= product.purchase_date <= p.purchase_to:
            continue
        if p.redeem_to < ctx.today:
            lines.append(
                "  • "
                + ctx.t("why.promo_ended", promotion=p.name, date=format_day(p.redeem_to, locale))
            )
        else:
            lines.append(
                "  • "
                + ctx.t(
                    "why.promo_upcoming", promotion=p.name, date=format_day(p.redeem_from, locale)
                )
            )
    return lines


async def redeemable_promotions(ctx: Ctx) -> list[Promotion]:
    """The promotions open today the member has a product to redeem for."""
    return await ctx.ports.backend.redeemable_promotions(ctx.require_member(), ctx.today)


async def product_page(
    ctx: Ctx, page: int, size: int = paging.PAGE_SIZE
) -> tuple[ProductPage, int]:
    """Page ``page`` of the member's products with their eligibility rows (the last page for
    one past the end), and the page's number."""
    member = ctx.require_member()
    found = await ctx.ports.backend.product_page(member, ctx.today, page * size, size)
    last = paging.clamp(page, found.total, size)
    if last != page:
        found = await ctx.ports.backend.product_page(member, ctx.today, last * size, size)
    return found, last


def by_product(rows: Iterable[Eligibility]) -> dict[str, list[Eligibility]]:
    grouped: dict[str, list[Eligibility]] = {}
    for e in rows:
        grouped.setdefault(e.product.id, []).append(e)
    return grouped


async def show_product_outlook(ctx: Ctx, product: Product, *, announce: bool = True) -> list[str]:
    """After registering: what it can be redeemed for now (the promotions' codes, returned),
    or specifically why not. ``announce=False``: a single promotion is not announced here (the
    redemption that starts at once says it). One read of that product's rows, whatever the
    member's history (issue 9)."""
    found = await ctx.ports.backend.product_page(
        ctx.require_member(), ctx.today, 0, 1, product_id=product.id
    )
    rows = found.eligibility
    product = found.products[0] if found.products else product
    ok = [e for e in rows if e.ok]
    if len(ok) == 1 and not announce:
        return [ok[0].promotion.code]
    if ok:
        names = ", ".join(e.promotion.name for e in ok)
        buttons = [
            [
                ctx.button_text(
                    ctx.t("btn.redeem_for", name=e.promotion.name),
                    Kind.PROMO,
                    e.promotion.code,
                    scoped=False,
                )
            ]
            for e in ok
        ]
        ctx.say("product.eligible", product=product.product_name, promotions=names, buttons=buttons)
        return [e.promotion.code for e in ok]
    promotions = await ctx.ports.backend.list_promotions()
    ctx.say(
        "product.not_eligible",
        product=product.product_name,
        reasons=why_not_text(ctx, product, rows, promotions),
    )
    return []


def other_promotions(ctx: Ctx, promotions: list[Promotion]) -> list[str]:
    """The guide's promotions not open today, marked: upcoming first, then ended (newest first)."""
    locale = ctx.session.locale
    upcoming = sorted(
        (p for p in promotions if p.redeem_from > ctx.today), key=lambda p: p.redeem_from
    )
    ended = sorted(
        (p for p in promotions if p.redeem_to < ctx.today), key=lambda p: p.redeem_to, reverse=True
    )
    lines = []
    if upcoming:
        lines.append(ctx.t("promo.upcoming_title"))
        lines += [
            promo_line(ctx, p)
            + "\n  "
            + ctx.t("promo.opens_on", date=format_day(p.redeem_from, locale))
            for p in upcoming
        ]
    if ended:
        lines.append(ctx.t("promo.ended_title"))
        lines += [
            ctx.t(
                "promo.ended_line",
                name=p.name,
                start=format_day(p.purchase_from, locale),
                end=format_day(p.purchase_to, locale),
                date=format_day(p.redeem_to, locale),
                categories=", ".join(category_label(ctx, c) for c in p.categories),
            )
            for p in ended
        ]
    return lines


class PromotionsStep(Step):
    state = State.PROMOTIONS

    async def prompt(self, ctx: Ctx) -> None:
        open_now = [
            p
            for p in await ctx.ports.backend.list_promotions()
            if p.redeem_from <= ctx.today <= p.redeem_to
        ]
        lines = [ctx.t("promo.title")]
        lines += [promo_line(ctx, p) for p in open_now] or [ctx.t("promo.none_open")]
        lines += other_promotions(ctx, await ctx.ports.backend.list_promotions())
        buttons = []
        if ctx.member_id:
            ok = await redeemable_promotions(ctx)
            buttons = [
                [
                    ctx.button_text(
                        ctx.t("btn.redeem_for", name=p.name), Kind.PROMO, p.code, scoped=False
                    )
                ]
                for p in ok
            ]
            if not ok:
                lines += ["", ctx.t("promo.nothing_redeemable")]
        buttons.append(continue_row(ctx))
        buttons.append(
            [
                ctx.menu_button("btn.my_products", Target.PRODUCTS),
                ctx.menu_button("btn.menu", Target.MENU),
            ]
        )
        ctx.say_text("promo.title", "\n\n".join(lines), buttons)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            ctx.goto(State.MENU)
        else:
            await super().on_action(ctx, action)


class ProductsStep(Step):
    state = State.PRODUCTS

    async def prompt(self, ctx: Ctx) -> None:
        """One page, one read (the page's products with their eligibility rows, and the count)."""
        found, page = await product_page(ctx, paging.current(ctx))
        lines = [ctx.t("products.title")]
        if not found.total:
            lines.append(ctx.t("products.none"))
        elif head := paging.header(ctx, page, found.total):
            lines.append(head)
        promotions = await ctx.ports.backend.list_promotions() if found.products else []
        rows = by_product(found.eligibility)
        memo: dict[str, str] = {}  # this reply's texts: ten products share their reasons
        items = [
            product_text(ctx, product, rows.get(product.id, []), promotions, memo)
            for product in found.products
        ]
        buttons = [
            paging.row(ctx, page, found.total),
            continue_row(ctx),
            [ctx.menu_button("btn.register_product", Target.REGISTER)],
            [
                ctx.menu_button("btn.promotions", Target.PROMOS),
                ctx.menu_button("btn.menu", Target.MENU),
            ],
        ]
        ctx.say_text("products.title", paging.fit(lines, items), buttons)  # one message

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if paging.turn(ctx, action):
            return
        if action.kind in (Kind.BACK, Kind.OPTION):
            ctx.goto(State.MENU)
        else:
            await super().on_action(ctx, action)


def product_text(
    ctx: Ctx,
    product: Product,
    rows: list[Eligibility],
    promotions: Iterable[Promotion],
    memo: dict[str, str] | None = None,
) -> str:
    """A product's lines: what it can be redeemed for, or why not (``why_not_text``: no
    read per product)."""
    head = ctx.t(
        "products.line",
        product=product.product_name,
        model=product.model,
        serial=product.serial,
        date=product.purchase_date.isoformat(),
        category=category_label(ctx, product.category),
    )
    if product.warranty_until is not None:  # where the backend knows the period
        until = format_day(product.warranty_until, ctx.session.locale)
        head += "\n" + ctx.t("products.warranty", date=until)
    ok = [e.promotion.name for e in rows if e.ok]
    if ok:
        return head + "\n" + ctx.t("products.redeemable", promotions=", ".join(ok))
    return "\n".join(
        [head, ctx.t("products.why_not"), why_not_text(ctx, product, rows, promotions, memo)]
    )


def why_not_text(
    ctx: Ctx,
    product: Product,
    rows: Iterable[Eligibility],
    promotions: Iterable[Promotion],
    memo: dict[str, str] | None = None,
) -> str:
    """Why a product can't be redeemed, about the promotions open today (its eligibility
    rows: the closed ones of years past would bury the reason that matters), then the
    closed promotions that would fit it (``closed_lines``); from what was read already."""
    reasons = reasons_text(ctx, (r for e in rows for r in e.reasons), memo)
    key = f"closed\0{product.category}\0{product.purchase_date}"  # all closed_lines reads
    closed = memo.get(key) if memo is not None else None
    if closed is None:
        closed = "\n".join(closed_lines(ctx, product, promotions))
        if memo is not None:
            memo[key] = closed
    return "\n".join([reasons or "  • " + ctx.t("why.none_open"), *([closed] if closed else [])])


def steps() -> list[Step]:
    return [PromotionsStep(), ProductsStep()]

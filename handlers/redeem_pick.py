"""The redeem form's first two steps (issue 9, issue 11 item 4): the promotion, and the
product to redeem for it, each from one paged read of the backend; a single product (or the
one just registered) is picked by ``redeem_address.autopick`` and said."""

from __future__ import annotations

from typing import Any

from handlers import paging, redeem_address
from handlers import validators as v
from handlers.context import Ctx
from handlers.forms import FieldStep
from handlers.io import Action, Button
from handlers.promotions import redeemable_promotions
from handlers.sn_photo_step import drop_other_sticker
from states import State


class PromotionStep(FieldStep):
    takes_text = False

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        items = ctx.session.scratch.get("redeem_promos") or []
        return ctx.options(((c, n) for c, n in items), per_row=1)

    async def prompt(self, ctx: Ctx) -> None:
        eligible = await redeemable_promotions(ctx)
        ctx.session.scratch["redeem_promos"] = [(p.code, p.name) for p in eligible]
        if not eligible:
            ctx.say("redeem.nothing")
            ctx.goto(State.MENU)
            return
        await super().prompt(ctx)

    def display(self, ctx: Ctx, value: Any) -> str:
        return self.control(ctx).promotion_name or dict(
            ctx.session.scratch.get("redeem_promos") or []
        ).get(value, value)

    async def on_option(self, ctx: Ctx, value: str) -> None:
        codes = {p.code for p in await redeemable_promotions(ctx)}
        if value not in codes:
            ctx.say("redeem.promotion_not_redeemable")
            ctx.reprompt()
            return
        self.control(ctx).promotion_name = self.display(ctx, value)
        self.values(ctx)[self.field.name] = value
        await redeem_address.to_product(ctx)

    async def parse(self, ctx: Ctx, text: str) -> Any:
        raise v.Invalid("common.use_buttons")


class ProductStep(FieldStep):
    """The product to redeem: the redeemable ones as buttons, a page at a time."""

    takes_text = False

    async def prompt(self, ctx: Ctx) -> None:
        promotion = str(self.values(ctx).get("promotion"))
        member, size = ctx.require_member(), paging.PAGE_SIZE
        wanted = redeem_address.wanted(ctx)
        if isinstance(wanted, str):  # the product just registered: picked if redeemable
            found = await ctx.ports.backend.redeemable_products(
                member, promotion, ctx.today, 0, 1, product_id=wanted
            )
            if redeem_address.autopick(ctx, found, "redeem.picked_registered"):
                return
        page = paging.current(ctx)
        found = await ctx.ports.backend.redeemable_products(
            member, promotion, ctx.today, page * size, size
        )
        if wanted and redeem_address.autopick(ctx, found):
            return
        if found.total and not found.eligibility:  # past the last page: the last
            page = paging.clamp(page, found.total)
            found = await ctx.ports.backend.redeemable_products(
                member, promotion, ctx.today, page * size, size
            )
        if not found.eligibility:
            ctx.say("redeem.promotion_not_redeemable")
            ctx.goto(State.REDEEM_PROMOTION)
            return
        name = found.eligibility[0].promotion.name
        self.control(ctx).promotion_name = name
        items = [(p.id, f"{p.product_name} · {p.serial}") for p in found.products]
        ctx.session.scratch["redeem_products"] = items
        rows = [*ctx.options(items, per_row=1), paging.row(ctx, page, found.total), self.nav(ctx)]
        text = ctx.t(self.prompt_key(), promotion=name)
        if head := paging.header(ctx, page, found.total):
            text += "\n\n" + head
        ctx.say_text(self.prompt_key(), text, rows)

    def display(self, ctx: Ctx, value: Any) -> str:
        return self.control(ctx).product_label or dict(
            ctx.session.scratch.get("redeem_products") or []
        ).get(value, value)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if paging.turn(ctx, action):
            return
        await super().on_action(ctx, action)

    async def on_option(self, ctx: Ctx, value: str) -> None:
        promotion = str(self.values(ctx).get("promotion"))
        found = await ctx.ports.backend.redeemable_products(
            ctx.require_member(), promotion, ctx.today, 0, 1, product_id=value
        )
        if not found.products:
            ctx.say("redeem.product_not_eligible")
            ctx.reprompt()
            return
        self.control(ctx).product_label = redeem_address.product_summary(ctx, found.products[0])
        await self.accept(ctx, value)

    async def accept(self, ctx: Ctx, value: Any) -> None:
        self.values(ctx)[self.field.name] = value
        drop_other_sticker(self.values(ctx))  # the photo of another product's sticker
        self.advance(ctx)

    async def parse(self, ctx: Ctx, text: str) -> Any:
        raise v.Invalid("common.use_buttons")

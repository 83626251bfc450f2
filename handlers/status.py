"""Redeem history and claim details: the status the customer can act on."""

from __future__ import annotations

from backend.port import BackendError, Claim, ClaimEvent, ClaimPage, ClaimStatus, PrizeKind
from handlers import paging
from handlers.common import category_label
from handlers.context import Ctx, Step
from handlers.forms import continue_row
from handlers.io import Action, Kind
from handlers.locale_data import format_day
from handlers.notify import reason_text
from handlers.regions import region_name
from handlers.targets import Target
from states import State


def status_text(ctx: Ctx, claim: Claim) -> str:
    if claim.status == ClaimStatus.REJECTED:
        return ctx.t(
            "status.rejected_with",
            reason=reason_text(ctx.catalog, ctx.session.locale, claim.reason, claim.reason_text),
        )
    if claim.status == ClaimStatus.APPROVED and claim.prize_kind == PrizeKind.PHYSICAL:
        return ctx.t("status.approved_physical")
    if claim.status == ClaimStatus.SHIPPED and claim.tracking:
        return ctx.t("status.shipped_tracking", tracking=claim.tracking)
    if claim.status == ClaimStatus.APPROVED:
        return ctx.t("status.approved_code_soon")
    return ctx.t(f"status.{claim.status.value}")


def claim_line(ctx: Ctx, claim: Claim) -> str:
    return ctx.t(
        "status.line",
        date=claim.created_at.date().isoformat(),
        promotion=claim.promotion_name,
        product=claim.product_name,
        serial=claim.serial,
        status=status_text(ctx, claim),
    )


class StatusStep(Step):
    state = State.STATUS

    async def prompt(self, ctx: Ctx) -> None:
        found, page = await claim_page(ctx, paging.current(ctx))
        if not found.total:
            ctx.say(
                "status.none",
                buttons=[
                    continue_row(ctx),
                    [
                        ctx.menu_button("btn.promotions", Target.PROMOS),
                        ctx.menu_button("btn.menu", Target.MENU),
                    ],
                ],
            )
            return
        shown = found.claims  # newest first (the backend's order)
        head = paging.header(ctx, page, found.total)
        lines = [ctx.t("status.title")] + ([head] if head else [])
        items = [claim_line(ctx, c) for c in shown]
        rows = []
        for c in shown:
            if c.status == ClaimStatus.REJECTED:
                rows.append(
                    [
                        ctx.button(
                            "btn.redeem_again_for",
                            Kind.REDEEM_AGAIN,
                            c.id,
                            scoped=False,
                            product=c.product_name[:30],
                        )
                    ]
                )
            else:
                rows.append(
                    [
                        ctx.button(
                            "btn.claim_details",
                            Kind.CLAIM,
                            c.id,
                            scoped=False,
                            product=c.product_name[:30],
                        )
                    ]
                )
        rows.append(paging.row(ctx, page, found.total))
        rows += [continue_row(ctx), [ctx.menu_button("btn.menu", Target.MENU)]]
        ctx.say_text("status.title", paging.fit(lines, items), rows)  # one message

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if paging.turn(ctx, action):
            return
        if action.kind == Kind.BACK:
            ctx.goto(State.MENU)
        else:
            await super().on_action(ctx, action)


async def claim_page(ctx: Ctx, page: int, size: int = paging.PAGE_SIZE) -> tuple[ClaimPage, int]:
    """Page ``page`` of the member's claims, newest first (the last page for one past the
    end), and the page's number."""
    member = ctx.require_member()
    found = await ctx.ports.backend.claim_page(member, page * size, size)
    last = paging.clamp(page, found.total, size)
    if last != page:
        found = await ctx.ports.backend.claim_page(member, last * size, size)
    return found, last


async def show_claim(ctx: Ctx, claim_id: str) -> None:
    claim = await ctx.ports.backend.get_claim(ctx.require_member(), claim_id)
    text = claim_line(ctx, claim) + "\n" + "\n".join(await detail_lines(ctx, claim))
    if claim.status == ClaimStatus.SUCCESS and claim.prize_code:
        text += "\n\n" + ctx.t("status.code", code=claim.prize_code)
    rows = []
    if claim.status == ClaimStatus.REJECTED:
        rows.append([ctx.button("btn.redeem_again", Kind.REDEEM_AGAIN, claim.id, scoped=False)])
    rows.append(
        [ctx.menu_button("btn.status", Target.STATUS), ctx.menu_button("btn.menu", Target.MENU)]
    )
    ctx.say_text("status.detail", text, rows)


async def detail_lines(ctx: Ctx, claim: Claim) -> list[str]:
    """What Details add to the claim's line: the product's purchase date, region and
    category, then every status the claim has had with its date (each rejection with its
    reason, each time it was sent again), from the claim's history in the backend."""
    locale = ctx.session.locale
    lines = []
    try:
        product = await ctx.ports.backend.get_product(claim.member_id, claim.product_id)
    except BackendError:
        product = None
    if product is not None:
        lines.append(
            ctx.t(
                "status.detail_product",
                category=category_label(ctx, product.category),
                date=format_day(product.purchase_date, locale),
                region=region_name(product.region, locale) if product.region else "—",
            )
        )
    history = await ctx.ports.backend.status_history(claim.member_id, claim.id)
    if not history:  # a claim from before its events were kept: what the claim itself knows
        lines.append(
            ctx.t(
                "status.detail_dates",
                submitted=format_day(claim.created_at.date(), locale),
                changed=format_day(claim.updated_at.date(), locale),
            )
        )
        return lines
    lines.append(ctx.t("status.history_title"))
    sent = False
    for event in history:
        lines.append(
            ctx.t(
                "status.history_line",
                date=format_day(event.at.date(), locale),
                status=event_text(ctx, event, again=sent),
            )
        )
        sent = sent or event.status == ClaimStatus.UNDER_REVIEW
    return lines


def event_text(ctx: Ctx, event: ClaimEvent, *, again: bool) -> str:
    """One status of the claim's history, as the customer was told it."""
    if event.status == ClaimStatus.UNDER_REVIEW:
        return ctx.t("status.history_sent_again" if again else "status.history_sent")
    if event.status == ClaimStatus.REJECTED:
        return ctx.t(
            "status.rejected_with",
            reason=reason_text(ctx.catalog, ctx.session.locale, event.reason, event.reason_text),
        )
    if event.status == ClaimStatus.SHIPPED and event.tracking:
        return ctx.t("status.shipped_tracking", tracking=event.tracking)
    return ctx.t(f"status.{event.status.value}")


def steps() -> list[Step]:
    return [StatusStep()]

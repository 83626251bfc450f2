"""Handoff to human support: the customer writes, staff answer from the staff group (or
the staff CLI); the customer is told while nobody has answered yet and can close it."""

from __future__ import annotations

from handlers import validators as v
from handlers.context import Ctx, Step
from handlers.images import receive_image
from handlers.io import Action, ImageIn, Kind
from handlers.targets import Target
from states import State

CLOSE = "close"


class ComposeStep(Step):
    state = State.SUPPORT_COMPOSE

    async def prompt(self, ctx: Ctx) -> None:
        ctx.say("support.compose", buttons=[ctx.nav_row()], free_text=True)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        try:
            message = v.text(text, max_len=2000)
        except v.Invalid as exc:
            ctx.explain(exc)
            ctx.reprompt()
            return
        await ctx.ports.support.open_ticket(ctx.session.key, ctx.member_id, message)
        ctx.say("support.sent")
        ctx.goto(State.SUPPORT_OPEN)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            ctx.goto(State.MENU)
        else:
            await super().on_action(ctx, action)


class OpenTicketStep(Step):
    """While a request is open, everything the customer writes goes to staff."""

    state = State.SUPPORT_OPEN

    async def prompt(self, ctx: Ctx) -> None:
        if not await ctx.ports.support.has_open(ctx.session.key):
            ctx.goto(State.MENU)
            return
        ctx.say(
            "support.waiting",
            free_text=True,
            buttons=[
                [ctx.button("btn.close_request", Kind.OPTION, CLOSE)],
                [ctx.menu_button("btn.menu", Target.MENU)],
            ],
        )

    async def on_text(self, ctx: Ctx, text: str) -> None:
        try:
            message = v.text(text, max_len=2000)
        except v.Invalid as exc:
            ctx.explain(exc)
            return
        ticket = await ctx.ports.support.add_customer_message(ctx.session.key, message)
        if ticket is None:  # staff closed the request meanwhile: this message opens a new one
            await ctx.ports.support.open_ticket(ctx.session.key, ctx.member_id, message)
            ctx.say("support.sent")
            return
        ctx.say("support.added")

    async def on_image(self, ctx: Ctx, image: ImageIn) -> None:
        ref = await receive_image(ctx, image)
        if ref:
            note = ctx.t("support.image_note")
            if (
                await ctx.ports.support.add_customer_message(ctx.session.key, note, media_ref=ref)
                is None
            ):
                ticket = await ctx.ports.support.open_ticket(ctx.session.key, ctx.member_id, None)
                await ctx.ports.support.add_message(ticket.id, "customer", note, media_ref=ref)
                ctx.say("support.sent")
                return
            ctx.say("support.added")

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if (action.kind == Kind.OPTION and action.value == CLOSE) or action.kind == Kind.CANCEL:
            await ctx.ports.support.close_for(ctx.session.key)
            ctx.say("support.closed")
            ctx.goto(State.MENU)
        elif action.kind == Kind.BACK:
            ctx.goto(State.MENU)
        else:
            await super().on_action(ctx, action)


def steps() -> list[Step]:
    return [ComposeStep(), OpenTicketStep()]

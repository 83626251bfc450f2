"""Handoff to human support: the customer writes, staff answer from the staff group (or
the staff CLI); the customer is told while nobody has answered yet and can close it."""

from __future__ import annotations

import re

from handlers import validators as v
from handlers.context import Ctx, Step
from handlers.images import receive_image
from handlers.io import Action, ImageIn, Kind
from handlers.targets import Target
from states import State

CLOSE = "close"
SEND_IMAGE = "send_image"  # the menu's offer: send the picture just received to support
DROP_IMAGE = "drop_image"
OFFERED_IMAGE = "_support_image"  # scratch: the stored picture (a media ref) on offer


def asks_for_a_person(ctx: Ctx, text: str) -> bool:
    """ "I want to talk to a human", "support", "Kundendienst", "客服": words of the catalog's
    ``typed.support`` list, as whole words (or anywhere in text written without spaces)."""
    folded = " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())
    for phrase in ctx.t("typed.support").split(","):
        wanted = " ".join(phrase.casefold().split())
        if not wanted:
            continue
        if wanted.isascii():
            if re.search(rf"(?<!\w){re.escape(wanted)}(?!\w)", folded):
                return True
        elif wanted in folded.replace(" ", ""):
            return True
    return False


async def refused(ctx: Ctx) -> bool:
    """Staff banned this customer from support: nothing of theirs is taken (no request, no
    "sent to support"); they are told politely once, then nothing is said."""
    bans = ctx.ports.bans
    notice = None if bans is None else await bans.refused(ctx.session.key, ctx.session.locale)
    if notice is None:
        return False
    for reply in notice:
        ctx.say_text(reply.key, reply.text)
    return True


async def open_support(ctx: Ctx) -> None:
    """To support: the open request if there is one, else a new one is written."""
    has_open = await ctx.ports.support.has_open(ctx.session.key)
    ctx.goto(State.SUPPORT_OPEN if has_open else State.SUPPORT_COMPOSE)


async def offer_image(ctx: Ctx, image: ImageIn) -> None:
    """A picture where none is asked for (the menu): stored, and offered to support."""
    ref = await receive_image(ctx, image)
    if not ref:
        ctx.reprompt()
        return
    ctx.session.scratch[OFFERED_IMAGE] = ref
    send = ctx.button("btn.send_to_support", Kind.OPTION, SEND_IMAGE)
    ctx.say(
        "support.image_offer",
        buttons=[[send, ctx.button("btn.no_thanks", Kind.OPTION, DROP_IMAGE)]],
    )


async def answer_image_offer(ctx: Ctx, value: str) -> bool:
    """The customer's answer to :func:`offer_image`; False if ``value`` is not one."""
    if value not in (SEND_IMAGE, DROP_IMAGE):
        return False
    ref = ctx.session.scratch.pop(OFFERED_IMAGE, None)
    if value == SEND_IMAGE and ref and await refused(ctx):
        return True
    if value == DROP_IMAGE or not ref:
        ctx.say("support.image_dropped")
        ctx.reprompt()
        return True
    note = ctx.t("support.image_note")
    if await ctx.ports.support.add_customer_message(ctx.session.key, note, media_ref=ref) is None:
        ticket = await ctx.ports.support.open_ticket(ctx.session.key, ctx.member_id, None)
        await ctx.ports.support.add_message(ticket.id, "customer", note, media_ref=ref)
    ctx.say("support.sent")
    ctx.goto(State.SUPPORT_OPEN)
    return True


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
        if await refused(ctx):
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
        if await refused(ctx):
            return
        ticket = await ctx.ports.support.add_customer_message(ctx.session.key, message)
        if ticket is None:  # staff closed the request meanwhile: this message opens a new one
            await ctx.ports.support.open_ticket(ctx.session.key, ctx.member_id, message)
            ctx.say("support.sent")
            return
        ctx.say("support.added")

    async def on_image(self, ctx: Ctx, image: ImageIn) -> None:
        if await refused(ctx):
            return
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

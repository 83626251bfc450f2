"""The welcome and the main menu; where every journey starts and returns."""

from __future__ import annotations

from handlers.context import Ctx, Step
from handlers.faq import answer, match_faq
from handlers.forms import UNDO_VALUE, continue_row, undo_cancel
from handlers.io import Action, Button, ImageIn, Kind
from handlers.redeem_address import SAVE_PHONE, save_phone
from handlers.support import answer_image_offer, asks_for_a_person, offer_image, open_support
from handlers.targets import Target
from states import State


def menu_rows(ctx: Ctx) -> list[list[Button]]:
    b = ctx.menu_button
    rows = [continue_row(ctx)]
    if ctx.member_id:
        rows += [
            [b("btn.register_product", Target.REGISTER), b("btn.redeem", Target.REDEEM)],
            [b("btn.status", Target.STATUS), b("btn.promotions", Target.PROMOS)],
            [b("btn.my_products", Target.PRODUCTS), b("btn.profile", Target.PROFILE)],
            [b("btn.faq", Target.FAQ), b("btn.support", Target.SUPPORT)],
        ]
    else:
        rows += [
            [b("btn.signup", Target.SIGNUP), b("btn.login", Target.LOGIN)],
            [b("btn.promotions", Target.PROMOS), b("btn.faq", Target.FAQ)],
            [b("btn.support", Target.SUPPORT)],
        ]
    return [r for r in rows if r]


class MenuStep(Step):
    state = State.MENU

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.OPTION and action.value == UNDO_VALUE and undo_cancel(ctx):
            return
        if action.kind == Kind.OPTION and action.value == SAVE_PHONE and await save_phone(ctx):
            return
        if action.kind == Kind.OPTION and await answer_image_offer(ctx, action.value):
            return
        await super().on_action(ctx, action)

    async def prompt(self, ctx: Ctx) -> None:
        ctx.say("menu.title" if ctx.member_id else "menu.title_guest", buttons=menu_rows(ctx))

    async def on_text(self, ctx: Ctx, text: str) -> None:
        if asks_for_a_person(ctx, text):
            await open_support(ctx)
            return
        faq_id = match_faq(ctx, text)
        if faq_id:
            answer(ctx, faq_id)
            return
        ctx.say("common.dont_understand")
        ctx.reprompt()

    async def on_image(self, ctx: Ctx, image: ImageIn) -> None:
        await offer_image(ctx, image)


class StartStep(MenuStep):
    state = State.START

    async def prompt(self, ctx: Ctx) -> None:
        ctx.say("start.welcome", buttons=menu_rows(ctx))


def steps() -> list[Step]:
    return [StartStep(), MenuStep()]

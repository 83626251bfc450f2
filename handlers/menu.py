"""The welcome and the main menu; where every journey starts and returns."""

from __future__ import annotations

from handlers.context import MENU, Ctx, Step
from handlers.faq import answer, match_faq
from handlers.forms import continue_row
from handlers.io import Button
from states import State


def menu_rows(ctx: Ctx) -> list[list[Button]]:
    def b(key: str, target: str) -> Button:
        return ctx.button(key, MENU, target, scoped=False)

    rows = [continue_row(ctx)]
    if ctx.member_id:
        rows += [
            [b("btn.register_product", "register"), b("btn.redeem", "redeem")],
            [b("btn.status", "status"), b("btn.promotions", "promos")],
            [b("btn.my_products", "products"), b("btn.profile", "profile")],
            [b("btn.faq", "faq"), b("btn.support", "support")],
        ]
    else:
        rows += [
            [b("btn.signup", "signup"), b("btn.login", "login")],
            [b("btn.promotions", "promos"), b("btn.faq", "faq")],
            [b("btn.support", "support")],
        ]
    return [r for r in rows if r]


class MenuStep(Step):
    state = State.MENU

    async def prompt(self, ctx: Ctx) -> None:
        ctx.say("menu.title" if ctx.member_id else "menu.title_guest", buttons=menu_rows(ctx))

    async def on_text(self, ctx: Ctx, text: str) -> None:
        faq_id = match_faq(ctx, text)
        if faq_id:
            answer(ctx, faq_id)
            return
        ctx.say("common.dont_understand")
        ctx.reprompt()


class StartStep(MenuStep):
    state = State.START

    async def prompt(self, ctx: Ctx) -> None:
        ctx.say("start.welcome", buttons=menu_rows(ctx))


def steps() -> list[Step]:
    return [StartStep(), MenuStep()]

"""The customer's language: offered by /language and in the profile, stored with the
conversation (the session) and with the chat's member link (notifications use it).

The first language comes from the channel's hint at first contact (``Engine.new_session``);
a choice here replaces it. Buttons carry the locale id ("de"), never a translated word.
"""

from __future__ import annotations

from handlers.context import Ctx
from handlers.io import Button, Kind
from handlers.locale_data import language_name

CHOSEN = "locale_chosen"  # scratch flag: this chat chose its language (not the client's hint)


async def on_login(ctx: Ctx, member_id: str) -> None:
    """A chat logs in: a language chosen here becomes the member's; otherwise the member's
    earlier choice (in another chat) is spoken here too."""
    links = ctx.ports.links
    if ctx.session.scratch.get(CHOSEN):
        await links.set_member_locale(member_id, ctx.session.locale)
        return
    chosen = await links.member_locale(member_id)
    if chosen and chosen in ctx.catalog.locales:
        ctx.session.locale = chosen


def language_buttons(ctx: Ctx) -> list[list[Button]]:
    """One row: each language in its own name ("English", "Deutsch", "中文 (繁體)")."""
    current = ctx.session.locale
    row = [
        ctx.button_text(
            ("✓ " if loc == current else "") + language_name(loc), Kind.LANGUAGE, loc, scoped=False
        )
        for loc in ctx.catalog.locales
    ]
    return [row]


def offer(ctx: Ctx) -> None:
    """/language: the three buttons, then the current step again."""
    ctx.say("language.choose", buttons=language_buttons(ctx))
    ctx.reprompt()


async def choose(ctx: Ctx, locale: str) -> None:
    """A language button: the conversation and the chat's link speak it from now on."""
    if locale not in ctx.catalog.locales:
        ctx.say("common.button_expired")
        ctx.reprompt()
        return
    ctx.session.locale = locale
    ctx.session.scratch[CHOSEN] = True
    await ctx.ports.links.set_locale(ctx.session.key, locale)
    if ctx.member_id:
        await ctx.ports.links.set_member_locale(ctx.member_id, locale)
    ctx.say("language.set", language=language_name(locale))
    ctx.reprompt()

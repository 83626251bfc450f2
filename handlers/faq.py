"""The vendor's FAQ as a menu, and free text answered from it when it clearly matches."""

from __future__ import annotations

import re

from handlers.context import Ctx, Step
from handlers.forms import continue_row
from handlers.io import Action, Kind
from handlers.targets import Target
from states import State

FAQ_IDS = ("no_promotion", "incomplete", "how_long", "no_email", "find_serial", "chk", "invoice", "limit", "zero_o")
_WORD = re.compile(r"[\w']+", re.UNICODE)


def match_faq(ctx: Ctx, text: str) -> str | None:
    """The FAQ entry a free text clearly asks about, by keyword overlap; None when unsure."""
    words = {w.lower() for w in _WORD.findall(text)}
    if not words:
        return None
    best, best_score, tie = None, 0.0, False
    for faq_id in FAQ_IDS:
        keywords = {k.strip().lower() for k in ctx.t(f"faq.{faq_id}.keywords").split(",") if k.strip()}
        hits = 0.0
        for k in keywords:
            parts = k.split()
            if len(parts) > 1:
                hits += 2.0 if k in text.lower() else 0.0
            elif k in words:
                hits += 1.0
        if hits > best_score:
            best, best_score, tie = faq_id, hits, False
        elif hits and hits == best_score:
            tie = True
    # one clear keyword is enough ("invoice", "CHK"); two questions scoring the same is not
    return best if best_score >= 1.0 and not tie else None


def answer(ctx: Ctx, faq_id: str) -> None:
    ctx.say(
        "faq.answer",
        question=ctx.t(f"faq.{faq_id}.q"),
        answer=ctx.t(f"faq.{faq_id}.a"),
        buttons=[[ctx.menu_button("btn.more_faq", Target.FAQ), ctx.menu_button("btn.menu", Target.MENU)]],
    )


class FaqStep(Step):
    state = State.FAQ

    async def prompt(self, ctx: Ctx) -> None:
        rows = [[ctx.button_text(ctx.t(f"faq.{f}.q"), Kind.FAQ_ITEM, f, scoped=False)] for f in FAQ_IDS]
        rows.append(continue_row(ctx))
        rows.append([ctx.menu_button("btn.support", Target.SUPPORT), ctx.menu_button("btn.menu", Target.MENU)])
        ctx.say("faq.title", buttons=rows)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        faq_id = match_faq(ctx, text)
        if faq_id:
            answer(ctx, faq_id)
        else:
            ctx.say("faq.no_match")
            ctx.reprompt()

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            ctx.goto(State.MENU)
        else:
            await super().on_action(ctx, action)


def steps() -> list[Step]:
    return [FaqStep()]

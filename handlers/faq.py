"""The vendor's FAQ as a menu, and free text answered from it when it clearly matches."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from handlers import support
from handlers.context import Ctx, Step
from handlers.faq_ids import FAQ_IDS as FAQ_IDS  # (re-exported: the router reads it here)
from handlers.forms import continue_row
from handlers.io import Action, Kind
from handlers.targets import Target
from handlers.workspace import faq as taught
from states import State
from storage.workspace import FaqItem

ASK_PERSON = "ask_person"  # the "Ask a person" button after an unmatched question
UNMATCHED = "_faq_unmatched"  # scratch: the last question the FAQ could not answer
HANDOFF = "_faq_handoff"  # scratch: the question handed to a person (read by the staff side)
_WORD = re.compile(r"[\w']+", re.UNICODE)
#: typed words at least this long also match a keyword they contain (German compounds:
#: "Rechnungsdatum" has "rechnung") or one a typo away (rapidfuzz ratio, "invoce")
_LONG_WORD = 5
_TYPO_SCORE = 85.0


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # a Han character (the CJK blocks)


def _han_bigrams(text: str) -> set[str]:
    """Chinese has no spaces: adjacent character pairs of each run of Han characters (a run
    of one character is kept as itself)."""
    out: set[str] = set()
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text):
        out |= {run[i : i + 2] for i in range(len(run) - 1)} if len(run) > 1 else {run}
    return out


def keyword_score(keyword: str, text: str, words: set[str], bigrams: set[str]) -> float:
    """How strongly one keyword is in a typed text: 2 for a phrase or a whole Chinese
    keyword, 1 for a word (or a compound containing it, or a near miss), 1 for most of a
    Chinese keyword's bigrams, else 0."""
    if _HAN.search(keyword):
        kb = _han_bigrams(keyword)
        share = len(kb & bigrams) / len(kb) if kb else 0.0
        return 2.0 if share == 1.0 else 1.0 if share >= 0.5 and len(kb) >= 2 else 0.0
    if len(keyword.split()) > 1:
        return 2.0 if keyword in text else 0.0
    if keyword in words:
        return 1.0
    if len(keyword) >= _LONG_WORD:
        for w in words:
            if len(w) >= _LONG_WORD and (keyword in w or fuzz.ratio(keyword, w) >= _TYPO_SCORE):
                return 1.0
    return 0.0


def _keywords(text: str) -> frozenset[str]:
    """A catalog's keyword list (commas, Chinese commas) as the folded keywords."""
    return frozenset(
        k.strip().casefold()
        for k in text.replace("，", ",").replace("、", ",").split(",")
        if k.strip()
    )


def faq_keywords(ctx: Ctx, faq_id: str) -> set[str]:
    """The entry's keywords in the customer's language, and in English (typed anywhere)."""
    key = f"faq.{faq_id}.keywords"
    found = set(ctx.catalog.parsed(ctx.session.locale, key, _keywords))
    return found if ctx.session.locale == "en" else found | ctx.catalog.parsed("en", key, _keywords)


def match_faq(ctx: Ctx, text: str) -> str | None:
    """The FAQ entry a free text clearly asks about, by keyword overlap; None when unsure."""
    text = text.casefold()
    words = set(_WORD.findall(text))
    bigrams = _han_bigrams(text)
    if not words:
        return None
    best, best_score, tie = None, 0.0, False
    for faq_id in FAQ_IDS:
        hits = sum(keyword_score(k, text, words, bigrams) for k in faq_keywords(ctx, faq_id))
        if hits > best_score:
            best, best_score, tie = faq_id, hits, False
        elif hits and hits == best_score:
            tie = True
    # one clear keyword is enough ("invoice", "CHK"); two questions scoring the same is not
    return best if best_score >= 1.0 and not tie else None


def answer(ctx: Ctx, faq_id: str) -> None:
    say_answer(ctx, ctx.t(f"faq.{faq_id}.q"), ctx.t(f"faq.{faq_id}.a"))


def say_answer(ctx: Ctx, question: str, text: str) -> None:
    ctx.say(
        "faq.answer",
        question=question,
        answer=text,
        buttons=[
            [ctx.menu_button("btn.more_faq", Target.FAQ), ctx.menu_button("btn.menu", Target.MENU)]
        ],
    )


async def taught_answer(ctx: Ctx, text: str) -> FaqItem | None:
    """The database FAQ's answer (the ways of asking and the entries staff taught with
    /learn), when the catalog's keywords found none."""
    if ctx.ports.faq is None:
        return None
    return taught.best_match(await ctx.ports.faq.entries(ctx.session.locale), text)


class FaqStep(Step):
    state = State.FAQ

    async def prompt(self, ctx: Ctx) -> None:
        rows = [
            [ctx.button_text(ctx.t(f"faq.{f}.q"), Kind.FAQ_ITEM, f, scoped=False)] for f in FAQ_IDS
        ]
        rows.append(continue_row(ctx))
        rows.append(
            [
                ctx.menu_button("btn.support", Target.SUPPORT),
                ctx.menu_button("btn.menu", Target.MENU),
            ]
        )
        ctx.say("faq.title", buttons=rows)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        faq_id = match_faq(ctx, text)
        item = None if faq_id else await taught_answer(ctx, text)
        if faq_id:
            answer(ctx, faq_id)
        elif item is not None:
            say_answer(ctx, item.question, item.answer)
        else:
            ctx.session.scratch[UNMATCHED] = text.strip()[:2000]
            ask = ctx.button("btn.ask_person", Kind.OPTION, ASK_PERSON)
            ctx.say("faq.no_match", buttons=[[ask]])
            ctx.reprompt()

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.OPTION and action.value == ASK_PERSON:
            await ask_a_person(ctx)
        elif action.kind == Kind.BACK:
            ctx.goto(State.MENU)
        else:
            await super().on_action(ctx, action)


async def ask_a_person(ctx: Ctx) -> None:
    """The question the FAQ could not answer, handed to a person as a support request (the
    staff side shows it with the closest FAQ entries: ``HANDOFF`` names it)."""
    question = ctx.session.scratch.pop(UNMATCHED, None)
    if not isinstance(question, str) or not question:
        ctx.reprompt()
        return
    if await support.refused(ctx):
        return
    await ctx.ports.support.open_ticket(ctx.session.key, ctx.member_id, question)
    ctx.session.scratch[HANDOFF] = question
    ctx.say("support.sent")
    ctx.goto(State.SUPPORT_OPEN)


def steps() -> list[Step]:
    return [FaqStep()]

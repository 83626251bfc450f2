"""Buttons answered by typing: what a customer may type for each button just shown (a channel
with no buttons, or someone who types "I agree" instead of tapping it), kept in the session's
scratch and looked up when a text arrives.

Runs on every turn: the catalog's typed words are folded once per language and key, and the
labels once each (a bounded memo; a "keep" button's label, which shows what the customer
typed, is never kept).
"""

from __future__ import annotations

import re

from handlers.common import KEEP
from handlers.context import Ctx
from handlers.io import Action, Kind

TYPED = "_typed"  # scratch: what the customer may type for each button just shown

# what fold_label drops: neither alphanumeric nor space (``\w`` is ``str.isalnum`` plus "_";
# ``\s`` is ``str.isspace``); one regex, not a Python loop over characters: every button
# of every turn is folded (~5% of a turn's CPU at load, bench_telegram.py)
_NOT_TYPED = re.compile(r"[^\w\s]|_")

#: the buttons a customer may also answer with words of their own (the catalog's "typed.*")
TYPED_WORDS = {
    Kind.BACK: "typed.back",
    Kind.SKIP: "typed.skip",
    Kind.CANCEL: "typed.cancel",
    Kind.CONFIRM: "typed.confirm",
}
TYPED_PREFIXES = frozenset({*(str(k) for k in TYPED_WORDS), str(Kind.OPTION)})  # (KEEP)
FOLDED_MAX = 4096  # labels remembered folded (a bound)
KEEP_DATA = f"{Kind.OPTION}:{KEEP}"  # "keep what you typed" (its label shows it: not kept)


def fold_label(label: str) -> str:
    """A label as a customer would type it: no emoji or symbols, case-folded."""
    return " ".join(_NOT_TYPED.sub("", label).casefold().split())


def typed_button(ctx: Ctx, text: str) -> str | None:
    """The data of the button just shown that ``text`` names, if any."""
    folded = fold_label(text)
    return (ctx.session.scratch.get(TYPED) or {}).get(folded) if folded else None


class TypedButtons:
    """Remembers, per turn, the buttons just shown by the words that name them."""

    def __init__(self) -> None:
        # derived from the catalog and the labels only: computed once, not state
        self._typed: dict[tuple[str, str], list[str]] = {}  # (locale, key) -> typed words
        self._folded: dict[str, str] = {}  # label -> fold_label(label), at most FOLDED_MAX

    def remember(self, ctx: Ctx) -> None:
        if not ctx.replies:
            return
        words: dict[str, str] = {}
        for reply in ctx.replies:
            for row in reply.buttons:
                for button in row:
                    data = button.data
                    label = button.label
                    folded = fold_label(label) if data.startswith(KEEP_DATA) else self.folded(label)
                    words.setdefault(folded, data)
                    if data.partition(":")[0] not in TYPED_PREFIXES:
                        continue  # (the common case: no typed words, nothing to decode)
                    for word in self.words_for(ctx, Action.decode(data)):
                        words.setdefault(word, data)
        words.pop("", None)
        ctx.session.scratch[TYPED] = words

    def folded(self, label: str) -> str:
        """``fold_label(label)``, remembered: the same labels come back turn after turn."""
        found = self._folded.get(label)
        if found is None:
            if len(self._folded) >= FOLDED_MAX:
                self._folded.clear()
            found = self._folded[label] = fold_label(label)
        return found

    def words_for(self, ctx: Ctx, action: Action | None) -> list[str]:
        if action is None:
            return []
        key = TYPED_WORDS.get(action.kind)
        if action.kind == Kind.OPTION and action.value == KEEP:
            key = "typed.keep"
        if key is None:
            return []
        locale = ctx.session.locale
        found = self._typed.get((locale, key))
        if found is None:  # the catalog's words for it in this language, folded once
            found = [fold_label(w) for w in ctx.t(key).split(",") if w.strip()]
            self._typed[locale, key] = found
        return found

"""Long lists shown a page at a time, with Previous/Next buttons (a member with 1,000
products or 500 claims gets one short message, not sixty)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from handlers.context import Ctx
from handlers.io import Action, Button, Kind

T = TypeVar("T")

PAGE_SIZE = 10
_KEY = "page"


def turn(ctx: Ctx, action: Action) -> bool:
    """A tap on a page button: remember the page for the prompt that follows. False for
    any other action (or a page number that is not a number)."""
    if action.kind != Kind.PAGE or not action.value.isdigit():
        return False
    ctx.session.scratch[_KEY] = int(action.value)
    ctx.reprompt()
    return True


def current(ctx: Ctx) -> int:
    """The page asked for by the tap just handled; the first page otherwise."""
    page = ctx.session.scratch.pop(_KEY, 0)
    return page if isinstance(page, int) and page >= 0 else 0


def pages(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def clamp(page: int, total: int, size: int = PAGE_SIZE) -> int:
    return min(page, pages(total, size) - 1)


def window(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> Sequence[T]:
    return items[page * size : (page + 1) * size]


def header(ctx: Ctx, page: int, total: int, size: int = PAGE_SIZE) -> str:
    """ "Page 2 of 5", or nothing when everything fits on one page."""
    count = pages(total, size)
    return ctx.t("page.of", page=page + 1, pages=count) if count > 1 else ""


def row(ctx: Ctx, page: int, total: int, size: int = PAGE_SIZE) -> list[Button]:
    """Previous/Next buttons (scoped: only the newest list's buttons turn its pages)."""
    buttons = []
    if page > 0:
        buttons.append(ctx.button("btn.page_prev", Kind.PAGE, str(page - 1)))
    if page + 1 < pages(total, size):
        buttons.append(ctx.button("btn.page_next", Kind.PAGE, str(page + 1)))
    return buttons


#: Telegram's longest message, in UTF-16 code units (what it counts): one page, one message
MESSAGE_LIMIT = 4096
MORE = "…"


def units(text: str) -> int:
    """``text``'s length as Telegram counts it (UTF-16 code units: an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def fit(
    head: Sequence[str],
    items: Sequence[str],
    tail: Sequence[str] = (),
    sep: str = "\n\n",
    limit: int = MESSAGE_LIMIT,
) -> str:
    """``head``, ``items`` and ``tail`` joined by ``sep`` as one message: as they are when
    they fit ``limit``; else each item longer than an equal share of what the head and the
    tail leave is cut to it (whole lines first, then the line, marked "…"), so a page of
    long names and many reasons is still one message with its page buttons under it."""
    text = sep.join([*head, *items, *tail])
    if units(text) <= limit or not items:
        return text
    fixed = units(sep.join([*head, *tail])) + units(sep) * len(items)
    share = max(1, (limit - fixed) // len(items))
    return sep.join([*head, *(_cut(item, share) for item in items), *tail])


def _cut(item: str, share: int) -> str:
    """``item`` in ``share`` units: its first lines whole, the next one cut, marked "…"."""
    if units(item) <= share:
        return item
    out: list[str] = []
    used = 0
    for line in item.split("\n"):
        sep = 1 if out else 0
        if used + sep + units(line) + units(MORE) <= share:  # whole, with room for the mark
            out.append(line)
            used += sep + units(line)
            continue
        room = share - used - sep
        if room > units(MORE):
            out.append(_hard(line, room))
        elif out:
            out[-1] += MORE
        else:
            out.append(_hard(line, share))
        break
    return "\n".join(out)


def _hard(text: str, share: int) -> str:
    """``text`` cut to ``share`` units, "…" included (never inside a surrogate pair)."""
    room = share - units(MORE)
    out: list[str] = []
    used = 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > room:
            break
        out.append(ch)
        used += size
    return "".join(out) + MORE

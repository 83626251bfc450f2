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

"""The per-event context a journey works with, and the base class of every step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.i18n import Catalog
from handlers.io import Action, Button, ImageIn, Reply
from handlers.ports import Ports
from states import Session, State

# action kinds (the short prefixes of callback data); labels are never matched
BACK, CANCEL, SKIP, CONFIRM, EDIT, YES, NO, OPTION = "b", "x", "s", "ok", "e", "y", "n", "o"
MENU, REDEEM_AGAIN, CLAIM, PROMO, FAQ_ITEM = "m", "ra", "cl", "pr", "fq"


class Ctx:
    """Everything a step needs for one event: the session, the ports and the reply buffer."""

    def __init__(self, session: Session, ports: Ports, catalog: Catalog) -> None:
        self.session = session
        self.ports = ports
        self.catalog = catalog
        self.now = ports.clock()
        self.replies: list[Reply] = []
        self.target: str | None = None
        self.delete_input = False
        self.steps: Mapping[str, Step] = {}  # every step by state, set by the router
        self.tapped: Action | None = None  # the (valid) button this event is a tap on

    # -- text ----------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        """The customer's date: in their region's time zone when known, else UTC's."""
        zone = self.session.scratch.get("tz")
        if zone:
            try:
                return self.now.astimezone(ZoneInfo(zone)).date()
            except (ZoneInfoNotFoundError, ValueError):
                pass
        return self.now.date()

    def t(self, key: str, **params: Any) -> str:
        return self.catalog.text(self.session.locale, key, **params)

    def say(
        self,
        key: str,
        *,
        buttons: Sequence[Sequence[Button]] = (),
        secret: bool = False,
        image: str | None = None,
        replace: bool = False,
        free_text: bool = False,
        **params: Any,
    ) -> None:
        self.replies.append(
            Reply(
                text=self.t(key, **params),
                buttons=tuple(tuple(row) for row in buttons if row),
                secret=secret,
                image=image,
                replace=replace,
                key=key,
                free_text=free_text or secret,
            )
        )

    def say_text(self, key: str, text: str, buttons: Sequence[Sequence[Button]] = ()) -> None:
        """A text composed by the journey from several catalog pieces."""
        self.replies.append(Reply(text=text, buttons=tuple(tuple(r) for r in buttons if r), key=key))

    # -- buttons ---------------------------------------------------------------
    def button(self, label_key: str, kind: str, value: str = "", /, *, scoped: bool = True, **params: Any) -> Button:
        return self.button_text(self.t(label_key, **params), kind, value, scoped=scoped)

    def button_text(self, label: str, kind: str, value: str = "", *, scoped: bool = True) -> Button:
        seq = self.session.seq if scoped else None
        return Button(label=label, data=Action(kind, value, seq).encode())

    def nav_row(self, *, back: bool = True, skip: bool = False, cancel: bool = True) -> list[Button]:
        row = []
        if back:
            row.append(self.button("btn.back", BACK))
        if skip:
            row.append(self.button("btn.skip", SKIP))
        if cancel:
            row.append(self.button("btn.cancel", CANCEL))
        return row

    def options(self, items: Iterable[tuple[str, str]], per_row: int = 2, kind: str = OPTION) -> list[list[Button]]:
        """Rows of option buttons from (value, label) pairs."""
        rows: list[list[Button]] = []
        for value, label in items:
            if not rows or len(rows[-1]) >= per_row:
                rows.append([])
            rows[-1].append(self.button_text(label, kind, value))
        return rows

    # -- flow ------------------------------------------------------------------
    def goto(self, state: str) -> None:
        """Move to ``state``; its prompt is shown once the handler returns."""
        self.session.state = state
        self.target = state

    def reprompt(self) -> None:
        self.target = self.session.state

    @property
    def member_id(self) -> str | None:
        return self.session.member_id


class Step:
    """One state's behaviour. Subclasses override what they accept; the defaults answer
    everything else helpfully and show the step again (never silence)."""

    state: State

    async def prompt(self, ctx: Ctx) -> None:  # pragma: no cover - every step overrides
        raise NotImplementedError

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.say("common.use_buttons")
        ctx.reprompt()

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        ctx.say("common.button_expired")
        ctx.reprompt()

    async def on_image(self, ctx: Ctx, image: ImageIn) -> None:
        ctx.say("common.no_image_here")
        ctx.reprompt()

    async def on_album(self, ctx: Ctx, images: tuple[ImageIn, ...]) -> None:
        await self.on_image(ctx, images[0])

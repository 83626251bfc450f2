"""The per-event context a journey works with, and the base class of every step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from handlers.i18n import Catalog
from handlers.io import Action, Button, ImageIn, Kind, Reply
from handlers.ports import Ports
from handlers.targets import Target
from states import Session, State


class Explainable(Protocol):
    """An error the customer is told about (``Invalid``, ``BackendError``)."""

    @property
    def key(self) -> str: ...

    @property
    def params(self) -> Mapping[str, Any]: ...


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

    def explain(self, error: Explainable) -> None:
        """Say what a validation or backend error means: its catalog key and parameters."""
        self.replies.append(Reply(text=self.t(error.key, **error.params), key=error.key))

    def say_text(self, key: str, text: str, buttons: Sequence[Sequence[Button]] = ()) -> None:
        """A text composed by the journey from several catalog pieces."""
        self.replies.append(
            Reply(text=text, buttons=tuple(tuple(r) for r in buttons if r), key=key)
        )

    # -- buttons ---------------------------------------------------------------
    def button(
        self, label_key: str, kind: Kind, value: str = "", /, *, scoped: bool = True, **params: Any
    ) -> Button:
        return self.button_text(self.t(label_key, **params), kind, value, scoped=scoped)

    def menu_button(self, label_key: str, target: Target, **params: Any) -> Button:
        """A button to a menu target (valid from any message, however old)."""
        return self.button(label_key, Kind.MENU, target, scoped=False, **params)

    def button_text(
        self, label: str, kind: Kind, value: str = "", *, scoped: bool = True
    ) -> Button:
        seq = self.session.seq if scoped else None
        return Button(label=label, data=Action(kind, value, seq).encode())

    def nav_row(
        self, *, back: bool = True, skip: bool = False, cancel: bool = True
    ) -> list[Button]:
        row = []
        if back:
            row.append(self.button("btn.back", Kind.BACK))
        if skip:
            row.append(self.button("btn.skip", Kind.SKIP))
        if cancel:
            row.append(self.button("btn.cancel", Kind.CANCEL))
        return row

    def options(
        self, items: Iterable[tuple[str, str]], per_row: int = 2, kind: Kind = Kind.OPTION
    ) -> list[list[Button]]:
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

    def require_member(self) -> str:
        """The logged-in member's id, for what only a member may do. Raises
        :class:`NotLoggedIn` without one (the router then asks the customer to log in)."""
        member_id = self.session.member_id
        if not member_id:
            raise NotLoggedIn()
        return member_id


class NotLoggedIn(Exception):
    """A step that needs a member ran in a chat that is not logged in."""


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

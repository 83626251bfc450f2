"""The shared Telegram connector: neutral incoming records in, engine, replies out.

Both framework adapters hand every update to one :class:`Bridge`, which puts together the
parts and splits the traffic at the router boundary:

- the staff group's messages go to the staff side (staff.py: ``StaffGroup``), every other
  private chat's to the customer side (turns.py: ``Turns``); other groups are not ours;
- everything said goes out through outgoing.py (``Outgoing``: order per chat, rate limits,
  retries, the member re-check before each send, the outbox for what cannot go now);
- gate.py decides which updates a turn may start (dedupe, shutdown);
- a background pump (pump.py) runs the delivery rounds of bot/delivery.py: claim
  notifications and staff answers (the engine's), support requests forwarded to the staff
  group, and the replies kept in ``App.outbox`` (so nothing the bot must say is lost to an
  outage), every ``notify_interval`` seconds and right after each handled update.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.app import App
from bot.channels.telegram.common import RateLimits, RetryPolicy, SendError
from bot.channels.telegram.delivery import Messenger
from bot.channels.telegram.edits import EditHints
from bot.channels.telegram.events import TooLarge, key_for
from bot.channels.telegram.forum import ForumPort
from bot.channels.telegram.forum_room import ForumRoom
from bot.channels.telegram.gate import Gate
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.port import (
    CHANNEL,
    BotPort,
    IncomingCallback,
    IncomingMessage,
    MemberChange,
)
from bot.channels.telegram.pump import Pump, Step
from bot.channels.telegram.review_cards import ReviewRoom, review_room
from bot.channels.telegram.staff import StaffGroup
from bot.channels.telegram.turns import Turns
from bot.delivery import deliver
from bot.notifications import Send
from handlers.i18n import Catalog

log = logging.getLogger(__name__)

MENU_COMMANDS = ("start", "menu", "status", "help", "cancel", "language")


@dataclass(frozen=True, slots=True)
class BridgeOptions:
    """How the bridge runs; the defaults are the running bot's (tests make it faster)."""

    limits: RateLimits | None = None
    policy: RetryPolicy | None = None
    album_quiet: float = 0.5
    notify_interval: float = 2.0
    outbox_interval: float = 30.0
    staff_chat_id: int | str | None = None  # None: the settings' STAFF_CHAT_ID
    background: bool = True  # False: nobody runs the pump but the caller (tests)
    concurrency: int | None = None  # None: the settings' TELEGRAM_CONCURRENCY


class Bridge:
    """Shared by the aiogram and PTB connectors; one per running bot."""

    def __init__(self, app: App, options: BridgeOptions | None = None) -> None:
        options = options or BridgeOptions()
        self.app = app
        self.options = options
        self.gate = Gate(app.updates)
        self.outgoing = Outgoing(
            app.links,
            app.outbox,
            media=app.ports.media,
            limits=options.limits,
            policy=options.policy,
            outbox_interval=options.outbox_interval,
        )
        self._pump = Pump(self._steps, interval=options.notify_interval)
        self.turns = Turns(
            app.engine,
            app.catalog,
            self.outgoing,
            self.gate,
            concurrency=options.concurrency or app.settings.telegram_concurrency,
            album_quiet=options.album_quiet,
            poke=self.poke,
        )
        staff = (
            options.staff_chat_id
            if options.staff_chat_id is not None
            else app.settings.staff_chat_id
        )
        self.staff: StaffGroup | None = None
        if staff not in (None, ""):
            self.staff = StaffGroup(
                app.settings,
                app.desk,
                app.support,
                app.catalog,
                self.outgoing,
                self.gate,
                int(staff),
                poke=self.poke,
            )
        self.review: ReviewRoom | None = None
        self.edit_hints = EditHints(app.engine, app.catalog, self.outgoing, self.gate)
        self.forum: ForumRoom | None = None  # the staff chat as a forum: a topic per customer
        if self.staff is not None:
            self.review = review_room(app, self.staff, self.outgoing, self.gate, poke=self.poke)
            self.forum = ForumRoom(app, self.staff, self.outgoing, self.gate, poke=self.poke)
            self.staff.topics = self.forum
            self.turns.divert = self.forum.divert
            self.turns.watch = self.forum.watch  # a typed /cancel ends a request at once

    # ------------------------------------------------------------------ lifecycle
    async def start(
        self, port: BotPort, *, set_commands: bool = True, forum: ForumPort | None = None
    ) -> None:
        """Set the command menu and start the background pump (idempotent). ``forum``: the
        framework's topic calls (a forum staff chat gets a topic per customer)."""
        self.outgoing.port = port
        if self.forum is not None:
            self.forum.attach(port, forum)
        if set_commands:
            await set_menu(port, self.app.catalog, self.outgoing.messenger)
        if self.options.background:
            self._pump.start()

    async def stop(self, timeout: float = 10.0) -> None:
        """Let in-flight updates finish (up to ``timeout``), then stop the pump."""
        if not await self.gate.inflight.wait_idle(timeout):
            log.warning("stopping with %d updates still in progress", self.gate.inflight.count)
        await self._pump.stop()
        if self.review is not None:
            await self.review.close()

    # ------------------------------------------------------------------ incoming: the router boundary
    async def on_message(self, port: BotPort, message: IncomingMessage) -> None:
        self.outgoing.attach(port)
        if self.review is not None and message.chat_id == self.review.chat_id:
            with self.gate.inflight:  # held until the staff side has it (no idle moment)
                if await self.review.on_message(port, message):
                    return  # an answer the review room asked for, /import with a file...
                if self.staff is not None and message.chat_id == self.staff.chat_id:
                    await self.staff.on_message(port, message)
            return
        if self.staff is not None and message.chat_id == self.staff.chat_id:
            await self.staff.on_message(port, message)
        elif message.chat_type == "private":
            await self.turns.on_message(port, message)  # (turns.divert: forum topics)
        # other groups are not ours to answer: the conversation is private

    async def on_edited(self, port: BotPort, message: IncomingMessage) -> None:
        """An ``edited_message``: a relayed message's copy is edited (forum topics); else a
        customer is told that edits are not read (edits.py)."""
        self.outgoing.attach(port)
        if self.forum is not None and await self.forum.edited(message):
            return  # its copy was edited
        await self.edit_hints.on_edited(port, message)

    async def on_callback(self, port: BotPort, query: IncomingCallback) -> None:
        self.outgoing.attach(port)
        if self.review is not None and self.review.owns(query):
            await self.review.on_callback(port, query)
            return
        if self.forum is None or query.chat_id is None:
            await self.turns.on_callback(port, query)
        else:  # a customer closing their support request: their topic is told
            key = key_for(query.chat_id, query.user_id)
            await self.forum.watch(key, lambda: self.turns.on_callback(port, query))

    async def on_member_change(self, change: MemberChange) -> None:
        await self.turns.on_member_change(change)

    # ------------------------------------------------------------------ background
    def poke(self) -> None:
        """Run the background pump soon (after an update was handled, a staff action...)."""
        self._pump.poke()

    async def pump(self, *, sweep_outbox: bool = False) -> None:
        """One round: notifications and staff answers, support forwarding, the outbox (when
        due, or ``sweep_outbox``)."""
        if sweep_outbox:
            self.outgoing.kept.sweep_now()
        await self._pump.round()

    def _steps(self) -> Sequence[Step]:
        if self.outgoing.port is None:
            return ()
        steps: list[Step] = [self._notifications]
        if self.forum is not None:
            steps += [self.forum.forward_customer_messages, self.forum.remind]
        if self.review is not None:
            steps.append(self.review.post_new_cards)
        if self.outgoing.kept.due():
            steps.append(self._kept_replies)
        return steps

    async def _notifications(self) -> int:
        send: Send = self.outgoing.notify
        if self.forum is not None:  # a claim changed: the customer's topic card too
            send = self.forum.refreshing(send)
        return await self.app.engine.deliver_notifications(send)

    async def _kept_replies(self) -> int:
        return await deliver(self.outgoing.kept)


async def set_menu(port: BotPort, catalog: Catalog, messenger: Messenger) -> None:
    """The command menu, in English and in every language the catalog has it in."""
    menus: list[tuple[str | None, str]] = [(None, "en")]  # (Telegram language code, locale)
    for locale in catalog.locales:
        code = locale.split("-")[0]
        if locale != "en" and len(code) == 2 and "command.start" in catalog.known_keys(locale):
            menus.append((code, locale))
    for language, locale in menus:
        commands = [(name, catalog.text(locale, f"command.{name}")[:256]) for name in MENU_COMMANDS]
        ok = await messenger.quietly(
            None,
            functools.partial(port.set_commands, commands, language),
            "setMyCommands",
            repeatable=True,
        )
        if ok:
            log.info("command menu set%s", f" for {language}" if language else "")


__all__ = [
    "CHANNEL",
    "MENU_COMMANDS",
    "Bridge",
    "BridgeOptions",
    "SendError",
    "TooLarge",
    "key_for",
    "set_menu",
]

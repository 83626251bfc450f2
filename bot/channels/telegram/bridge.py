"""The shared Telegram connector: neutral incoming records in, engine, replies out.

Both framework adapters hand every update to one :class:`Bridge`. Per update it:

1. keeps the customer's order (``KeyedSerial``: one update per chat at a time, FIFO), and
   works on at most ``concurrency`` turns at once, the others waiting their turn in arrival
   order (a bound, not a throttle: see ``TELEGRAM_CONCURRENCY`` in bot/config.py). A turn
   keeps its slot while its replies are sent: the slot is taken after the customer's own
   lock, so a customer waiting on their chat's rate limit holds one slot at most, and a
   429 for the whole bot slows the turns down instead of piling up unsent replies; sending
   outside the bound made multi-message turns queue twice (PTB: p99 4.0 -> 7.4 s),
2. drops redelivered updates: a customer's in the engine, atomically with the step it
   committed (``event_id`` = ``update_id``); the staff group's and membership changes through
   ``App.updates.first_time``,
3. turns the message into an event (text, ``/command args``, photo/document as a lazily
   downloaded ``ImageIn``, a media group as one ``AlbumIn``) and lets the engine decide,
4. deletes the customer's message when it held a password, and sends the replies (editing
   the tapped message in place when a reply may replace it).

A background pump delivers claim notifications and staff answers (every ``notify_interval``
seconds and right after each handled update), forwards support requests to the staff group,
and retries replies that could not be sent (kept in ``App.outbox``, so nothing the bot must
say is lost to an outage).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Sequence
from typing import Any

from bot.channels.telegram.common import (
    DOWNLOAD_LIMIT,
    AlbumCollector,
    InFlight,
    RateLimiter,
    RateLimits,
    RetryPolicy,
    SendError,
    parse_command,
)
from bot.channels.telegram.delivery import Delivery, Guard, Messenger
from bot.channels.telegram.port import (
    BotPort,
    FileRef,
    IncomingCallback,
    IncomingMessage,
    MemberChange,
)
from bot.keyed import KeyedSerial
from handlers.io import ActionIn, AlbumIn, Body, Button, CommandIn, Event, ImageIn, Reply, TextIn
from states import ConversationKey

log = logging.getLogger(__name__)

CHANNEL = "telegram"
MENU_COMMANDS = ("start", "menu", "status", "help", "cancel", "language")
OUTBOX_KIND = "telegram.replies"
PUMP_GAP = 0.1  # seconds between two pump rounds at most busy
SHORT = RetryPolicy(transient_attempts=3, first_delay=0.3)  # callback answers, downloads


class TooLarge(Exception):
    """Raised by ``ImageIn.fetch`` for files Telegram will not hand to a bot (over 20 MB)."""

    key = "image.too_large"

    def __init__(self) -> None:
        super().__init__("file over the Bot API download limit")
        self.params = {"max_mb": DOWNLOAD_LIMIT // (1024 * 1024)}


class Bridge:
    """Shared by the aiogram and PTB connectors; one per running bot."""

    def __init__(
        self,
        app: Any,
        *,
        limits: RateLimits | None = None,
        policy: RetryPolicy | None = None,
        album_quiet: float = 0.5,
        notify_interval: float = 2.0,
        outbox_interval: float = 30.0,
        staff_chat_id: int | str | None = None,
        background: bool = True,
        concurrency: int | None = None,
    ) -> None:
        self.app = app
        self.background = background  # False: nobody runs the pump but the caller (tests)
        self.engine = app.engine
        self.limiter = RateLimiter(limits)
        self.messenger = Messenger(
            limiter=self.limiter, policy=policy or RetryPolicy(), media=_media(app), links=app.links
        )
        self.serial: KeyedSerial[ConversationKey] = KeyedSerial()
        self.albums: AlbumCollector[IncomingMessage] = AlbumCollector(quiet=album_quiet)
        self.inflight = InFlight()
        self.slots = asyncio.Semaphore(concurrency or app.settings.telegram_concurrency)  # turns in progress (FIFO when full)
        self.notify_interval = notify_interval
        self.outbox_interval = outbox_interval
        self.port: BotPort | None = None
        staff = staff_chat_id if staff_chat_id is not None else getattr(app.settings, "staff_chat_id", None)
        self.staff_chat_id = int(staff) if staff not in (None, "") else None
        self.staff = None
        if self.staff_chat_id is not None:
            from bot.channels.telegram.staff import StaffRoom

            self.staff = StaffRoom(app, self, self.staff_chat_id)
        self._wake: asyncio.Event | None = None
        self._pump_task: asyncio.Task[None] | None = None
        self._outbox_due = 0.0  # monotonic time of the next outbox sweep
        self._tasks: set[asyncio.Task[Any]] = set()
        self.closing = False  # shutting down: updates not started yet are left for the restart
        self.abandoned: set[int] = set()  # update ids left untouched since ``close_gate``
        self.recovered: set[int] = set()  # left unfinished by a stopped or killed run

    # ------------------------------------------------------------------ lifecycle
    def attach(self, port: BotPort) -> None:
        """Use ``port`` for background sends (the first bot seen wins)."""
        if self.port is None:
            self.port = port

    async def start(self, port: BotPort, *, set_commands: bool = True) -> None:
        """Set the command menu and start the background pump (idempotent)."""
        self.port = port
        if set_commands:
            await self.set_commands(port)
        if self.background and (self._pump_task is None or self._pump_task.done()):
            self._wake = asyncio.Event()
            self._pump_task = asyncio.create_task(self._pump_loop(), name="telegram-pump")

    def close_gate(self) -> None:
        """Shutdown begins: turns in progress finish, updates still waiting for their
        customer's previous one are not started (they stay in the inbox for the restart)."""
        self.closing = True

    def recovering(self, update_ids: Sequence[int]) -> None:
        """These updates were received by a run that stopped before finishing them: one the
        engine already committed may not have been answered, so it gets the current step."""
        self.recovered.update(update_ids)

    def was_abandoned(self, update_id: int) -> bool:
        return update_id in self.abandoned

    def _left(self, *update_ids: int) -> bool:
        """True (and noted) when the gate is closed: the caller returns without handling."""
        if self.closing:
            self.abandoned.update(update_ids)
        return self.closing

    async def stop(self, timeout: float = 10.0) -> None:
        """Let in-flight updates finish (up to ``timeout``), then stop the pump."""
        if not await self.inflight.wait_idle(timeout):
            log.warning("stopping with %d updates still in progress", self.inflight.count)
        if self._pump_task is not None:
            self._pump_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump_task
            self._pump_task = None
        for task in list(self._tasks):
            task.cancel()

    async def set_commands(self, port: BotPort) -> None:
        catalog = self.app.catalog
        menus: list[tuple[str | None, str]] = [(None, "en")]  # (Telegram language code, locale)
        for locale in catalog.locales:
            code = locale.split("-")[0]
            if locale != "en" and len(code) == 2 and "command.start" in catalog.known_keys(locale):
                menus.append((code, locale))
        for language, locale in menus:
            commands = [(name, self._command_text(name, locale)) for name in MENU_COMMANDS]
            ok = await self.messenger.quietly(
                None, lambda c=commands, lang=language: port.set_commands(c, lang), "setMyCommands", repeatable=True
            )
            if ok:
                log.info("command menu set%s", f" for {language}" if language else "")

    def _command_text(self, name: str, locale: str) -> str:
        return self.app.catalog.text(locale, f"command.{name}")[:256]

    def poke(self) -> None:
        """Run the background pump soon (after an update was handled, a staff action...)."""
        if self._wake is not None:
            self._wake.set()

    # ------------------------------------------------------------------ incoming
    @staticmethod
    def key_for(chat_id: int, user_id: int) -> ConversationKey:
        return ConversationKey(CHANNEL, str(chat_id), str(user_id))

    async def on_message(self, port: BotPort, message: IncomingMessage) -> None:
        self.attach(port)
        if self.staff is not None and message.chat_id == self.staff_chat_id:
            with self.inflight:
                async with self.serial(self.staff.key):
                    if self._left(message.update_id):
                        return
                    if await self.first_time(message.update_id):
                        await self.staff.handle(port, message)
            return
        if message.chat_type != "private":
            return  # the conversation is private; other groups are not ours to answer
        key = self.key_for(message.chat_id, message.user_id)
        if message.media_group_id and message.file:
            await self._on_album_item(port, key, message)
            return
        with self.inflight:
            async with self.serial(key):
                if self._left(message.update_id):
                    return
                # no UpdateLog check here: the engine drops a redelivered update_id atomically
                # with the step it committed, so a crash between the two can lose nothing
                body = self.body_of(port, message)
                if body is None:
                    await self._show_current(port, key, message)
                    return
                if isinstance(body, CommandIn) and body.name == "start":
                    await self._unblock(key)
                await self._handle(port, key, message.chat_id, body, message)

    async def _on_album_item(self, port: BotPort, key: ConversationKey, message: IncomingMessage) -> None:
        group = (message.chat_id, message.media_group_id)
        first = self.albums.add(group, message)
        album = self.albums.album(group)
        if not first:  # the first item's handler collects this one; over when the album is
            await album.handled.wait()
            if album.abandoned:
                self.abandoned.add(message.update_id)
            return
        done = False
        try:
            with self.inflight:
                async with self.serial(key):
                    items = await self.albums.collect(group)
                    if not items or self._left(*(item.update_id for item in items)):
                        return
                    images = tuple(self.image_of(port, item.file) for item in items if item.file)
                    body: Body = AlbumIn(images) if len(images) > 1 else images[0]
                    await self._handle(port, key, message.chat_id, body, items[0])  # engine dedupes
            done = True
        finally:
            album.abandoned = not done and self.closing
            album.handled.set()

    async def on_callback(self, port: BotPort, query: IncomingCallback) -> None:
        self.attach(port)
        with self.inflight:
            # answered at once and whatever happens next: no spinning button, ever
            answer = asyncio.ensure_future(
                self.messenger.quietly(
                    None, lambda: port.answer_callback(query.callback_id), "answerCallbackQuery", policy=SHORT
                )
            )
            try:
                if query.chat_id is None or query.chat_type != "private" or query.data is None:
                    return
                key = self.key_for(query.chat_id, query.user_id)
                async with self.serial(key):  # the engine drops a redelivered update_id
                    if self._left(query.update_id):
                        return
                    edit = query.message_id if query.editable_text else None
                    await self._handle(port, key, query.chat_id, ActionIn(query.data), query, edit_message_id=edit)
            finally:
                await answer

    async def on_member_change(self, change: MemberChange) -> None:
        """The customer blocked (``kicked``) or unblocked (``member``) the bot."""
        if change.chat_type != "private" or change.status not in ("kicked", "member"):
            return
        with self.inflight:
            if await self.first_time(change.update_id):
                key = self.key_for(change.chat_id, change.user_id)
                await self.app.links.mark_blocked(key, change.status == "kicked")

    async def first_time(self, update_id: int) -> bool:
        updates = getattr(self.app, "updates", None)
        return True if updates is None else bool(await updates.first_time(CHANNEL, update_id))

    # ------------------------------------------------------------------ translation
    def body_of(self, port: BotPort, message: IncomingMessage) -> Body | None:
        """The neutral event body for a message; None when it carries nothing we read."""
        if message.file is not None:
            return self.image_of(port, message.file)
        if message.text is not None:
            command = parse_command(message.text)
            return CommandIn(*command, raw=message.text) if command else TextIn(message.text)
        if message.contact_phone:
            return TextIn(message.contact_phone)
        return None

    def image_of(self, port: BotPort, ref: FileRef) -> ImageIn:
        messenger = self.messenger

        async def fetch() -> bytes:
            if ref.size is not None and ref.size > DOWNLOAD_LIMIT:
                raise TooLarge()
            return await messenger.call(None, lambda: port.download(ref.file_id), counted=False, policy=SHORT)

        return ImageIn(fetch=fetch, size=ref.size, filename=ref.filename, mime=ref.mime, as_file=ref.as_file)

    # ------------------------------------------------------------------ the turn
    async def _handle(
        self,
        port: BotPort,
        key: ConversationKey,
        chat_id: int,
        body: Body,
        source: IncomingMessage | IncomingCallback,
        *,
        edit_message_id: int | None = None,
    ) -> None:
        event = Event(key=key, body=body, event_id=str(source.update_id), locale=source.language)
        async with self.slots:  # the whole turn, sending included (see the module docstring)
            try:
                outcome = await self.engine.handle(event)
            except Exception:  # the core has its own error layer; this is infrastructure failing
                log.exception("could not handle update %s for %s", source.update_id, key)
                await self._apologise(port, key, chat_id, source.language)
                return
            recovered = source.update_id in self.recovered
            self.recovered.discard(source.update_id)
            if outcome.delete_input and isinstance(source, IncomingMessage):  # a duplicate too:
                await self.messenger.quietly(  # the run that committed it may have died first
                    chat_id, lambda: port.delete_message(chat_id, source.message_id), "deleteMessage", counted=True
                )
            if outcome.duplicate:
                if recovered:  # committed by a run that stopped, maybe never answered
                    await self._resend_current(port, key, chat_id, source.language)
                return
            # the turn's member: a log-in ended by the owner while this turn ran gets nothing
            guard = await self.logged_in_guard(key, outcome.member_id) if outcome.member_id else None
            try:
                await self.send(port, key, chat_id, outcome.replies, edit_message_id=edit_message_id, guard=guard)
            except asyncio.CancelledError:  # stopped at the shutdown bound after the step committed:
                await self._to_outbox(key, outcome.replies)  # the restart would drop the update
                raise
        self.poke()

    async def _show_current(self, port: BotPort, key: ConversationKey, message: IncomingMessage) -> None:
        """A sticker, voice note, location...: show where the customer is instead."""
        async with self.slots:
            try:
                replies = await self.engine.current_prompt(key, message.language)
            except Exception:
                log.exception("could not show the current step to %s", key)
                await self._apologise(port, key, message.chat_id, message.language)
                return
            await self.send(port, key, message.chat_id, replies)

    async def refuse(self, origin: Any, notify: bool) -> None:
        """An update dropped by the receiver's per-chat bound (``receiver.Origin``): a tap
        gets its callback answered; ``notify``: the chat is asked, once, to slow down."""
        port = self.port
        if port is None or origin.chat_id is None:
            return
        if origin.callback_id is not None:
            await self.messenger.quietly(
                None, lambda: port.answer_callback(origin.callback_id), "answerCallbackQuery", policy=SHORT
            )
        if notify:
            catalog = self.app.catalog
            text = catalog.text(catalog.resolve_locale(origin.language), "telegram.slow_down")
            key = self.key_for(origin.chat_id, origin.user_id or origin.chat_id)
            await self.send(port, key, origin.chat_id, [Reply(text=text, key="telegram.slow_down")])

    async def _resend_current(self, port: BotPort, key: ConversationKey, chat_id: int, language: str | None) -> None:
        try:
            replies = await self.engine.current_prompt(key, language)
        except Exception:
            log.exception("could not show the current step to %s", key)
            return
        await self.send(port, key, chat_id, replies)

    async def _apologise(self, port: BotPort, key: ConversationKey, chat_id: int, language: str | None) -> None:
        catalog = self.app.catalog
        text = catalog.text(catalog.resolve_locale(language), "error.unexpected")
        await self.send(port, key, chat_id, [Reply(text=text, key="error.unexpected")])

    async def _unblock(self, key: ConversationKey) -> None:
        links = self.app.links
        if await links.is_blocked(key):
            await links.mark_blocked(key, False)

    async def send(
        self,
        port: BotPort,
        key: ConversationKey,
        chat_id: int,
        replies: Sequence[Reply],
        *,
        edit_message_id: int | None = None,
        guard: Guard | None = None,
    ) -> Delivery:
        """Send direct replies; what cannot be sent now goes to the outbox for later."""
        delivery = await self.messenger.deliver(
            port, key, chat_id, replies, edit_message_id=edit_message_id, guard=guard
        )
        if delivery.remaining and not delivery.blocked:
            await self._to_outbox(key, delivery.remaining)
        return delivery

    # ------------------------------------------------------------------ background
    async def _pump_loop(self) -> None:
        assert self._wake is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.notify_interval)
            self._wake.clear()
            await self.pump()
            await asyncio.sleep(PUMP_GAP)  # a burst of pokes makes one round, not one each

    async def pump(self) -> None:
        """One round: notifications and staff answers, support forwarding, the outbox."""
        if self.port is None:
            return
        steps = [self._notifications]
        if self.staff is not None:
            steps.append(self.staff.forward_customer_messages)
        if time.monotonic() >= self._outbox_due:
            steps.append(self._drain_outbox)
        for step in steps:
            try:
                await step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background delivery step %s failed", step.__name__)

    async def _notifications(self) -> None:
        await self.engine.deliver_notifications(self.notify)

    async def notify(self, key: ConversationKey, replies: list[Reply]) -> bool:
        """The ``send`` callback of ``Engine.deliver_notifications``."""
        port = self.port
        if key.channel != CHANNEL or port is None:
            return False
        try:
            chat_id = int(key.chat_id)
        except ValueError:
            return False
        # the member the engine checked (else the chat's now): asked again right before each send
        member = next((r.for_member for r in replies if r.for_member), None)
        guard = await self.logged_in_guard(key, member)
        async with self.serial(key):
            delivery = await self.messenger.deliver(port, key, chat_id, replies, guard=guard)
        return delivery.ok

    async def logged_in_guard(self, key: ConversationKey, member_id: str | None = None) -> Guard | None:
        """"Is ``key`` still logged in as ``member_id`` (default: its member now)?", for
        :meth:`Messenger.deliver` to ask right before each send: a chat logged out meanwhile
        (password changed or reset, "Log out everywhere") gets nothing meant for the member.
        ``None`` for a chat with no member (a guest's support answers go out as before)."""
        links = self.app.links
        expected = member_id if member_id is not None else await links.member_for(key)
        if not expected:
            return None

        async def still_theirs() -> bool:
            return await links.member_for(key) == expected

        return still_theirs

    async def _to_outbox(self, key: ConversationKey, replies: Sequence[Reply]) -> None:
        outbox = getattr(self.app, "outbox", None)
        if outbox is None:
            log.error("%d replies to %s could not be sent and there is no outbox", len(replies), key)
            return
        member = await self.app.links.member_for(key)  # they go out later only to this log-in
        payload = {"kind": OUTBOX_KIND, "replies": [reply_to_json(r) for r in replies], "member": member}
        await outbox.put(key, payload)
        self._outbox_due = 0.0
        log.warning("%d replies to %s kept in the outbox for a later try", len(replies), key)

    async def _drain_outbox(self) -> None:
        outbox = getattr(self.app, "outbox", None)
        port = self.port
        self._outbox_due = time.monotonic() + self.outbox_interval
        if outbox is None or port is None:
            return
        for item in await outbox.take_due(50):
            if item.key.channel != CHANNEL or item.payload.get("kind") != OUTBOX_KIND:
                continue  # someone else's: the lease runs out and they get it back
            replies = [reply_from_json(r) for r in item.payload.get("replies", [])]
            member = item.payload.get("member")
            guard = await self.logged_in_guard(item.key, member) if member else None
            async with self.serial(item.key):
                delivery = await self.messenger.deliver(
                    port, item.key, int(item.key.chat_id), replies, guard=guard
                )
            if delivery.ok or delivery.blocked or delivery.withdrawn:  # withdrawn: not theirs now
                await outbox.mark_sent([item.id])
            else:
                await outbox.retry_later([item.id], dt.timedelta(seconds=self.outbox_interval))
                self._outbox_due = time.monotonic() + self.outbox_interval

    def spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


def _media(app: Any) -> Any:
    ports = getattr(app, "ports", None)
    return getattr(ports, "media", None)


def reply_to_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "buttons": [[[b.label, b.data] for b in row] for row in reply.buttons],
        "image": reply.image,
        "key": reply.key,
    }


def reply_from_json(data: dict[str, Any]) -> Reply:
    rows = tuple(tuple(Button(label, value) for label, value in row) for row in data.get("buttons", []))
    return Reply(text=data.get("text", ""), buttons=rows, image=data.get("image"), key=data.get("key", ""))


__all__ = ["CHANNEL", "MENU_COMMANDS", "Bridge", "SendError", "TooLarge", "reply_from_json", "reply_to_json"]

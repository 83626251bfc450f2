"""The customer side: one turn per update, in order per chat, at most ``concurrency`` at once.

Per update it keeps the customer's order (one update per chat at a time, FIFO) and works on
at most ``concurrency`` turns at once, the others waiting their turn in arrival order (a
bound, not a throttle: see ``TELEGRAM_CONCURRENCY`` in bot/config.py). A turn keeps its slot
while its replies are sent: the slot is taken after the customer's own lock, so a customer
waiting on their chat's rate limit holds one slot at most, and a 429 for the whole bot slows
the turns down instead of piling up unsent replies; sending outside the bound made
multi-message turns queue twice (PTB: p99 4.0 -> 7.4 s). A redelivered update is dropped by
the engine, atomically with the step it committed (``event_id`` = ``update_id``); a media
group becomes one ``AlbumIn``; the customer's message is deleted when it held a password;
the replies edit the tapped message in place when a reply may replace it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.channels.telegram.albums import AlbumCollector
from bot.channels.telegram.events import SHORT, body_of, image_of, key_for
from bot.channels.telegram.gate import Gate
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.port import BotPort, IncomingCallback, IncomingMessage, MemberChange
from bot.channels.telegram.receiver import Origin
from bot.engine import Engine
from handlers.i18n import Catalog
from handlers.io import ActionIn, AlbumIn, Body, CommandIn, Event, Reply
from states import ConversationKey

log = logging.getLogger(__name__)
Watch = Callable[[ConversationKey, Callable[[], Awaitable[None]]], Awaitable[None]]
WATCHED = frozenset({"cancel"})  # typed commands that may end a support request


async def _run(key: ConversationKey, turn: Callable[[], Awaitable[None]]) -> None:
    await turn()


class Turns:
    def __init__(
        self,
        engine: Engine,
        catalog: Catalog,
        outgoing: Outgoing,
        gate: Gate,
        *,
        concurrency: int,
        album_quiet: float = 0.5,
        poke: Callable[[], None] = lambda: None,
    ) -> None:
        self.engine = engine
        self.catalog = catalog
        self.outgoing = outgoing
        self.gate = gate
        self.albums: AlbumCollector[IncomingMessage] = AlbumCollector(quiet=album_quiet)
        self.slots = asyncio.Semaphore(concurrency)  # turns in progress (FIFO when full)
        self.poke = poke  # the background delivery, after each turn
        # a message's other way, tried first under the customer's lock (True: taken)
        self.divert: Callable[[IncomingMessage], Awaitable[bool]] | None = None
        # runs the turn of a typed command in WATCHED, to see what it ended (a support request)
        self.watch: Watch = _run

    async def on_message(self, port: BotPort, message: IncomingMessage) -> None:
        key = key_for(message.chat_id, message.user_id)
        if message.media_group_id and message.file:
            await self._on_album_item(port, key, message)
            return
        with self.gate.inflight:
            async with self.outgoing.serial(key):
                if self.gate.left(message.update_id):
                    return
                if self.divert is not None and await self.divert(message):
                    return  # taken elsewhere, in order (a forum topic's relay)
                # no UpdateLog check here: the engine drops a redelivered update_id atomically
                # with the step it committed, so a crash between the two can lose nothing
                body = body_of(port, self.outgoing.messenger, message)
                if body is None:  # a sticker, voice note, location...: where the customer is
                    async with self.slots:
                        await self._show_current(port, key, message.chat_id, message.language)
                    return
                if isinstance(body, CommandIn) and body.name == "start":
                    await self._unblock(key)
                if isinstance(body, CommandIn) and body.name.lower() in WATCHED:
                    command = body
                    await self.watch(
                        key, lambda: self._handle(port, key, message.chat_id, command, message)
                    )
                    return
                await self._handle(port, key, message.chat_id, body, message)

    async def _on_album_item(
        self, port: BotPort, key: ConversationKey, message: IncomingMessage
    ) -> None:
        group = (message.chat_id, message.media_group_id)
        first = self.albums.add(group, message)
        album = self.albums.album(group)
        if not first:  # the first item's handler collects this one; over when the album is
            await album.handled.wait()
            if album.abandoned:
                self.gate.abandoned.add(message.update_id)
            return
        done = False
        try:
            with self.gate.inflight:
                async with self.outgoing.serial(key):
                    items = await self.albums.collect(group)
                    if not items or self.gate.left(*(item.update_id for item in items)):
                        return
                    messenger = self.outgoing.messenger
                    images = tuple(
                        image_of(port, messenger, item.file) for item in items if item.file
                    )
                    body: Body = AlbumIn(images) if len(images) > 1 else images[0]
                    await self._handle(port, key, message.chat_id, body, items[0])  # engine dedupes
            done = True
        finally:
            album.abandoned = not done and self.gate.closing
            album.handled.set()

    async def on_callback(self, port: BotPort, query: IncomingCallback) -> None:
        with self.gate.inflight:
            # answered at once and whatever happens next: no spinning button, ever
            answer = asyncio.ensure_future(
                self.outgoing.messenger.quietly(
                    None,
                    lambda: port.answer_callback(query.callback_id),
                    "answerCallbackQuery",
                    policy=SHORT,
                )
            )
            try:
                if query.chat_id is None or query.chat_type != "private" or query.data is None:
                    return
                key = key_for(query.chat_id, query.user_id)
                async with self.outgoing.serial(key):  # the engine drops a redelivered update_id
                    if self.gate.left(query.update_id):
                        return
                    edit = query.message_id if query.editable_text else None
                    await self._handle(
                        port, key, query.chat_id, ActionIn(query.data), query, edit_message_id=edit
                    )
            finally:
                await answer

    async def on_member_change(self, change: MemberChange) -> None:
        """The customer blocked (``kicked``) or unblocked (``member``) the bot."""
        if change.chat_type != "private" or change.status not in ("kicked", "member"):
            return
        with self.gate.inflight:
            if await self.gate.first_time(change.update_id):
                key = key_for(change.chat_id, change.user_id)
                await self.outgoing.links.mark_blocked(key, change.status == "kicked")

    async def refuse(self, origin: Origin, notify: bool) -> None:
        """An update dropped by the receiver's per-chat bound: a tap gets its callback
        answered; ``notify``: the chat is asked, once, to slow down."""
        port = self.outgoing.port
        if port is None or origin.chat_id is None:
            return
        if origin.callback_id is not None:
            callback_id = origin.callback_id
            await self.outgoing.messenger.quietly(
                None, lambda: port.answer_callback(callback_id), "answerCallbackQuery", policy=SHORT
            )
        if notify:
            key = key_for(origin.chat_id, origin.user_id or origin.chat_id)
            text = self.catalog.text(await self._locale(key, origin.language), "telegram.slow_down")
            await self.outgoing.send(
                port, key, origin.chat_id, [Reply(text=text, key="telegram.slow_down")]
            )

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
        outgoing = self.outgoing
        async with self.slots:  # the whole turn, sending included (see the module docstring)
            try:
                outcome = await self.engine.handle(event)
            except Exception:  # the core has its own error layer; this is infrastructure failing
                log.exception("could not handle update %s for %s", source.update_id, key)
                await self._apologise(port, key, chat_id, source.language)
                return
            recovered = self.gate.take_recovered(source.update_id)
            if outcome.delete_input and isinstance(source, IncomingMessage):  # a duplicate too:
                message_id = source.message_id  # the run that committed it may have died first
                await outgoing.messenger.quietly(
                    chat_id,
                    lambda: port.delete_message(chat_id, message_id),
                    "deleteMessage",
                    counted=True,
                )
            if outcome.duplicate:
                if recovered:  # committed by a run that stopped, maybe never answered
                    await self._show_current(port, key, chat_id, source.language, apologise=False)
                return
            # the turn's member: a log-in ended by the owner while this turn ran gets nothing
            guard = (
                await outgoing.logged_in_guard(key, outcome.member_id)
                if outcome.member_id
                else None
            )
            try:
                await outgoing.send(
                    port,
                    key,
                    chat_id,
                    outcome.replies,
                    edit_message_id=edit_message_id,
                    guard=guard,
                )
            except (
                asyncio.CancelledError
            ):  # stopped at the shutdown bound after the step committed:
                await outgoing.kept.keep(key, outcome.replies)  # the restart would drop the update
                raise
        self.poke()

    async def _show_current(
        self,
        port: BotPort,
        key: ConversationKey,
        chat_id: int,
        language: str | None,
        *,
        apologise: bool = True,
    ) -> None:
        """Where the customer is, shown again (the caller holds a turn slot)."""
        try:
            replies = await self.engine.current_prompt(key, language)
        except Exception:
            log.exception("could not show the current step to %s", key)
            if apologise:
                await self._apologise(port, key, chat_id, language)
            return
        await self.outgoing.send(port, key, chat_id, replies)

    async def _locale(self, key: ConversationKey, hint: str | None) -> str:
        """The chat's language: the one it chose (kept with its link), else the client's hint."""
        try:
            info = await self.outgoing.links.get(key)
        except Exception:  # the database is what failed: the hint is good enough for an apology
            log.warning("could not read the language of %s", key)
            info = None
        if info is not None and info.locale in self.catalog.locales:
            return info.locale
        return self.catalog.resolve_locale(hint)

    async def _apologise(
        self, port: BotPort, key: ConversationKey, chat_id: int, language: str | None
    ) -> None:
        text = self.catalog.text(await self._locale(key, language), "error.unexpected")
        await self.outgoing.send(port, key, chat_id, [Reply(text=text, key="error.unexpected")])

    async def _unblock(self, key: ConversationKey) -> None:
        links = self.outgoing.links
        if await links.is_blocked(key):
            await links.mark_blocked(key, False)

"""Turning the core's ``Reply`` objects into Bot API calls, within Telegram's limits.

One reply becomes one message (text split at 4096; a picture with its caption when the text
fits 1024, else the picture then the text), or an edit of the tapped message when the reply
may replace it. Every message (send, edit, delete) goes through the rate limiter, every call
through the retry policy; a customer who blocked the bot is marked in the link store and skipped.

After a failure that leaves unknown whether Telegram carried a call out (the connection
dropped before the answer, a 5xx), sends are repeated: at least once, never lost, though the
customer may see a message twice. Edits, deletes and callback answers are not repeated then
(only when the request surely never left): an edit whose fate is unknown is followed by the
reply as a new message, so the customer surely sees the current step.

A delivery may carry a ``guard`` (is this chat still logged in as the member the replies are
for?): it is asked inside the first message's rate-limit slot, right before the call, and
again before each later message that waited (for the rate limit, a 429, a retry's back-off)
or comes more than ``FRESH`` seconds after the last yes, so a prize code that waited behind a
429 or another turn is not sent to a chat logged out meanwhile. The later messages of a turn
sent at once share the first one's read (one link read per turn, not one per message).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from bot.channels.telegram.common import (
    TEXT_LIMIT,
    Blocked,
    NotSent,
    RateLimiter,
    Rejected,
    RetryPolicy,
    SendError,
    Transient,
    call_with_retry,
    fits_caption,
    split_text,
    tg_len,
)
from bot.channels.telegram.port import BotPort
from handlers.io import Reply
from handlers.ports import MediaPort
from states import ConversationKey

if TYPE_CHECKING:
    from storage.links import LinkStore

log = logging.getLogger(__name__)
T = TypeVar("T")
PLACEHOLDER = "…"  # Telegram refuses empty texts; a reply that is only buttons gets this
Guard = Callable[[], Awaitable[bool]]


class Withdrawn(Exception):
    """The guard said no right before a send: the chat is no longer the replies' recipient."""


#: seconds a guard's yes holds for the next message of the same delivery sent without waiting
FRESH = 0.5


class Checked:
    """The guard of one delivery, asked as the module docstring says: right before the first
    message; before a later one only if the limiter counted a wait (or a retry) since the
    last yes, or that yes is older than ``FRESH``; always before a call's second attempt."""

    def __init__(self, guard: Guard, limiter: RateLimiter) -> None:
        self._guard = guard
        self._limiter = limiter
        self._yes: tuple[int, float] | None = None  # (limiter.waits, clock) before the read

    async def __call__(self, again: bool = False) -> bool:
        limiter = self._limiter
        if not again and self._yes is not None:
            waits, at = self._yes
            if waits == limiter.waits and limiter.clock() - at <= FRESH:
                return True
        before = (limiter.waits, limiter.clock())
        ok = await self._guard()
        self._yes = before if ok else None
        return ok


def guarded(fn: Callable[[], Awaitable[T]], guard: Guard | None) -> Callable[[], Awaitable[T]]:
    """``fn``, asking ``guard`` first (inside the rate-limit slot: the last moment before the
    call); a :class:`Checked` guard is told when the call is being tried again."""
    if guard is None:
        return fn
    attempts = 0

    async def call() -> T:
        nonlocal attempts
        attempts += 1
        ok = await (guard(attempts > 1) if isinstance(guard, Checked) else guard())
        if not ok:
            raise Withdrawn()
        return await fn()

    return call


@dataclass(slots=True)
class Delivery:
    """What became of a list of replies."""

    sent: int = 0
    remaining: list[Reply] = field(default_factory=list)  # not sent (a persistent failure)
    blocked: bool = False
    message_ids: list[int] = field(default_factory=list)  # of the new messages, in order
    withdrawn: bool = False  # the guard said no: the rest was dropped, not sent

    @property
    def ok(self) -> bool:
        return not self.remaining and not self.blocked and not self.withdrawn


class Messenger:
    """Sends replies through a :class:`BotPort` with limits, retries and fallbacks."""

    def __init__(
        self,
        *,
        limiter: RateLimiter,
        policy: RetryPolicy,
        media: MediaPort | None = None,
        links: LinkStore | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.limiter = limiter
        self.policy = policy
        self.media = media
        self.links = links
        self.sleep = sleep

    async def call(
        self,
        chat_id: int | None,
        fn: Callable[[], Awaitable[T]],
        *,
        counted: bool = True,
        policy: RetryPolicy | None = None,
        repeatable: bool = True,
    ) -> T:
        """One API call; ``counted`` calls (messages: sends, edits, deletes) take a rate-limit
        slot; a call that is not ``repeatable`` is not retried once it may have been carried out."""
        return await call_with_retry(
            fn,
            limiter=self.limiter if counted else None,
            chat_id=chat_id,
            policy=policy or self.policy,
            sleep=self.sleep,
            repeatable=repeatable,
        )

    async def quietly(
        self,
        chat_id: int | None,
        fn: Callable[[], Awaitable[object]],
        what: str,
        *,
        policy: RetryPolicy | None = None,
        counted: bool = False,
        repeatable: bool = False,
    ) -> bool:
        """A call whose failure changes nothing for the customer (answer, delete, menu); unless
        ``repeatable``, it is not repeated once it may have been carried out."""
        try:
            await self.call(chat_id, fn, counted=counted, policy=policy, repeatable=repeatable)
        except SendError as exc:
            log.info("%s failed: %s", what, exc.description[:200])
            return False
        return True

    async def deliver(
        self,
        port: BotPort,
        key: ConversationKey | None,
        chat_id: int,
        replies: Sequence[Reply],
        *,
        edit_message_id: int | None = None,
        guard: Guard | None = None,
    ) -> Delivery:
        """Send ``replies`` in order; the first that may replace edits ``edit_message_id``;
        with a ``guard``, each message only while it still says yes (asked as the module
        docstring says: once for messages sent one after the other without waiting)."""
        result = Delivery()
        if guard is not None and not isinstance(guard, Checked):
            guard = Checked(guard, self.limiter)
        for index, reply in enumerate(replies):
            target = None
            if edit_message_id is not None and reply.replace:
                target, edit_message_id = edit_message_id, None
            try:
                result.message_ids += await self.send_reply(
                    port, chat_id, reply, target, guard=guard
                )
            except Withdrawn:
                log.info(
                    "replies to chat %s withdrawn: no longer logged in as their member", chat_id
                )
                result.withdrawn = True
                return result
            except Blocked:
                result.blocked = True
                result.remaining = list(replies[index:])
                await self._mark_blocked(key)
                return result
            except SendError as exc:
                log.error("giving up on a message to chat %s: %s", chat_id, exc.description[:200])
                result.remaining = list(replies[index:])
                return result
            result.sent += 1
        return result

    async def send_reply(
        self,
        port: BotPort,
        chat_id: int,
        reply: Reply,
        edit_id: int | None = None,
        *,
        guard: Guard | None = None,
    ) -> list[int]:
        """Send one reply; the ids of the new messages (an edit in place makes none)."""
        rows = reply.buttons
        text = (
            reply.text if reply.text.strip() else (PLACEHOLDER if rows or not reply.image else "")
        )
        ids: list[int] = []
        if reply.image:
            photo = await self._image(reply.image)
            if photo is not None:
                if fits_caption(text):
                    _add(
                        ids,
                        await self._rejected_is_final(
                            chat_id,
                            guarded(
                                lambda: port.send_photo(chat_id, photo, text or None, rows), guard
                            ),
                        ),
                    )
                    return ids
                _add(
                    ids,
                    await self._rejected_is_final(
                        chat_id, guarded(lambda: port.send_photo(chat_id, photo, None, ()), guard)
                    ),
                )
        if not text:
            return ids
        if (
            edit_id is not None
            and tg_len(text) <= TEXT_LIMIT
            and await self._edit(port, chat_id, edit_id, text, rows, guard)
        ):
            return ids
        pieces = split_text(text) or [PLACEHOLDER]
        for i, piece in enumerate(pieces):
            keyboard = rows if i == len(pieces) - 1 else ()
            send = functools.partial(port.send_message, chat_id, piece, keyboard)
            _add(ids, await self._rejected_is_final(chat_id, guarded(send, guard)))
        return ids

    async def _edit(
        self,
        port: BotPort,
        chat_id: int,
        message_id: int,
        text: str,
        rows,
        guard: Guard | None = None,
    ) -> bool:
        """Edit in place; False when Telegram refuses (too old, not a text) or when the edit's
        fate is unknown (not repeated: see the module docstring): send anew."""
        try:
            edit = guarded(lambda: port.edit_message(chat_id, message_id, text, rows), guard)
            await self.call(chat_id, edit, repeatable=False)
        except Rejected as exc:
            if exc.not_modified:
                return True
            log.info("edit refused (%s); sending a new message", exc.description[:120])
            return False
        except Transient as exc:
            if isinstance(exc, NotSent):
                raise
            log.info("edit may have failed (%s); sending a new message", exc.description[:120])
            return False
        return True

    async def _rejected_is_final(self, chat_id: int, fn: Callable[[], Awaitable[object]]) -> object:
        """A 400 for a message means the request itself is wrong: log it, do not retry."""
        try:
            return await self.call(chat_id, fn)
        except Rejected as exc:
            log.error("Telegram refused a message to chat %s: %s", chat_id, exc.description[:200])
            return None

    async def _image(self, ref: str) -> bytes | None:
        if self.media is None:
            return None
        try:
            return await self.media.get(ref)
        except Exception:  # a missing picture must not cost the customer the text
            log.warning("cannot read media %s for a reply", ref)
            return None

    async def _mark_blocked(self, key: ConversationKey | None) -> None:
        if key is None or self.links is None:
            return
        log.info("customer %s blocked the bot; marking the chat", key)
        try:
            await self.links.mark_blocked(key)
        except Exception:
            log.exception("could not mark %s as blocked", key)


def _add(ids: list[int], message_id: object) -> None:
    if isinstance(message_id, int):
        ids.append(message_id)

"""Receiving Telegram updates: durably first, bounded per chat, drained at shutdown.

The same path for both frameworks and both transports (the framework only parses and routes
one update at a time, through ``feed``):

1. A batch of updates arrives (``getUpdates`` in :class:`Poller`, or one webhook request).
   Each message or button tap is admitted against its chat's bound (``per_chat`` updates held
   in the process; an album is one): the excess of a flooding chat is dropped, with ONE polite
   "slow down" answer per flood (a dropped tap still gets its callback answered). Nobody
   else waits for that chat: its backlog is at most ``per_chat`` updates queued behind its
   own turn, never a whole polling batch.
2. The admitted ones are committed to the inbox (``storage.links.Inbox``, one transaction),
   and only then confirmed to Telegram: the next ``getUpdates`` carries the offset past them,
   the webhook answers 200. Fail to store, and Telegram keeps them (no offset moved, 500).
3. Each is handed to the framework (``feed``, which returns once its turn is over) and
   forgotten from the inbox afterwards, without a transaction of its own: the deletion rides
   on the next poll's (or webhook delivery's) write, or a flush soon after when none comes
   (``Inbox.done_later``), and at shutdown. At start, what a stopped or killed process left
   in the inbox is handled first (the engine drops an update it already committed).

At most ``capacity`` updates are held in the process altogether; at that mark polling waits
(the rest stay at Telegram), a webhook request waits before it is stored.

Shutdown (:meth:`Receiver.drain`): fetching stops at once (the caller cancels the poller);
the bridge's gate is closed so that updates still queued behind their chat's turn are left
in the inbox untouched; the turns in progress get ``timeout`` seconds to finish, and what is
cancelled then stays in the inbox too. Either way it is handled after the restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.channels.telegram.lean_http import HttpFailure, LeanHttp

if TYPE_CHECKING:
    from storage.links import Inbox

log = logging.getLogger(__name__)

CHANNEL = "telegram"
BOUNDED_KINDS = (
    "message",
    "callback_query",
    "edited_message",
)  # what a flood can be made of (never membership)

Update = dict[str, Any]
Feed = Callable[[Update], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Origin:
    """Who an update comes from, read from the raw JSON (no framework needed)."""

    update_id: int
    kind: str
    chat_id: int | None
    user_id: int | None
    unit: Hashable  # what counts as one held item: the update, or its album
    language: str | None = None
    callback_id: str | None = None

    @property
    def bounded(self) -> bool:
        return self.kind in BOUNDED_KINDS and self.chat_id is not None


def origin_of(update: Update) -> Origin:
    update_id = int(update["update_id"])
    for kind in ("message", "callback_query", "my_chat_member", "edited_message"):
        body = update.get(kind)
        if isinstance(body, dict):
            return _origin(update_id, kind, body)
    return Origin(update_id, "other", None, None, update_id)


def _origin(update_id: int, kind: str, body: dict[str, Any]) -> Origin:
    sender: dict[str, Any] = body["from"] if isinstance(body.get("from"), dict) else {}
    message = body.get("message") if kind == "callback_query" else body
    chat = (message or {}).get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else sender.get("id")
    album = body.get("media_group_id") if kind == "message" else None  # (an edit: one item)
    return Origin(
        update_id=update_id,
        kind=kind,
        chat_id=int(chat_id) if isinstance(chat_id, int) else None,
        user_id=sender.get("id") if isinstance(sender.get("id"), int) else None,
        unit=("album", album) if album else update_id,
        language=sender.get("language_code"),
        callback_id=body.get("id") if kind == "callback_query" else None,
    )


class ChatBound:
    """How many items each chat has in the process; admits up to ``limit`` per chat."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._held: dict[int, dict[Hashable, int]] = {}

    def admit(self, chat_id: int, unit: Hashable, *, force: bool = False) -> bool:
        units = self._held.setdefault(chat_id, {})
        if unit not in units and len(units) >= self.limit and not force:
            return False
        units[unit] = units.get(unit, 0) + 1
        return True

    def release(self, chat_id: int, unit: Hashable) -> bool:
        """One update of ``unit`` is over; True when the chat holds nothing any more."""
        units = self._held.get(chat_id)
        if units is None or unit not in units:
            return chat_id not in self._held
        units[unit] -= 1
        if units[unit] <= 0:
            del units[unit]
        if not units:
            del self._held[chat_id]
            return True
        return False

    def held(self, chat_id: int) -> int:
        return len(self._held.get(chat_id, ()))


class Receiver:
    """Admits, stores, dispatches and drains updates (see the module docstring)."""

    def __init__(
        self,
        inbox: Inbox,
        feed: Feed,
        *,
        per_chat: int,
        capacity: int,
        refuse: Callable[[Origin, bool], Awaitable[Any]],
        abandoned: Callable[[int], bool] = lambda update_id: False,
        recovering: Callable[[Sequence[int]], None] = lambda update_ids: None,
    ) -> None:
        self.inbox = inbox
        self.feed = feed
        self.bound = ChatBound(per_chat)
        self.capacity = capacity
        self.refuse = refuse  # (origin, notify): answer a dropped tap; notify: say "slow down"
        self.abandoned = abandoned  # the bridge left it untouched (shutting down)
        self.recovering = recovering  # told which updates a previous run left unfinished
        self.tasks: set[asyncio.Task[None]] = set()
        self.dropped = 0
        self._warned: set[int] = set()  # chats told to slow down during their current flood
        self._room = asyncio.Event()
        self._room.set()
        self._side: set[asyncio.Task[Any]] = set()

    # ------------------------------------------------------------------ arrival
    async def recover(self) -> int:
        """Dispatch what a previous run left in the inbox (oldest first); returns how many."""
        items = await self.inbox.pending(CHANNEL)
        self.recovering([item.update_id for item in items])
        for item in items:
            origin = origin_of(item.payload)
            if origin.bounded:
                self.bound.admit(origin.chat_id, origin.unit, force=True)  # type: ignore[arg-type]
            self._dispatch(item.payload, origin)
        if items:
            log.info("handling %d updates left from the previous run", len(items))
        return len(items)

    async def wait_for_room(self) -> None:
        while len(self.tasks) >= self.capacity:
            self._room.clear()
            await self._room.wait()

    async def accept_one(self, update: Update) -> None:
        """A webhook delivery: wait for room, store it; the caller answers 200 after this."""
        await self.wait_for_room()
        await self.accept([update])

    async def accept(self, updates: Sequence[Update]) -> None:
        """Store the admitted ones durably, then start them; returns once they are stored
        (raises if they could not be: the caller must not confirm them)."""
        admitted: list[tuple[Update, Origin]] = []
        dropped: list[Origin] = []
        for update in updates:
            origin = origin_of(update)
            if origin.bounded and not self.bound.admit(origin.chat_id, origin.unit):  # type: ignore[arg-type]
                dropped.append(origin)
            else:
                admitted.append((update, origin))
        try:
            fresh = await self.inbox.put_many(CHANNEL, [u for u, _ in admitted])
        except BaseException:
            for _, origin in admitted:
                self._release(origin)
            raise
        for (update, origin), new in zip(admitted, fresh, strict=True):
            if new:
                self._dispatch(update, origin)
            else:  # already in the inbox (redelivered): its first copy is handled
                self._release(origin)
        for origin in dropped:
            self._drop(origin)

    def _drop(self, origin: Origin) -> None:
        self.dropped += 1
        chat_id = origin.chat_id
        notify = chat_id is not None and chat_id not in self._warned
        if notify:
            self._warned.add(chat_id)  # type: ignore[arg-type]
            log.warning(
                "chat %s sends faster than it can be answered: extra updates dropped", chat_id
            )
        if notify or origin.callback_id is not None:
            self._spawn(self.refuse(origin, notify))

    # ------------------------------------------------------------------ handling
    def _dispatch(self, update: Update, origin: Origin) -> None:
        task = asyncio.create_task(self._handle(update, origin), name=f"update-{origin.update_id}")
        self.tasks.add(task)

    async def _handle(self, update: Update, origin: Origin) -> None:
        try:
            handled = False
            try:
                await self.feed(update)
                handled = not self.abandoned(origin.update_id)
            except asyncio.CancelledError:
                raise
            except Exception:  # the bridge has its own error layer: this one would fail again
                log.exception("update %s could not be handled", origin.update_id)
                handled = True
            finally:
                self._release(origin)
            if handled:  # forgotten with the next poll's write (or soon after: no own write)
                self.inbox.done_later(CHANNEL, origin.update_id)
        finally:
            self.tasks.discard(asyncio.current_task())
            if len(self.tasks) < self.capacity:
                self._room.set()

    def _release(self, origin: Origin) -> None:
        if origin.bounded and self.bound.release(origin.chat_id, origin.unit):  # type: ignore[arg-type]
            self._warned.discard(origin.chat_id)

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._side.add(task)
        task.add_done_callback(self._side.discard)

    # ------------------------------------------------------------------ shutdown
    async def drain(self, timeout: float) -> int:
        """Wait up to ``timeout`` s for the updates in progress, cancel the rest (they stay in
        the inbox); returns how many were cancelled."""
        pending: set[asyncio.Task[Any]] = set(self.tasks) | set(self._side)
        if pending:
            _, pending = await asyncio.wait(pending, timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            log.warning(
                "%d updates were still in progress at the shutdown bound; handled after restart",
                len(pending),
            )
        try:
            await self.inbox.flush()  # the handled ones leave the inbox now
        except Exception:  # handled again after the restart, and dropped by the engine
            log.exception("could not clear the handled updates from the inbox")
        return len(pending)


# ----------------------------------------------------------------------------- long polling
class Poller:
    """Our own ``getUpdates`` loop: the offset moves past updates only once they are stored."""

    def __init__(
        self,
        api_base: str,
        token: str,
        receiver: Receiver,
        *,
        allowed_updates: Sequence[str],
        timeout: int = 10,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        polling: Callable[[], None] = lambda: None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.base = api_base.rstrip("/")
        self.path = f"/bot{token}/getUpdates"  # never logged: it holds the token
        self.ssl_context = ssl_context
        self.receiver = receiver
        self.allowed_updates = list(allowed_updates)
        self.timeout = timeout
        self.sleep = sleep
        self.offset: int | None = None  # the next update_id to fetch; all below are stored
        self._confirmed: int | None = None  # the offset Telegram was last given
        self._http: LeanHttp | None = None  # our lean client (lean_http.py), as the wire's
        self._polling: Callable[[], None] | None = polling  # once the first poll went out

    async def run(self) -> None:
        failures = 0
        try:
            while True:
                await self.receiver.wait_for_room()
                try:
                    updates = await self._get(self.timeout)
                    if updates:
                        await self.receiver.accept(updates)
                        self.offset = int(updates[-1]["update_id"]) + 1
                    failures = 0
                except PollError as exc:
                    failures += 1
                    delay = exc.retry_after or min(30.0, 0.5 * 2 ** min(failures, 6))
                    log.warning("getUpdates failed (%s); again in %.1f s", exc, delay)
                    await self.sleep(delay)
                except Exception:
                    failures += 1
                    log.exception("received updates could not be stored; they stay at Telegram")
                    await self.sleep(min(30.0, 0.5 * 2 ** min(failures, 6)))
        finally:
            await self._close()

    async def confirm(self, timeout: float = 3.0) -> None:
        """Tell Telegram about the updates stored since the last poll (at shutdown)."""
        if self.offset is None or self.offset == self._confirmed:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._get(0, limit=1), timeout)
        await self._close()

    async def _get(self, timeout: int, limit: int = 100) -> list[Update]:
        payload: dict[str, Any] = {
            "timeout": timeout,
            "limit": limit,
            "allowed_updates": self.allowed_updates,
        }
        if self.offset is not None:
            payload["offset"] = self.offset
        if self._http is None:
            self._http = LeanHttp(self.base, limit=2, ssl_context=self.ssl_context)
        body = json.dumps(payload, separators=(",", ":")).encode()
        try:
            status, answer = await self._http.request(
                "POST", self.path, body, timeout=timeout + 15, sent=self._sent
            )
            data = json.loads(answer)
        except (HttpFailure, ValueError) as exc:
            raise PollError(
                type(exc).__name__ if isinstance(exc, ValueError) else str(exc)
            ) from None
        if not isinstance(data, dict):
            raise PollError(f"HTTP {status}")
        if not data.get("ok"):
            retry = (data.get("parameters") or {}).get("retry_after")
            raise PollError(
                str(data.get("description") or f"HTTP {status}")[:200], retry_after=retry
            )
        self._confirmed = self.offset
        result = data.get("result") or []
        return [u for u in result if isinstance(u, dict) and "update_id" in u]

    def _sent(self) -> None:
        """``polling`` called once the first ``getUpdates`` is on its way (written):
        deferred start-up work begins then, after the start-up proper."""
        polling, self._polling = self._polling, None
        if polling is not None:
            polling()

    async def _close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None


class PollError(Exception):
    def __init__(self, description: str, *, retry_after: float | None = None) -> None:
        super().__init__(description)
        self.retry_after = float(retry_after) if retry_after else None


__all__ = ["CHANNEL", "ChatBound", "Origin", "PollError", "Poller", "Receiver", "origin_of"]

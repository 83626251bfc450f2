"""Framework-neutral pieces of the Telegram connectors.

Both connectors (aiogram, python-telegram-bot) share everything here: Telegram's size limits
and text splitting, the neutral errors a send can end in, the outgoing rate limiter and the
retry policy, and the count of work in flight. Nothing in this module imports a Telegram
framework.
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import math
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


TEXT_LIMIT = 4096  # sendMessage / editMessageText text, in UTF-16 code units
CAPTION_LIMIT = 1024  # photo caption
CALLBACK_DATA_LIMIT = 64  # bytes
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile on the public Bot API


# ----------------------------------------------------------------------------- text
def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units; an emoji may count 2)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # C speed: every reply is measured


def _prefix_within(text: str, limit: int) -> int:
    """The longest prefix length (in str characters) whose Telegram length is <= limit."""
    if tg_len(text) <= limit:
        return len(text)
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return i
    return len(text)  # pragma: no cover - covered by the first check


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split ``text`` into pieces of at most ``limit`` Telegram characters.

    Cuts at a paragraph break, else a line break, else a space, in the second half of the
    piece; a word longer than the limit is cut hard. Whitespace at the cuts is dropped and
    no piece is empty; an empty or blank text gives ``[]``.
    """
    pieces: list[str] = []
    rest = text.strip()
    while rest:
        end = _prefix_within(rest, limit)
        if end >= len(rest):
            pieces.append(rest)
            break
        cut = _cut_point(rest, end)
        piece = rest[:cut].rstrip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:].lstrip()
    return pieces


def _cut_point(text: str, end: int) -> int:
    floor = end // 2
    for sep in ("\n\n", "\n", " "):
        at = text.rfind(sep, floor, end)
        if at > 0:
            return at + len(sep)
    return end


def fits_caption(text: str) -> bool:
    return tg_len(text) <= CAPTION_LIMIT


def callback_data_ok(data: str) -> bool:
    return 0 < len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT


# ----------------------------------------------------------------------------- errors
class SendError(Exception):
    """A Bot API call failed; the framework adapters raise only these subclasses."""

    def __init__(self, description: str = "") -> None:
        super().__init__(description)
        self.description = description


class RetryLater(SendError):
    """429 Too Many Requests: wait ``seconds`` before trying again."""

    def __init__(self, seconds: float, description: str = "") -> None:
        super().__init__(description or f"retry after {seconds}")
        self.seconds = float(seconds)


class Blocked(SendError):
    """403 Forbidden: the user blocked the bot (or it was removed from the group)."""


class Transient(SendError):
    """5xx or a network failure: worth retrying with backoff. The request may have reached
    Telegram and been carried out (the answer was lost): see :class:`NotSent`."""


class NotSent(Transient):
    """A network failure before the request left (connection refused, DNS, connect or pool
    timeout): Telegram surely never saw it, so any call may be repeated."""


class Rejected(SendError):
    """400 and other refusals: retrying the same call cannot help."""

    @property
    def not_modified(self) -> bool:
        return "message is not modified" in self.description.lower()


def api_error(code: int, description: str, retry_after: float | None = None) -> SendError:
    """A Bot API error answer (``error_code``, ``description``, ``retry_after``) as the
    shared error: the one mapping of codes, for every framework and the lean calls."""
    if code == 429:
        return RetryLater(1 if retry_after is None else retry_after, description)
    if code == 403:
        return Blocked(description)
    if code >= 500:
        return Transient(description)
    return Rejected(description)


def retry_seconds(value: object) -> float:
    """A ``retry_after`` that may be an int or a ``timedelta`` (PTB >= 22.2)."""
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- rate limits
@dataclass(frozen=True, slots=True)
class Window:
    """At most ``count`` messages in any ``seconds``-long window."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> Window:
        count, _, seconds = text.partition("/")
        return cls(int(count), float(seconds or 1))


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Telegram's sending limits: ~30 messages/s overall, ~1/s per chat (short bursts
    tolerated), 20/min per group."""

    overall: Window = Window(30, 1.0)
    private: Window = Window(3, 3.0)
    group: Window = Window(20, 60.0)

    @classmethod
    def parse(cls, text: str | None) -> RateLimits:
        """``"overall=30/1,chat=3/3,group=20/60"`` (any subset; the rest keeps its default)."""
        if not text:
            return cls()
        names = {"overall": "overall", "chat": "private", "private": "private", "group": "group"}
        values: dict[str, Window] = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _, spec = part.partition("=")
            if name.strip() not in names:
                raise ValueError(f"unknown rate limit {name!r}")
            values[names[name.strip()]] = Window.parse(spec.strip())
        return cls(**values)


EPSILON = 1e-6  # seconds added to every wait: a slot is never taken a rounding error early


class _Log:
    """The messages counted against one chat's (or the whole bot's) limits: how many are in
    flight (sent, no answer yet) and when each of the others got its answer.

    Telegram counts a message when it arrives, some time between the moment we start sending
    it and the moment its answer reaches us. So a message counts from its start until its
    answer plus the window: however late or early each one arrives, no window of Telegram's
    ever holds more than ``count`` of them (bench/bench_telegram.py --telegram-limits).
    """

    __slots__ = ("windows", "span", "ends", "open", "hold_until", "changed")

    def __init__(self, windows: tuple[Window, ...]) -> None:
        self.windows = windows
        self.span = max(w.seconds for w in windows)
        self.ends: deque[float] = deque()  # answer times, oldest first, within ``span``
        self.open = 0
        self.hold_until = 0.0
        self.changed: asyncio.Event | None = None  # set when a message in flight ends

    def wait(self, now: float) -> float:
        """Seconds until one more message may start: 0 now, ``inf`` when one in flight must end first."""
        ends = self.ends
        while ends and ends[0] + self.span <= now:
            ends.popleft()
        wait = max(0.0, self.hold_until - now)
        for window in self.windows:
            wait = max(wait, self._wait(window, now))
        return wait

    def _wait(self, window: Window, now: float) -> float:
        ends = self.ends
        first = (
            0 if window.seconds >= self.span else bisect.bisect_right(ends, now - window.seconds)
        )
        count = self.open + len(ends) - first
        if count < window.count:
            return 0.0
        if self.open >= window.count:
            return math.inf
        # the (count - window.count + 1)-th oldest answer in the window must leave it first
        return ends[first + count - window.count] + window.seconds - now + EPSILON

    def start(self) -> None:
        self.open += 1

    def end(self, now: float) -> None:
        self.open -= 1
        self.ends.append(now)
        if self.changed is not None:
            self.changed.set()
            self.changed = None

    def idle(self, now: float) -> bool:
        return (
            self.open == 0
            and self.hold_until <= now
            and (not self.ends or self.ends[-1] + self.span <= now)
        )


@dataclass(slots=True)
class _ChatLimits:
    log: _Log
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)  # first come, first served
    waiting: int = 0


class Slot:
    """One message's place within the limits; ``release`` it when its answer (or failure) came."""

    __slots__ = ("_logs", "_clock")

    def __init__(self, logs: tuple[_Log, ...], clock: Callable[[], float]) -> None:
        self._logs = logs
        self._clock = clock
        for entry in logs:
            entry.start()

    def release(self) -> None:
        logs, self._logs = self._logs, ()
        now = self._clock()
        for entry in logs:
            entry.end(now)


class RateLimiter:
    """Paces outgoing messages to Telegram's limits; ``hold`` pauses a chat after a 429.

    ``acquire(chat_id)`` waits until the overall window and the chat's windows (a group's:
    the chat window and the group's 20/min) have room, then returns a :class:`Slot` to release
    once the call is answered. Waiters are served in arrival order: per chat, then overall.
    Only messages are counted (sends, edits, deletes); callback answers, downloads and the
    command menu are not messages.
    """

    def __init__(
        self,
        limits: RateLimits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.limits = limits or RateLimits()
        self.clock = clock
        self.sleep = sleep
        self.waits = 0  # times a call waited here (or was retried): a guard's yes is stale then
        self._overall = _Log((self.limits.overall,))
        self._overall_turn = asyncio.Lock()
        self._chats: dict[int, _ChatLimits] = {}

    async def acquire(self, chat_id: int) -> Slot:
        chat = self._chat(chat_id)
        chat.waiting += 1
        try:
            async with chat.turn:
                while True:
                    await self._until_free(chat.log)
                    async with self._overall_turn:
                        await self._until_free(self._overall)
                        if chat.log.wait(self.clock()) <= 0:  # no 429 held the chat meanwhile
                            return Slot((self._overall, chat.log), self.clock)
        finally:
            chat.waiting -= 1
            if len(self._chats) > 4096:
                self._forget_idle(self.clock())

    async def _until_free(self, entry: _Log) -> None:
        while True:
            wait = entry.wait(self.clock())
            if wait <= 0:
                return
            self.waits += 1
            if wait == math.inf:
                if entry.changed is None:
                    entry.changed = asyncio.Event()
                await entry.changed.wait()
            else:
                await self.sleep(wait)

    def hold(self, chat_id: int | None, seconds: float) -> None:
        """Telegram said 429: nothing more to ``chat_id`` (or to anyone) for ``seconds``."""
        target = self._overall if chat_id is None else self._chat(chat_id).log
        target.hold_until = max(target.hold_until, self.clock() + seconds)

    def _chat(self, chat_id: int) -> _ChatLimits:
        chat = self._chats.get(chat_id)
        if chat is None:
            windows = (
                (self.limits.private, self.limits.group) if chat_id < 0 else (self.limits.private,)
            )
            chat = self._chats[chat_id] = _ChatLimits(_Log(windows))
        return chat

    def _forget_idle(self, now: float) -> None:
        for chat_id in [
            c for c, chat in self._chats.items() if not chat.waiting and chat.log.idle(now)
        ]:
            del self._chats[chat_id]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard to try before a send is given up (and queued in the outbox)."""

    transient_attempts: int = 8  # 5xx / network errors, with exponential backoff
    first_delay: float = 0.5
    max_delay: float = 30.0
    retry_after_attempts: int = 10  # 429s in a row

    def backoff(self, attempt: int) -> float:
        base = min(self.max_delay, self.first_delay * 2 ** (attempt - 1))
        return base * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not crypto


async def call_with_retry(
    fn: Callable[[], Awaitable[T]],
    *,
    limiter: RateLimiter | None,
    chat_id: int | None,
    policy: RetryPolicy,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    repeatable: bool = True,
) -> T:
    """Run one Bot API call: wait for a rate-limit slot (when ``limiter`` is given), honour
    429 ``retry_after``, retry transient failures with backoff. ``Blocked`` and ``Rejected``
    propagate at once; the last ``Transient`` / ``RetryLater`` propagates when out of tries.

    ``repeatable=False`` (edits, deletes, callback answers): a failure after which the call
    may have been carried out (a lost answer, a 5xx) propagates at once; only a 429 and
    ``NotSent`` (Telegram surely never saw the request) are retried. Sends are repeatable:
    Telegram has no idempotency key, so a send whose answer was lost may arrive twice
    (at least once, never lost)."""
    transient = throttled = 0
    while True:
        try:
            return await _call_once(fn, limiter, chat_id)
        except RetryLater as exc:
            throttled += 1
            if throttled > policy.retry_after_attempts:
                raise
            log.warning("Telegram asked to slow down: retry after %.1f s", exc.seconds)
            if limiter is not None and chat_id is not None:
                limiter.hold(chat_id, exc.seconds)
            else:
                await sleep(exc.seconds)
        except Transient as exc:
            transient += 1
            if transient >= policy.transient_attempts or not (
                repeatable or isinstance(exc, NotSent)
            ):
                raise
            delay = policy.backoff(transient)
            log.warning(
                "Telegram call failed (%s), retry %d in %.1f s",
                exc.description[:200],
                transient,
                delay,
            )
            if limiter is not None:
                limiter.waits += 1
            await sleep(delay)


async def _call_once(
    fn: Callable[[], Awaitable[T]], limiter: RateLimiter | None, chat_id: int | None
) -> T:
    if limiter is None or chat_id is None:
        return await fn()
    slot = await limiter.acquire(chat_id)
    try:
        return await fn()
    finally:
        slot.release()


def sent_nothing(exc: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """True when ``exc`` or one of its causes is one of ``kinds`` (a framework's connect-phase
    errors): the request never left, so repeating it cannot make anything happen twice."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, kinds):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def mapped_errors(
    call: Awaitable[T], translate: Callable[[BaseException], SendError | None]
) -> T:
    """Await a framework's API call; its failures come out as the shared ``SendError``s
    (``translate`` is the framework's mapping; anything it does not know is re-raised)."""
    try:
        return await call
    except Exception as exc:
        mapped = translate(exc)
        if mapped is None or mapped is exc:
            raise
        raise mapped from exc


# ----------------------------------------------------------------------------- ordering
# KeyedSerial lives in bot/keyed.py: the engine serialises per customer with the same tool


class InFlight:
    """Counts work in progress so shutdown can wait for it to finish."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def __enter__(self) -> InFlight:
        self._count += 1
        self._idle.clear()
        return self

    def __exit__(self, *exc: object) -> None:
        self._count -= 1
        if self._count == 0:
            self._idle.set()

    @property
    def count(self) -> int:
        return self._count

    async def wait_idle(self, timeout: float) -> bool:
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

"""Framework-neutral pieces of the Telegram connectors.

Both connectors (aiogram, python-telegram-bot) share everything here: Telegram's size limits
and text splitting, the neutral errors a send can end in, the outgoing rate limiter, the
per-chat ordering of updates, and album (media group) aggregation. Nothing in this module
imports a Telegram framework.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


TEXT_LIMIT = 4096  # sendMessage / editMessageText text, in UTF-16 code units
CAPTION_LIMIT = 1024  # photo caption
CALLBACK_DATA_LIMIT = 64  # bytes
DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile on the public Bot API
COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


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


def parse_command(text: str) -> tuple[str, str] | None:
    """``"/Start@MyBot promo_x"`` -> ``("start", "promo_x")``; None when it is not a command."""
    if not text.startswith("/"):
        return None
    head, _, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    if not COMMAND_RE.fullmatch(name):
        return None
    return name, args.strip()


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
    """5xx or a network failure: worth retrying with backoff."""


class Rejected(SendError):
    """400 and other refusals: retrying the same call cannot help."""

    @property
    def not_modified(self) -> bool:
        return "message is not modified" in self.description.lower()

    @property
    def too_big(self) -> bool:
        return "too big" in self.description.lower()


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


class _SlidingLog:
    """Reservation times inside one window; ``earliest`` is when the next one may go."""

    __slots__ = ("times", "window", "hold_until")

    def __init__(self, window: Window) -> None:
        self.window = window
        self.times: deque[float] = deque()
        self.hold_until = 0.0

    def earliest(self, now: float) -> float:
        at = max(now, self.hold_until)
        times, window = self.times, self.window
        while times and times[0] <= now - window.seconds:
            times.popleft()
        if len(times) >= window.count:
            at = max(at, times[-window.count] + window.seconds)
        return at

    def reserve(self, at: float) -> None:
        self.times.append(at)

    def idle(self, now: float) -> bool:
        return self.hold_until <= now and (not self.times or self.times[-1] <= now - self.window.seconds)


class RateLimiter:
    """Spaces outgoing messages to Telegram's limits; ``hold`` pauses a chat after a 429.

    ``acquire(chat_id)`` reserves a slot in the overall window and in the chat's window
    (negative ids are groups) at the earliest time both allow, then sleeps until then. The
    reservation is made without awaiting, so concurrent callers never double-book a slot.
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
        self._overall = _SlidingLog(self.limits.overall)
        self._chats: dict[int, _SlidingLog] = {}

    def reserve(self, chat_id: int) -> float:
        """Book the next slot for ``chat_id``; returns how long to wait for it."""
        now = self.clock()
        chat = self._chat(chat_id)
        at = max(self._overall.earliest(now), chat.earliest(now))
        self._overall.reserve(at)
        chat.reserve(at)
        if len(self._chats) > 4096:
            self._forget_idle(now)
        return at - now

    async def acquire(self, chat_id: int) -> None:
        delay = self.reserve(chat_id)
        if delay > 0:
            await self.sleep(delay)

    def hold(self, chat_id: int | None, seconds: float) -> None:
        """Telegram said 429: nothing more to ``chat_id`` (or to anyone) for ``seconds``."""
        target = self._overall if chat_id is None else self._chat(chat_id)
        target.hold_until = max(target.hold_until, self.clock() + seconds)

    def _chat(self, chat_id: int) -> _SlidingLog:
        log_ = self._chats.get(chat_id)
        if log_ is None:
            window = self.limits.group if chat_id < 0 else self.limits.private
            log_ = self._chats[chat_id] = _SlidingLog(window)
        return log_

    def _forget_idle(self, now: float) -> None:
        for chat_id in [c for c, entry in self._chats.items() if entry.idle(now)]:
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
) -> T:
    """Run one Bot API call: wait for a rate-limit slot (when ``limiter`` is given), honour
    429 ``retry_after``, retry transient failures with backoff. ``Blocked`` and ``Rejected``
    propagate at once; the last ``Transient`` / ``RetryLater`` propagates when out of tries."""
    transient = throttled = 0
    while True:
        if limiter is not None and chat_id is not None:
            await limiter.acquire(chat_id)
        try:
            return await fn()
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
            if transient >= policy.transient_attempts:
                raise
            delay = policy.backoff(transient)
            log.warning("Telegram call failed (%s), retry %d in %.1f s", exc.description[:200], transient, delay)
            await sleep(delay)


async def mapped_errors(call: Awaitable[T], translate: Callable[[BaseException], SendError | None]) -> T:
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


# ----------------------------------------------------------------------------- albums
@dataclass
class _Album(Generic[T]):
    items: list[T] = field(default_factory=list)
    last: float = 0.0
    first: float = 0.0
    closed: bool = False
    # set once the owner is done with the album; ``abandoned``: it was not handled (shutdown)
    handled: asyncio.Event = field(default_factory=asyncio.Event)
    abandoned: bool = False


class AlbumCollector(Generic[T]):
    """Gathers the messages of one media group (they arrive as separate updates).

    ``add`` is synchronous and returns True for the first item: that caller owns the album
    and awaits ``collect``, which returns once no new item came for ``quiet`` seconds (or
    ``max_wait`` passed). Items added after the album was collected start a new one.
    """

    def __init__(self, *, quiet: float = 0.5, max_wait: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.quiet = quiet
        self.max_wait = max_wait
        self.clock = clock
        self._open: dict[Hashable, _Album[T]] = {}

    def add(self, group: Hashable, item: T) -> bool:
        now = self.clock()
        album = self._open.get(group)
        first = album is None
        if album is None:
            album = self._open[group] = _Album(first=now)
        album.items.append(item)
        album.last = now
        return first

    def album(self, group: Hashable) -> _Album[T]:
        """The open album of ``group`` (right after ``add``: the one the item joined)."""
        return self._open[group]

    async def collect(self, group: Hashable) -> list[T]:
        album = self._open[group]
        try:
            while True:
                now = self.clock()
                due = min(album.last + self.quiet, album.first + self.max_wait)
                if now >= due:
                    return list(album.items)
                await asyncio.sleep(due - now)
        finally:
            if self._open.get(group) is album:
                del self._open[group]


def chunks(items: Iterable[T], size: int) -> Iterable[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch

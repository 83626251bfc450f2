"""Album (media group) aggregation: the pictures of one album arrive as separate updates;
the first one's turn collects the rest and the engine gets them as one ``AlbumIn``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Album(Generic[T]):
    items: list[T] = field(default_factory=list)
    last: float = 0.0
    first: float = 0.0
    # set once the owner is done with the album; ``abandoned``: it was not handled (shutdown)
    handled: asyncio.Event = field(default_factory=asyncio.Event)
    abandoned: bool = False


class AlbumCollector(Generic[T]):
    """Gathers the messages of one media group (they arrive as separate updates).

    ``add`` is synchronous and returns True for the first item: that caller owns the album
    and awaits ``collect``, which returns once no new item came for ``quiet`` seconds (or
    ``max_wait`` passed). Items added after the album was collected start a new one.
    """

    def __init__(
        self,
        *,
        quiet: float = 0.5,
        max_wait: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.quiet = quiet
        self.max_wait = max_wait
        self.clock = clock
        self.sleep = sleep
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
                await self.sleep(due - now)
        finally:
            if self._open.get(group) is album:
                del self._open[group]

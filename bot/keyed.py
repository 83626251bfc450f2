"""Per-key serialisation: one piece of work per key at a time, in arrival order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class KeyedSerial(Generic[K]):
    """Runs work for one key strictly in arrival order, different keys concurrently.

    ``async with serial(key):`` takes its place in the key's FIFO queue *synchronously* when
    the lock is free, so a handler that enters it before its first real await keeps the
    order in which updates were dispatched.
    """

    def __init__(self) -> None:
        self._locks: dict[K, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        return len(self._locks)

    @asynccontextmanager
    async def __call__(self, key: K) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            await lock.acquire()
        except BaseException:
            self._release_user(key, lock)
            raise
        try:
            yield
        finally:
            lock.release()
            self._release_user(key, lock)

    def _release_user(self, key: K, lock: asyncio.Lock) -> None:
        _, users = self._locks[key]
        if users <= 1:
            del self._locks[key]
        else:
            self._locks[key] = (lock, users - 1)

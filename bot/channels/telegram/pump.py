"""The background pump: runs the delivery rounds (claim notifications and staff answers,
support forwarding, the outbox) every ``interval`` seconds and soon after each ``poke``
(a handled update, a staff action). A failing round is logged; the next one comes anyway."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

log = logging.getLogger(__name__)

# seconds between two rounds at most busy: a round (claim events, staff answers, support
# forwarding: several database reads and lease writes) cost about as much as 2-3 turns, and
# one customer in flight pokes after every turn: at 0.1 s the rounds were ~40% of the bot's
# time with one customer (issue 9, bench_telegram.py --profile); 0.5 s keeps a notification
# caused by a turn within half a second
GAP = 0.5
Step = Callable[[], Awaitable[object]]


class Pump:
    def __init__(self, steps: Callable[[], Sequence[Step]], *, interval: float = 2.0) -> None:
        self.steps = steps  # this round's steps (the outbox only when due)
        self.interval = interval
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.create_task(self._loop(), name="telegram-pump")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def poke(self) -> None:
        """Run a round soon."""
        if self._wake is not None:
            self._wake.set()

    async def round(self) -> None:
        for step in self.steps():
            try:
                await step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background delivery step %s failed", getattr(step, "__name__", step))

    async def _loop(self) -> None:
        assert self._wake is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            await self.round()
            await asyncio.sleep(GAP)  # a burst of pokes makes one round, not one each

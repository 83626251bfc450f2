"""One delivery loop for every kind of outgoing notification: lease -> send -> mark or release.

A kind of notification (claim status changes, staff answers, support requests forwarded to
the staff group, replies kept in the outbox...) is a :class:`Source`: it leases a batch of
waiting items (so another replica never sends the same one), renders and sends one item,
marks what went out and gives back what did not. :func:`deliver` runs that loop the same
way for all of them:

- items are taken in the lease's order; a failed item holds back the rest of its ``lane``
  (a ticket, a chat), so they never arrive out of order; ``lane`` ``None``: no ordering;
- nothing is sent once the lease is no longer ``live`` (another taker may have it now);
- each item is marked right after it went out (at least once: never before);
- whatever was not sent is released at once, whatever happens (an error, a cancellation).

A new kind is a few lines: ``lease``, ``send``, ``mark``, ``release`` (and ``lane``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _always() -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Lease(Generic[T]):
    """Items taken to send, while ``live()`` says yes."""

    items: Sequence[T] = ()
    live: Callable[[], bool] = field(default=_always)
    holder: object = None  # what the store needs to give the rest back (its own lease)


class Outcome(enum.Enum):
    SENT = "sent"  # went out: mark it
    SETTLED = "settled"  # nothing to send (withheld, nobody to tell): mark it, count nothing
    FAILED = "failed"  # not sent: release it, and hold back the rest of its lane


@dataclass(frozen=True, slots=True)
class Attempt(Generic[R]):
    """What became of one item; ``receipt``: what ``mark`` needs to know (message ids...)."""

    outcome: Outcome
    receipt: R | None = None


SENT: Attempt[None] = Attempt(Outcome.SENT)
SETTLED: Attempt[None] = Attempt(Outcome.SETTLED)
FAILED: Attempt[None] = Attempt(Outcome.FAILED)


class Source(Protocol[T, R]):
    """One kind of outgoing notification."""

    async def lease(self) -> Lease[T]:
        """Take the waiting items (none: an empty lease)."""
        ...

    def lane(self, item: T) -> Hashable | None:
        """Items of one lane go out in order: a failure holds back the rest of the lane."""
        ...

    async def send(self, item: T) -> Attempt[R]:
        """Render ``item`` and send it."""
        ...

    async def mark(self, item: T, receipt: R | None) -> None:
        """``item`` is done (sent or settled): never send it again."""
        ...

    async def release(self, lease: Lease[T], unsent: list[T]) -> None:
        """Give back what was not sent (for the next round or another taker)."""
        ...


async def deliver(source: Source[T, R]) -> int:
    """One round of ``source``: returns how many items were sent."""
    lease = await source.lease()
    if not lease.items:
        return 0
    done: set[int] = set()  # positions in the lease
    held: set[Hashable] = set()  # lanes with a failure this round
    sent = 0
    try:
        for index, item in enumerate(lease.items):
            lane = source.lane(item)
            if (lane is not None and lane in held) or not lease.live():
                continue
            attempt = await source.send(item)
            if attempt.outcome is Outcome.FAILED:
                if lane is not None:
                    held.add(lane)
                continue
            await source.mark(item, attempt.receipt)
            done.add(index)
            sent += attempt.outcome is Outcome.SENT
    finally:
        unsent = [item for index, item in enumerate(lease.items) if index not in done]
        if unsent:
            await source.release(lease, unsent)
    return sent


__all__ = ["FAILED", "SENT", "SETTLED", "Attempt", "Lease", "Outcome", "Source", "deliver"]

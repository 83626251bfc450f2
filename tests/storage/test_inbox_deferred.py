"""A handled update leaves the inbox without a transaction of its own (``Inbox.done_later``):
its deletion rides on the next poll's write, or on a flush once no poll came for a while, and
on close. Another process (a fresh ``Inbox`` on the same file) sees only what is committed."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.links import Inbox
from storage.sessions import Batcher

CH = "telegram"


def upd(n: int, text: str = "hi") -> dict[str, Any]:
    return {"update_id": n, "message": {"chat": {"id": 40 + n}, "text": text}}


async def stored(db: AsyncEngine) -> list[int]:
    """The inbox as another process sees it (committed rows only)."""
    view = Inbox(db)
    try:
        return [item.update_id for item in await view.pending(CH)]
    finally:
        await view.close()


class Gate:
    """A ``sleep`` that returns only once the test opens it (no real time)."""

    def __init__(self) -> None:
        self.asked = asyncio.Event()
        self.open = asyncio.Event()
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.asked.set()
        await self.open.wait()


async def test_the_deletion_rides_on_the_next_put(db: AsyncEngine) -> None:
    writer = Batcher(db)
    gate = Gate()
    inbox = Inbox(db, writer=writer, sleep=gate)
    try:
        assert await inbox.put_many(CH, [upd(1), upd(2)]) == [True, True]
        inbox.done_later(CH, 1)
        assert [i.update_id for i in await inbox.pending(CH)] == [2]  # handled, for this process
        assert await stored(db) == [1, 2]  # not deleted yet: no transaction of its own
        batches = writer.batches
        assert await inbox.put_many(CH, [upd(3)]) == [True]
        assert writer.batches == batches + 1  # one transaction: the insert and the deletion
        assert await stored(db) == [2, 3]
        await gate.asked.wait()
        assert gate.delays == [inbox._flush_after]  # noqa: SLF001
        gate.open.set()  # the flush finds nothing left to do
        assert inbox.flusher is not None
        await inbox.flusher
        assert writer.batches == batches + 1
    finally:
        await inbox.close()
        await writer.close()


async def test_with_no_poll_a_flush_comes_after_a_quiet_while(db: AsyncEngine) -> None:
    gate = Gate()
    inbox = Inbox(db, sleep=gate)
    try:
        await inbox.put_many(CH, [upd(1, "Tr0ub4dor-typed-password"), upd(2)])
        inbox.done_later(CH, 1)
        await gate.asked.wait()
        assert await stored(db) == [1, 2]  # waiting for the quiet while to pass
        gate.open.set()
        assert inbox.flusher is not None
        await inbox.flusher
        assert await stored(db) == [2]
    finally:
        await inbox.close()


async def test_close_commits_the_deletions_still_noted(db: AsyncEngine) -> None:
    inbox = Inbox(db, sleep=Gate())  # the quiet while never ends
    await inbox.put_many(CH, [upd(1), upd(2)])
    inbox.done_later(CH, 2)
    await inbox.close()
    assert await stored(db) == [1]


async def test_a_redelivered_copy_of_a_handled_update_is_not_stored_again(db: AsyncEngine) -> None:
    inbox = Inbox(db, sleep=Gate())
    try:
        await inbox.put_many(CH, [upd(1)])
        inbox.done_later(CH, 1)  # handled; its deletion not committed yet
        assert await inbox.put_many(CH, [upd(1), upd(2)]) == [False, True]  # not handled twice
        assert await stored(db) == [2]  # and the copy left with the deletion
    finally:
        await inbox.close()


async def test_a_failed_put_keeps_the_deletions_for_the_next_write(db: AsyncEngine) -> None:
    inbox = Inbox(db, sleep=Gate())
    try:
        await inbox.put_many(CH, [upd(1), upd(2)])
        inbox.done_later(CH, 1)
        try:  # fails inside the transaction (no SQLite integer that large): all rolled back
            await inbox.put_many(CH, [upd(3), upd(2**64)])
        except OverflowError:
            pass
        else:
            raise AssertionError("the put fails")
        assert await stored(db) == [1, 2]  # the deletion was rolled back with the inserts
        assert [i.update_id for i in await inbox.pending(CH)] == [2]  # still noted as handled
        assert await inbox.put_many(CH, [upd(3)]) == [True]
        assert await stored(db) == [2, 3]  # committed with the next write
    finally:
        await inbox.close()


async def test_many_handled_updates_of_two_channels_leave_with_one_write(db: AsyncEngine) -> None:
    """Forgotten in chunks of at most 100 keys a statement (207 here: 100 + 100 + 7), per
    channel: exactly the handled ones go, the others of either channel stay."""
    writer = Batcher(db)
    inbox = Inbox(db, writer=writer, sleep=Gate())
    try:
        assert all(await inbox.put_many(CH, [upd(n) for n in range(1, 301)]))
        assert all(await inbox.put_many("other", [upd(n) for n in range(1, 6)]))
        for n in range(1, 208):
            inbox.done_later(CH, n)
        inbox.done_later("other", 2)
        assert await inbox.put_many(CH, [upd(301)]) == [True]
        assert await stored(db) == list(range(208, 302))
        view = Inbox(db)
        try:
            assert [i.update_id for i in await view.pending("other")] == [1, 3, 4, 5]
        finally:
            await view.close()
    finally:
        await inbox.close()
        await writer.close()

"""The review desk's own tables (storage/review_desk.py) on a migrated SQLite file: the
Review topic created once under concurrent callers, staff's open questions, and the code
pool's level (a crossing is reported once, also when two approvals race)."""

from __future__ import annotations

import asyncio

from storage.review_desk import ReviewDeskStore

ROOM = "-1001234567890"


async def test_the_review_topic_is_taken_by_one_caller_and_kept(db):
    store = ReviewDeskStore(db)
    try:
        takes = await asyncio.gather(*(store.take_room(ROOM) for _ in range(8)))
        assert takes.count(True) == 1
        assert await store.thread(ROOM) is None  # being created
        await store.room_made(ROOM, 42)
        assert await store.thread(ROOM) == "42"
        assert not await store.take_room(ROOM)  # made: nobody creates another
    finally:
        await store.close()


async def test_a_failed_creation_is_retaken(db):
    store = ReviewDeskStore(db)
    try:
        assert await store.take_room(ROOM)
        await store.room_failed(ROOM)
        assert await store.take_room(ROOM)
    finally:
        await store.close()


async def test_a_question_is_answered_once_and_a_new_one_replaces_it(db):
    store = ReviewDeskStore(db)
    try:
        await store.ask(ROOM, "777", "5", "claim-a", "o", 10)
        await store.ask(ROOM, "777", "5", "claim-b", "s", 11)  # the newer question wins
        prompt = await store.pending(ROOM, "777")
        assert prompt is not None and (prompt.claim_id, prompt.op) == ("claim-b", "s")
        assert await store.pending(ROOM, "666") is None  # another person asked nothing
        answers = await asyncio.gather(store.answered(prompt), store.answered(prompt))
        assert sorted(answers) == [False, True]
        assert await store.pending(ROOM, "777") is None
    finally:
        await store.close()


async def test_pool_levels_warn_once_per_crossing(db):
    store = ReviewDeskStore(db)
    try:
        assert not await store.cross("open", "ok")
        racing = await asyncio.gather(*(store.cross("open", "low") for _ in range(5)))
        assert racing.count(True) == 1  # two approvals at once: one warning
        assert not await store.cross("open", "low")
        assert await store.cross("open", "empty")
        assert not await store.cross("open", "empty")
        assert not await store.cross("open", "ok")  # an import: back above the line
        assert await store.cross("open", "low")  # the next drop warns again
        assert await store.cross("other", "empty")  # per promotion
    finally:
        await store.close()

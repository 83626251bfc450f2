"""The review room's cards and cursor (storage/review_cards.py) on a migrated SQLite file: the
cursor only moves forward (a slower replica cannot move it back), per room; a card being
posted is not "known" (its take says whose it is), a stale take is taken again."""

from __future__ import annotations

import asyncio
import datetime as dt

from storage.review_cards import STALE, ReviewCards

ROOM, OTHER = "-1001234567890", "-1009999999999"


async def test_the_cursor_moves_forward_only_and_per_room(db):
    store = ReviewCards(db)
    try:
        assert await store.cursor(ROOM) is None
        await asyncio.gather(*(store.advance(ROOM, seq) for seq in (7, 3, 9, 5)))
        assert await store.cursor(ROOM) == 9
        await store.advance(ROOM, 4)
        assert await store.cursor(ROOM) == 9
        assert await store.cursor(OTHER) is None
        await store.advance(OTHER, 2)
        assert (await store.cursor(ROOM), await store.cursor(OTHER)) == (9, 2)
    finally:
        await store.close()


async def test_a_card_being_posted_is_not_known_and_a_stale_take_is_retaken(db):
    now = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    store = ReviewCards(db, now=lambda: now)
    try:
        assert await store.take("claim-a", 1, ROOM)
        assert await store.known([("claim-a", 1)]) == set()  # being posted: not settled
        assert not await store.take("claim-a", 1, ROOM)  # but someone's
        now += STALE + dt.timedelta(seconds=1)
        assert await store.take("claim-a", 1, ROOM)  # that someone died: taken again
        await store.posted("claim-a", 1, 55)
        assert await store.known([("claim-a", 1), ("claim-a", 2)]) == {("claim-a", 1)}
        assert not await store.take("claim-a", 1, ROOM)
    finally:
        await store.close()

"""The one delivery loop (bot/delivery.py): a failure holds back the rest of its lane, nothing
goes out once the lease is over, an item is marked only after it went out, and whatever was
not sent is given back, even when sending raises."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import pytest

from bot.delivery import FAILED, SENT, SETTLED, Attempt, Lease, deliver


@dataclass
class Board:
    """A Source over a list: items are (lane, text); ``fail``: texts that cannot be sent."""

    items: list[tuple[str, str]]
    fail: set[str] = field(default_factory=set)
    settle: set[str] = field(default_factory=set)
    explode: str | None = None
    live_for: int | None = None  # sends before the lease runs out
    log: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)
    released: list[str] | None = None

    async def lease(self) -> Lease[tuple[str, str]]:
        return Lease(list(self.items), self._live)

    def _live(self) -> bool:
        return self.live_for is None or len(self.log) < self.live_for

    def lane(self, item: tuple[str, str]) -> Hashable | None:
        return item[0] or None

    async def send(self, item: tuple[str, str]) -> Attempt[None]:
        text = item[1]
        if text == self.explode:
            raise RuntimeError("the channel broke")
        self.log.append(text)
        if text in self.fail:
            return FAILED
        return SETTLED if text in self.settle else SENT

    async def mark(self, item: tuple[str, str], receipt: None) -> None:
        assert item[1] in self.log, "marked before it was sent"
        self.marked.append(item[1])

    async def release(self, lease: Lease[tuple[str, str]], unsent: list[tuple[str, str]]) -> None:
        self.released = [text for _, text in unsent]


async def test_a_failure_holds_back_its_lane_only() -> None:
    board = Board([("a", "a1"), ("b", "b1"), ("a", "a2"), ("b", "b2"), ("", "x")], fail={"a1"})
    assert await deliver(board) == 3
    assert board.log == ["a1", "b1", "b2", "x"]  # a2 never tried: it would overtake a1
    assert board.marked == ["b1", "b2", "x"]
    assert board.released == ["a1", "a2"]


async def test_settled_items_are_marked_but_not_counted() -> None:
    board = Board([("", "gone"), ("", "sent")], settle={"gone"})
    assert await deliver(board) == 1
    assert board.marked == ["gone", "sent"] and board.released is None


async def test_nothing_goes_out_once_the_lease_is_over() -> None:
    board = Board([("", "1"), ("", "2"), ("", "3")], live_for=1)
    assert await deliver(board) == 1
    assert board.log == ["1"] and board.released == ["2", "3"]


async def test_what_was_not_sent_is_given_back_when_sending_raises() -> None:
    board = Board([("", "1"), ("", "2"), ("", "3")], explode="2")
    with pytest.raises(RuntimeError):
        await deliver(board)
    assert board.marked == ["1"] and board.released == ["2", "3"]


async def test_an_empty_lease_sends_and_releases_nothing() -> None:
    board = Board([])
    assert await deliver(board) == 0
    assert board.released is None

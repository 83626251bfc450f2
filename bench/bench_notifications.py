"""The notification bench of issue 10, on virtual time against a Bot API that enforces
Telegram's limits (30 messages/s overall, 20/min per group, 3 per 3 s per chat) by answering
429 with ``retry_after`` whenever a message would exceed them.

    PYTHONPATH=. .venv/bin/python bench/bench_notifications.py [--customers 10000] [--cards 1000]

(1) 10,000 queued notifications to 10,000 customers, sent as the delivery loop sends them
    (many lanes at once, each through the connector's ``Messenger``: its rate limiter,
    retries and 429 handling): the drain rate against the allowed 30/s (target >= 95 %)
    and the 429s (target: none after the first);
(2) 1,000 claim cards in one burst to the review topic, in claim order through one lane with
    the review room's own ``send_card`` (the invoice and S/N photo as one album, then the
    card: three group messages per claim): arrival order, the most messages in any
    60-second window (<= 20), 429s (target: none).

Virtual time (``SimClock``: sleeps overlap as on a real clock, no real waiting), so the
figures do not depend on the machine: a rate-limit bench, not a CPU one (bench_telegram.py
measures the connectors' CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.channels.telegram.common import RateLimiter, RateLimits, RetryLater, RetryPolicy  # noqa: E402
from bot.channels.telegram.delivery import Messenger  # noqa: E402
from bot.channels.telegram.review_cards import send_card  # noqa: E402
from handlers.io import Reply  # noqa: E402
from tests.telegram.conftest import SimClock  # noqa: E402

REVIEW = -1005550000001
THREAD = 7  # the Review topic
LANES = 200  # notification lanes at once (the delivery loop's per-chat lanes)


class LimitedApi:
    """sendMessage only; answers 429 as Telegram would when a message exceeds a limit."""

    def __init__(self, clock: SimClock, limits: RateLimits) -> None:
        self.clock, self.limits = clock, limits
        self.overall: collections.deque[float] = collections.deque()
        self.per_chat: dict[int, collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self.per_group: dict[int, collections.deque[float]] = collections.defaultdict(
            collections.deque
        )
        self.sent: list[tuple[float, int, str]] = []
        self.refused = 0
        self.refused_at: list[float] = []

    @staticmethod
    def _room(log: collections.deque[float], now: float, count: int, seconds: float) -> float:
        while log and log[0] <= now - seconds:
            log.popleft()
        return 0.0 if len(log) < count else log[0] + seconds - now

    async def send_message(self, chat_id: int, text: str, rows: Any) -> int:
        return (await self._admit(chat_id, [text]))[-1]

    async def _admit(self, chat_id: int, texts: list[str]) -> list[int]:
        """Post ``texts`` as one call (an album: several messages at once) or answer 429."""
        await asyncio.sleep(0)
        now, n = self.clock(), len(texts)
        waits = [
            self._room(
                self.overall, now, self.limits.overall.count - n + 1, self.limits.overall.seconds
            )
        ]
        waits.append(
            self._room(
                self.per_chat[chat_id],
                now,
                self.limits.private.count - n + 1,
                self.limits.private.seconds,
            )
        )
        if chat_id < 0:
            waits.append(
                self._room(
                    self.per_group[chat_id],
                    now,
                    self.limits.group.count - n + 1,
                    self.limits.group.seconds,
                )
            )
        wait = max(waits)
        if wait > 0:
            self.refused += 1
            self.refused_at.append(now)
            raise RetryLater(max(1, round(wait)), "Too Many Requests: retry after")
        ids = []
        for text in texts:
            for log in (
                self.overall,
                self.per_chat[chat_id],
                *([self.per_group[chat_id]] if chat_id < 0 else []),
            ):
                log.append(now)
            self.sent.append((now, chat_id, text))
            ids.append(len(self.sent))
        return ids

    # the review room's port (bot/channels/telegram/review_port.py), in a topic
    async def send_card(self, chat_id: int, text: str, rows: Any, thread_id: int | None) -> int:
        return (await self._admit(chat_id, [text]))[-1]

    async def send_album(
        self, chat_id: int, photos: list[tuple[bytes, str]], thread_id: int | None
    ) -> list[int]:
        return await self._admit(chat_id, [caption for _, caption in photos])

    async def send_photo_in(
        self, chat_id: int, photo: bytes, caption: str, thread_id: int | None
    ) -> int:
        return (await self._admit(chat_id, [caption]))[-1]


def setup() -> tuple[SimClock, LimitedApi, Messenger]:
    clock = SimClock()
    limits = RateLimits()  # Telegram's: what the connector paces itself to
    api = LimitedApi(clock, limits)
    limiter = RateLimiter(limits, clock=clock, sleep=clock.sleep)
    messenger = Messenger(limiter=limiter, policy=RetryPolicy(), sleep=clock.sleep)
    return clock, api, messenger


async def notifications(count: int) -> dict[str, float]:
    clock, api, messenger = setup()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(10_000_000 + n)
    failed = 0

    async def lane() -> None:
        nonlocal failed
        while not queue.empty():
            chat = queue.get_nowait()
            delivery = await messenger.deliver(
                api, None, chat, [Reply(text=f"Your claim {chat} was approved")]
            )
            failed += 0 if delivery.ok else 1

    start = clock()
    await asyncio.gather(*(lane() for _ in range(LANES)))
    elapsed = max(t for t, _, _ in api.sent) - start
    rate = (len(api.sent) - 1) / elapsed if elapsed > 0 else float("inf")
    first = api.refused_at[0] if api.refused_at else None
    after_first = sum(1 for t in api.refused_at if first is not None and t > first)
    return {
        "sent": len(api.sent),
        "failed": failed,
        "seconds": elapsed,
        "rate": rate,
        "share": rate / RateLimits().overall.count * RateLimits().overall.seconds,
        "429": api.refused,
        "429_after_first": after_first,
    }


async def cards(count: int) -> dict[str, float]:
    clock, api, messenger = setup()
    start = clock()
    for n in range(count):  # one lane, in claim order, as ReviewRoom.post_new_cards posts them
        photos = [(b"", f"invoice {n:05d}"), (b"", f"sn_photo {n:05d}")]
        card = Reply(text=f"card {n:05d}")
        assert await send_card(messenger, api, REVIEW, THREAD, photos, card) is not None
    times = [t for t, chat, _ in api.sent if chat == REVIEW]
    order = [int(text.split()[1]) for _, chat, text in api.sent if chat == REVIEW]
    kinds = [text.split()[0] for _, chat, text in api.sent if chat == REVIEW]
    assert kinds == ["invoice", "sn_photo", "card"] * count  # each album beside its card
    busiest, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - 60:
            j += 1
        busiest = max(busiest, i - j + 1)
    return {
        "sent": len(times),
        "in_order": float(order == sorted(order)),
        "minutes": (times[-1] - start) / 60,
        "max_per_60s": busiest,
        "429": api.refused,
    }


async def main(args: argparse.Namespace) -> int:
    n = await notifications(args.customers)
    print(
        f"(1) {int(n['sent'])} notifications to {args.customers} customers in {n['seconds']:.1f} s virtual: "
        f"{n['rate']:.2f} msg/s = {100 * n['share']:.1f} % of 30/s (target >= 95 %); "
        f"429: {int(n['429'])} ({int(n['429_after_first'])} after the first); failed: {int(n['failed'])}"
    )
    c = await cards(args.cards)
    print(
        f"(2) {args.cards} cards ({int(c['sent'])} messages: album of 2 + card) to the review topic in {c['minutes']:.1f} min virtual, "
        f"in order: {bool(c['in_order'])}, most in any 60 s: {int(c['max_per_60s'])} (limit 20); "
        f"429: {int(c['429'])}"
    )
    ok = (
        n["share"] >= 0.95
        and n["429_after_first"] == 0
        and c["in_order"]
        and c["max_per_60s"] <= 20
        and c["429"] == 0
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--cards", type=int, default=1_000)
    sys.exit(asyncio.run(main(parser.parse_args())))

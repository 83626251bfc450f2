"""The framework-neutral parts of the Telegram connectors: limits, text, ordering, albums."""

from __future__ import annotations

import asyncio
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.albums import AlbumCollector
from bot.channels.telegram.common import (
    TEXT_LIMIT,
    Blocked,
    RateLimiter,
    RateLimits,
    RetryLater,
    RetryPolicy,
    Transient,
    Window,
    call_with_retry,
    split_text,
    tg_len,
)
from bot.keyed import KeyedSerial
from handlers.commands import parse_command
from tests.telegram.conftest import VirtualTime


# ----------------------------------------------------------------------------- text
@given(st.text(alphabet=st.sampled_from(list("ab cd\n😀é")), max_size=3000), st.integers(20, 200))
def test_split_text_respects_the_limit_and_keeps_every_word(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(0 < tg_len(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_split_text_prefers_paragraphs_then_lines() -> None:
    text = "a" * 3000 + "\n\n" + "b" * 3000 + "\nc"
    assert split_text(text) == ["a" * 3000, "b" * 3000 + "\nc"]
    assert split_text("short") == ["short"]
    assert split_text("   ") == []
    assert tg_len("😀") == 2 and all(tg_len(p) <= TEXT_LIMIT for p in split_text("😀" * 5000))


def test_parse_command() -> None:
    assert parse_command("/start") == ("start", "")
    assert parse_command("/Start@redeem_bot promo_levelup") == ("start", "promo_levelup")
    assert parse_command("/approve  abc  ") == ("approve", "abc")
    assert parse_command("hello") is None
    assert parse_command("/") is None
    assert parse_command("/pass?word") is None


def test_rate_limits_parse() -> None:
    limits = RateLimits.parse("chat=1/1, group=20/60")
    assert limits.private == Window(1, 1.0) and limits.group == Window(20, 60.0)
    assert limits.overall == RateLimits().overall
    assert RateLimits.parse(None) == RateLimits()
    with pytest.raises(ValueError):
        RateLimits.parse("bogus=1/1")


# ----------------------------------------------------------------------------- rate limiter
async def _send(
    limiter: RateLimiter, clock: VirtualTime, chat_id: int, answer_after: float = 0.0
) -> float:
    """One message through the limiter: returns when it started; answered ``answer_after`` later."""
    slot = await limiter.acquire(chat_id)
    started = clock()
    clock.now += answer_after
    slot.release()
    return started


def _most_in_any_window(starts: list[float], seconds: float) -> int:
    return max(sum(1 for t in starts if s <= t < s + seconds - 1e-9) for s in starts)


async def test_overall_limit_is_30_per_second() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    starts = [await _send(limiter, clock, chat) for chat in range(1, 91)]  # 90 different chats
    assert starts[:30] == [1000.0] * 30
    assert starts[-1] == pytest.approx(1002.0)
    assert _most_in_any_window(starts, 1.0) == 30


async def test_private_chat_about_one_per_second_with_a_short_burst() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    starts = [await _send(limiter, clock, 42) for _ in range(9)]
    assert starts[:3] == [1000.0] * 3  # a short burst: a few replies to one message
    assert starts[-1] == pytest.approx(1006.0)  # then 1/s on average
    waited = len(clock.slept)
    await _send(limiter, clock, 43)
    assert len(clock.slept) == waited, "other chats are not held up"


async def test_group_20_per_minute_and_like_any_chat_3_per_3_seconds() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    starts = [await _send(limiter, clock, -100) for _ in range(21)]
    assert _most_in_any_window(starts, 3.0) == 3
    assert starts[19] - starts[0] < 60
    assert starts[20] == pytest.approx(starts[0] + 60.0)


async def test_hold_after_429() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    limiter.hold(42, 5)
    assert await _send(limiter, clock, 42) == pytest.approx(1005.0)
    assert await _send(limiter, clock, 7) == pytest.approx(1005.0), "no wait for another chat"


async def test_a_message_counts_until_its_answer_plus_the_window() -> None:
    """Telegram counts a message when it arrives, somewhere between our start and its answer:
    so it leaves the window a window's length after the ANSWER, not after the start."""
    clock = VirtualTime()
    limiter = RateLimiter(RateLimits.parse("chat=1/1"), clock=clock, sleep=clock.sleep)
    assert await _send(limiter, clock, 42, answer_after=0.4) == 1000.0
    assert await _send(limiter, clock, 42) == pytest.approx(1001.4)


async def test_messages_in_flight_count_until_answered() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(RateLimits.parse("overall=2/1"), clock=clock, sleep=clock.sleep)
    first, second = await limiter.acquire(1), await limiter.acquire(2)
    third = asyncio.create_task(limiter.acquire(3))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not third.done(), "two unanswered messages fill a window of 2"
    first.release()  # answered now: it still counts for a second
    slot = await asyncio.wait_for(third, 5)
    assert clock() == pytest.approx(1001.0)
    slot.release()
    second.release()


async def test_retry_honours_429_and_backs_off_on_5xx() -> None:
    clock = VirtualTime()
    limiter = RateLimiter(RateLimits.parse("chat=100/1"), clock=clock, sleep=clock.sleep)
    failures = [RetryLater(3), Transient("502"), Transient("reset")]

    async def flaky() -> str:
        if failures:
            raise failures.pop(0)
        return "sent"

    policy = RetryPolicy(first_delay=0.5)
    assert (
        await call_with_retry(flaky, limiter=limiter, chat_id=42, policy=policy, sleep=clock.sleep)
        == "sent"
    )
    assert clock.slept[0] == pytest.approx(3.0)  # the limiter held the chat
    assert len(clock.slept) == 3 and 0.4 <= clock.slept[1] <= 0.6 and 0.8 <= clock.slept[2] <= 1.2


async def test_retry_gives_up_and_never_retries_blocked() -> None:
    clock = VirtualTime()
    calls = 0

    async def down() -> None:
        nonlocal calls
        calls += 1
        raise Transient("503")

    with pytest.raises(Transient):
        await call_with_retry(
            down,
            limiter=None,
            chat_id=None,
            policy=RetryPolicy(transient_attempts=4),
            sleep=clock.sleep,
        )
    assert calls == 4

    async def blocked() -> None:
        nonlocal calls
        calls += 1
        raise Blocked("Forbidden: bot was blocked by the user")

    calls = 0
    with pytest.raises(Blocked):
        await call_with_retry(
            blocked, limiter=None, chat_id=None, policy=RetryPolicy(), sleep=clock.sleep
        )
    assert calls == 1


# ----------------------------------------------------------------------------- ordering, albums
async def test_keyed_serial_keeps_arrival_order_per_key() -> None:
    """Events, not sleeps: a1 holds key "a" until b1 (another key) has finished; a2 and a3,
    queued behind a1, run after it in arrival order."""
    serial: KeyedSerial[str] = KeyedSerial()
    log: list[str] = []
    b_done = asyncio.Event()

    async def work(key: str, name: str, hold: asyncio.Event | None = None) -> None:
        async with serial(key):
            if hold is not None:
                await hold.wait()
            log.append(name)
            if name == "b1":
                b_done.set()

    await asyncio.gather(work("a", "a1", b_done), work("a", "a2"), work("b", "b1"), work("a", "a3"))
    assert [n for n in log if n.startswith("a")] == ["a1", "a2", "a3"]
    assert log.index("b1") < log.index("a1"), "another customer does not wait"
    assert len(serial) == 0


async def test_album_collector_waits_for_quiet() -> None:
    """Virtual time: the collector's clock and sleep are the test's."""
    now = [0.0]
    added = asyncio.Event()

    async def sleep(seconds: float) -> None:
        if not added.is_set():  # the first wait: the third picture arrives meanwhile
            now[0] += 0.03
            albums.add("g", 3)
            added.set()
            return
        now[0] += seconds

    albums: AlbumCollector[int] = AlbumCollector(
        quiet=0.05, max_wait=1.0, clock=lambda: now[0], sleep=sleep
    )
    assert albums.add("g", 1) is True
    assert albums.add("g", 2) is False
    items = await albums.collect("g")
    assert items == [1, 2, 3]
    assert now[0] >= 0.08, "quiet counted from the last picture, not the first"
    assert albums.add("g", 4) is True, "after collecting, a new album starts"


def test_the_log_masks_the_token_in_messages_and_tracebacks() -> None:
    """The runner's own token filter is gone: ``bot.logs`` (set up by the CLI) masks the
    configured token, and anything token-shaped, in messages and tracebacks."""
    import io
    import sys

    from bot.logs import RedactingFormatter, RedactingHandler

    token = "123456:SECRETsecret"
    out = io.StringIO()
    handler = RedactingHandler(out)
    handler.setFormatter(RedactingFormatter(secrets=(token, token.partition(":")[2])))
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{token}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord(
            "bot.x", logging.ERROR, __file__, 1, "calling %s", (f"/bot{token}/x",), sys.exc_info()
        )
    handler.handle(record)
    assert "getMe failed" in out.getvalue() and "SECRET" not in out.getvalue()

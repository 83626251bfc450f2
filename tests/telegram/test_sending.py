"""Sending to Telegram: keeping to its published limits, and what a lost answer repeats.

In-process on both frameworks (see ``conftest.py``), on a virtual clock shared by the bot's
rate limiter and the fake: what arrives when at the fake does not depend on this machine's
speed, and no test waits in real time.
"""

from __future__ import annotations

import asyncio
import random

import pytest

from bot.channels.telegram.common import RateLimits
from tests.conversation.journeys import sign_up
from tests.telegram.conftest import CUSTOMER, InProcessChat, SimClock, open_harness

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
FRAMEWORKS = ["aiogram", "ptb", "wire"]


# ----------------------------------------------------------------------------- limits (defect 16)
@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_many_customers_at_once_keep_to_telegrams_published_limits(
    framework, fake, tg_app
) -> None:
    """80 customers at once, each answered at once and sending the next step: the fake
    enforces 30 messages/s overall and 1/s per chat with a burst of 3, counted when a call
    ARRIVES, after a network delay of 5-250 ms each way. Not one 429: the limiter paces,
    429s are for surprises. (The old limiter counted a message when it was booked, so calls
    delayed on the way bunched up at the server: dozens of 429s here.)"""
    clock = SimClock()
    flood = fake.enforce_limits(clock)
    network = random.Random(16)

    async def transit(method: str) -> None:
        await clock.sleep(network.uniform(0.005, 0.25))

    fake.transit = transit
    harness = await open_harness(
        framework, fake, tg_app, clock, limits=RateLimits()
    )  # Telegram's defaults
    users = [CUSTOMER + n for n in range(1, 81)]
    for user in users:
        fake.add_user(user, f"Customer {user}")

    async def customer(user: int) -> int:
        chat = InProcessChat(harness, user)
        turns = 0
        for step in (chat.command("start"), None, chat.command("help"), chat.command("menu")):
            replies = await (step if step is not None else chat.tap("Sign up"))
            assert replies, f"customer {user}: no answer"
            turns += 1
        return turns

    try:
        turns = await asyncio.gather(*(customer(user) for user in users))
    finally:
        await harness.stop()
    assert flood.rejected == [], (
        f"{len(flood.rejected)} calls over the limits, e.g. {flood.rejected[:5]}"
    )
    assert sum(turns) == 4 * len(users)
    assert flood.accepted >= sum(turns)
    assert not fake.api_errors, fake.api_errors[:5]
    fake.assert_no_violations()
    fake.assert_all_callbacks_answered()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_group_keeps_to_20_per_minute_and_its_chat_burst(framework, fake, tg_app) -> None:
    """The staff group: 1/s with a burst of 3 like any chat, and 20 per minute on top."""
    from tests.telegram.conftest import STAFF_CHAT
    from tests.telegram.scenarios import staff_says

    clock = SimClock()
    flood = fake.enforce_limits(clock)
    harness = await open_harness(framework, fake, tg_app, clock, limits=RateLimits())
    try:
        for _ in range(12):  # 24+ messages in the group (each command is answered)
            await asyncio.gather(staff_says(harness, "/tickets"), staff_says(harness, "/queue"))
    finally:
        await harness.stop()
    assert flood.rejected == [], flood.rejected[:5]
    assert len(fake.sent(STAFF_CHAT)) >= 24
    fake.assert_no_violations()


# ----------------------------------------------------------------------------- lost answers (defect 17)
@pytest.fixture(params=FRAMEWORKS)
async def harness(request, fake, tg_app):
    clock = SimClock()
    h = await open_harness(request.param, fake, tg_app, clock)
    yield h
    await h.stop()
    fake.assert_no_violations()


async def test_an_edit_whose_answer_was_lost_is_not_repeated(harness, fake) -> None:
    """The edit reached Telegram, its answer did not reach us: no second editMessageText.
    The reply then goes as a new message (at least once: the customer surely sees the step)."""
    chat = InProcessChat(harness)
    await chat.command("start")
    edits = fake.call_count("editMessageText")
    sends = fake.call_count("sendMessage")
    fake.drop_connection_next("editMessageText", processed=True)
    await chat.tap("Sign up")
    assert fake.call_count("editMessageText") == edits + 1, (
        "an edit that may have happened is not repeated"
    )
    assert fake.call_count("sendMessage") == sends + 1, "the step goes out as a new message"
    assert "email" in fake.last_text(CUSTOMER).lower()
    fake.assert_all_callbacks_answered()


async def test_an_edit_that_never_left_is_retried(harness, fake) -> None:
    """Connection refused: Telegram surely never saw the edit, so it is simply tried again."""
    chat = InProcessChat(harness)
    await chat.command("start")
    edits = fake.call_count("editMessageText")
    sends = fake.call_count("sendMessage")
    fake.refuse_connection_next("editMessageText")
    await chat.tap("Sign up")
    assert fake.call_count("editMessageText") == edits + 1
    assert fake.call_count("sendMessage") == sends, "edited in place, no new message"
    assert "email" in fake.last_text(CUSTOMER).lower()


@pytest.mark.parametrize(
    ("status", "edits", "new_messages"), [(502, 1, 1), (500, 1, 1), (429, 2, 0)]
)
async def test_an_edit_answered_5xx_is_not_repeated_but_a_429_is(
    harness, fake, status, edits, new_messages
) -> None:
    """A 5xx may come after Telegram carried the edit out: not repeated, the step goes out as
    a new message. A 429 says the edit was NOT carried out: repeated after ``retry_after``."""
    chat = InProcessChat(harness)
    await chat.command("start")
    before_edits, before_sends = fake.call_count("editMessageText"), fake.call_count("sendMessage")
    fake.fail_next("editMessageText", status)
    await chat.tap("Sign up")
    assert fake.call_count("editMessageText") == before_edits + edits
    assert fake.call_count("sendMessage") == before_sends + new_messages
    assert "email" in fake.last_text(CUSTOMER).lower()


async def test_a_delete_or_callback_answer_whose_answer_was_lost_is_not_repeated(
    harness, fake
) -> None:
    chat = InProcessChat(harness)
    fake.drop_connection_next("deleteMessage", processed=True, times=2)
    fake.drop_connection_next("answerCallbackQuery", processed=True)
    await sign_up(chat)
    deleted = [(c["chat_id"], c["message_id"]) for c in fake.calls_to("deleteMessage")]
    assert len(deleted) >= 2 and len(set(deleted)) == len(deleted), (
        "each secret message deleted once, no repeat"
    )
    answers = fake.calls_to("answerCallbackQuery")
    assert answers, "the journey taps buttons"
    assert len({a["callback_query_id"] for a in answers}) == len(answers), (
        "no callback answered twice"
    )


async def test_a_callback_answer_that_never_left_is_retried(harness, fake) -> None:
    chat = InProcessChat(harness)
    await chat.command("start")
    fake.refuse_connection_next("answerCallbackQuery")
    await chat.tap("Sign up")
    fake.assert_all_callbacks_answered()


async def test_a_send_whose_answer_was_lost_is_repeated_at_least_once(harness, fake) -> None:
    """Telegram has no idempotency key: a send whose answer was lost is sent again, so the
    customer may see it twice, but never not at all (prompts, prize codes, notifications)."""
    chat = InProcessChat(harness)
    fake.drop_connection_next("sendMessage", processed=True)
    await chat.command("start")
    texts = [m.get("text") or "" for m in fake.sent(CUSTOMER)]
    assert len(texts) == 2 and texts[0] == texts[1] and "promotion assistant" in texts[0]


# ----------------------------------------------------------------------------- the fake's limits
def test_the_fakes_flood_control_is_telegrams_published_limits() -> None:
    from tests.telegram.fake_bot_api import FloodControl

    now = [0.0]
    flood = FloodControl(lambda: now[0])
    send = {"chat_id": 1, "text": "x"}
    assert [flood.admit("sendMessage", send) for _ in range(3)] == [None] * 3  # a burst of 3
    assert flood.admit("sendMessage", send) == pytest.approx(1.0)  # then 1/s
    assert flood.admit("answerCallbackQuery", {"callback_query_id": "1"}) is None  # not a message
    now[0] = 1.0
    assert flood.admit("editMessageText", {"chat_id": 1, "message_id": 1, "text": "y"}) is None
    assert flood.admit("deleteMessage", {"chat_id": 1, "message_id": 1}) is not None, (
        "deletes count too"
    )
    now[0] = 10.0
    for chat in range(100, 130):  # 30 chats at one instant: fine
        assert flood.admit("sendMessage", {"chat_id": chat, "text": "x"}) is None, chat
    assert flood.admit("sendMessage", {"chat_id": 99, "text": "x"}) is not None, (
        "31st in one second"
    )
    now[0] = 10.999
    assert flood.admit("sendMessage", {"chat_id": 99, "text": "x"}) is not None, (
        "still within the second"
    )
    assert flood.rejected[-1] == ("sendMessage", 99, "overall")
    now[0] = 11.0
    assert flood.admit("sendMessage", {"chat_id": 99, "text": "x"}) is None
    now[0] = 100.0
    group = {"chat_id": -5, "text": "x"}
    sent = 0
    for step in range(40):
        now[0] = 100.0 + step * 1.0
        sent += flood.admit("sendMessage", group) is None
    assert sent == 20, "20 per minute in a group"


async def test_a_prize_code_whose_answer_was_lost_arrives_at_least_once(harness, fake) -> None:
    """The code's message reached the customer but its answer was lost: sent again (a
    duplicate is better than a code that never arrives); the notification is then done."""
    from tests.conversation.journeys import redeem, register_product
    from tests.telegram.scenarios import staff_says

    chat = InProcessChat(harness)
    await sign_up(chat)
    await register_product(chat)
    await redeem(chat)
    claims = await harness.app.desk.review_queue()
    await staff_says(harness, f"/approve {claims[0].id}")
    before = len(fake.sent(CUSTOMER))
    fake.drop_connection_next("sendMessage", processed=True)
    await chat.notifications()
    codes = [m.get("text") or "" for m in fake.sent(CUSTOMER)[before:]]
    assert len(codes) == 2 and codes[0] == codes[1] and "code" in codes[0].lower(), codes
    assert await chat.notifications() == [], "delivered: not sent a third time"

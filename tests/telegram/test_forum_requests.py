"""The forum support desk's loose ends (issue 10), all three connectors in process against
the fake Bot API with a forum supergroup (every call checked against the spec):

- while nobody has answered, the customer can cancel: the "we'll answer ..." notice has a
  Cancel-request button, and a typed /cancel cancels the open request at once: the topic is
  told, no SLA reminder comes for it, the customer is told; a later request opens it again;
- a customer staff banned gets the polite notice once and nothing else: nothing they send
  (text, photo, an edit, /start with a deep link, "Ask a person") reaches their topic;
- what the desk says to customers (staff answers, /faq N, the close notice with its rating
  buttons) rides out 429s and 5xx: delayed (virtual time, the outbox), never lost, once."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.app import App
from bot.channels.telegram.events import key_for
from tests.conftest import Clock, jpeg
from tests.telegram import forum_support
from tests.telegram.conftest import (
    CUSTOMER,
    STAFF_ADMIN,
    STAFF_CHAT,
    Harness,
    VirtualTime,
    as_reply,
)
from tests.telegram.forum_support import Desk

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

# fixtures
forum_fake, forum_app, harness = (
    forum_support.forum_fake,
    forum_support.forum_app,
    forum_support.harness,
)

BANNED = "can't take further messages"
NOT_FOR_A_BANNED_CUSTOMER = ("Sent to our support team", "Added to your support request", "soon")


def said_since(d: Desk, since: int) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in d.fake.sent(CUSTOMER)[since:]]


def topic_state(d: Desk) -> list[str]:
    """Every message of the customer's topic as it is now (content and edits)."""
    return [json.dumps(m, sort_keys=True) for m in d.topic()]


async def has_open(h: Harness) -> bool:
    return await h.app.support.has_open(key_for(CUSTOMER, CUSTOMER))


async def withdrawn_at_once(d: Desk, clock: Clock) -> None:
    """The request is over and its topic was told and closed right away (not when the SLA
    reminder would have come); no reminder comes for it, no rating is asked."""
    assert not await has_open(d.h)
    assert sum("withdrew" in t for t in d.texts()) == 1
    assert d.fake.topics[STAFF_CHAT][d.thread]["closed"] is True
    clock.advance(minutes=31)
    await d.h.pump()
    await d.h.pump()
    assert not any("waited" in t for t in d.texts())
    assert sum("withdrew" in t for t in d.texts()) == 1
    assert "How did we help" not in "\n".join(d.fake.transcript(CUSTOMER))


async def test_the_expectation_notice_has_a_cancel_button(
    harness: Harness, forum_app: tuple[App, Clock]
) -> None:
    d = Desk(harness)
    fake = d.fake
    await d.open_request("Never mind?")
    notice = fake.last_message(CUSTOMER)
    assert notice is not None and "answer here soon" in notice["text"]
    labels = [b["text"] for row in notice["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Cancel request"]

    d.chat.replies = [as_reply(notice)]
    told = await d.chat.tap("cancel request")
    assert "Your support request is closed" in "\n".join(r.text for r in told)
    await withdrawn_at_once(d, forum_app[1])


async def test_a_typed_cancel_cancels_the_open_request_at_once(
    harness: Harness, forum_app: tuple[App, Clock]
) -> None:
    d = Desk(harness)
    fake = d.fake
    await d.open_request("Wrong button, sorry")
    replies = await d.chat.command("cancel")
    assert replies[0].text.startswith("Cancelled: your support request is withdrawn")
    await withdrawn_at_once(d, forum_app[1])

    # a later request opens it again: the same topic, a new wait, a new notice
    await d.chat.command("start")
    await d.chat.tap("support")
    await d.chat.text("Actually, one question")
    await harness.pump()
    assert fake.topics[STAFF_CHAT][d.thread]["closed"] is False
    assert d.texts()[-1] == "💬 Actually, one question"
    assert "answer here soon" in (fake.last_text(CUSTOMER) or "")
    assert d.topics_made() == 1
    assert await has_open(harness)

    # /cancel with nothing open stays what it was
    await d.chat.command("cancel")
    again = await d.chat.command("cancel")
    assert "nothing to cancel" in again[0].text.lower()


async def test_a_banned_customer_gets_the_notice_once_and_nothing_through(
    harness: Harness,
) -> None:
    """The attacker's test: banned after an earlier request, they try every way in."""
    d = Desk(harness)
    fake = d.fake
    await d.open_request("First request")
    relayed = await d.customer({"text": "Order 4711"})
    await d.chat.command("cancel")  # their request is over
    await d.staff("/ban")
    assert any("Banned by" in t for t in d.texts())
    before, since = topic_state(d), len(fake.sent(CUSTOMER))

    await d.chat.command("start", "promo_SPAM")  # a deep link
    await d.chat.tap("support")
    await d.chat.text("Let me in")  # the request's first words
    await d.chat.photo(jpeg(64, 64))
    await d.chat.text("Hello??")
    await d.edit(CUSTOMER, relayed["message"]["message_id"], "Order 4711 EDITED SPAM")
    await d.chat.command("menu")
    await d.chat.photo()  # a picture from the menu is offered to support...
    await d.chat.tap("send")  # ...and they take the offer
    await d.chat.command("faq")
    await d.chat.text("can my cat redeem a code for me")
    await d.chat.tap("ask a person")
    await harness.pump()
    await harness.pump()

    assert topic_state(d) == before  # nothing new, nothing edited
    said = said_since(d, since)
    assert sum(BANNED in t for t in said) == 1, said
    assert not [t for t in said if any(w in t for w in NOT_FOR_A_BANNED_CUSTOMER)], said
    assert not await has_open(harness)
    assert d.topics_made() == 1


async def test_banned_right_after_the_first_words_nothing_is_relayed(harness: Harness) -> None:
    """Their topic is made before the conversation takes the first words; staff ban them
    there before the words are posted: the words never reach the topic, the customer is told
    once, and what they write next is not relayed either."""
    d = Desk(harness)
    fake = d.fake
    await d.chat.command("start")
    await d.chat.tap("support")
    await d.chat.text("First words")  # the topic is made, the words wait for the delivery loop
    await d.staff("/ban")
    await harness.pump()
    await d.customer({"text": "Second words"})
    await harness.feed(fake.send_photo(CUSTOMER, jpeg(64, 64), caption="spam"))
    await harness.pump()
    texts = d.texts()
    assert not [t for t in texts if "First words" in t or "Second words" in t], texts
    assert not [m for m in d.topic() if "photo" in m]
    assert sum(BANNED in t for t in fake.transcript(CUSTOMER)) == 1


async def test_staff_answers_ride_out_429s_and_outages(
    harness: Harness, vtime: VirtualTime
) -> None:
    d = Desk(harness)
    fake = d.fake
    await d.open_request("Where is my code?")

    # a 429 on the copy: waited out (virtual time), delivered once
    slept = sum(vtime.slept)
    fake.fail_next("copyMessage", 429, retry_after=7, chat_id=CUSTOMER)
    await d.staff("First answer")
    assert fake.last_text(CUSTOMER) == "First answer"
    assert sum(vtime.slept) - slept >= 7

    # Telegram down for longer than the retries: the answer waits in the outbox
    fake.fail_next("copyMessage", 502, times=1000, chat_id=CUSTOMER)
    second = await d.staff("Second answer")
    fake.fail_next("sendMessage", 500, times=1000, chat_id=CUSTOMER)
    await d.staff("/faq 3")
    await d.staff("/close")
    shown = "\n".join(fake.transcript(CUSTOMER))
    assert "Second answer" not in shown and "How did we help" not in shown

    fake.clear_faults()
    await harness.pump()
    said = said_since(d, 0)
    assert said.count("Second answer") == 1, said
    assert sum("How long" in t for t in said) == 1  # FAQ 3
    assert sum("How did we help" in t for t in said) == 1
    assert sum(len(row) for row in fake.inline_buttons(CUSTOMER)) == 5  # the rating buttons
    assert said.index("Second answer") < [i for i, t in enumerate(said) if "How long" in t][0]

    # the copy made from the outbox is paired: the staff member's edit follows it
    await d.edit(STAFF_ADMIN, second, "Second answer (corrected)", STAFF_CHAT)
    assert "Second answer (corrected)" in said_since(d, 0)


async def test_a_staff_answer_never_overtakes_one_waiting_in_the_outbox(
    harness: Harness,
) -> None:
    d = Desk(harness)
    fake = d.fake
    await d.open_request("Where is my code?")
    fake.fail_next("copyMessage", 502, times=1000, chat_id=CUSTOMER)
    await d.staff("Second answer")  # Telegram down: it waits in the outbox
    fake.clear_faults()
    await d.staff("Third answer")  # Telegram back before the outbox's next round
    await d.staff("/faq 3")
    assert "Third answer" not in "\n".join(fake.transcript(CUSTOMER))  # waits behind
    await harness.pump()
    said = said_since(d, 0)
    assert said.count("Second answer") == 1 and said.count("Third answer") == 1, said
    faq = [i for i, t in enumerate(said) if "How long" in t]
    assert said.index("Second answer") < said.index("Third answer") < faq[0], said


async def test_a_message_waits_for_its_request_line_being_posted(harness: Harness) -> None:
    """The delivery loop is posting the request's first words (held on its way to Telegram)
    when the customer's next message arrives: the message waits for that post and lands after
    it in the topic, never before (seen on a loaded machine: "Order 4711" above the request)."""
    d = Desk(harness)
    fake = d.fake
    await d.chat.command("start")
    await d.chat.tap("support")
    await d.chat.text("My code never arrived")  # the request: its line comes by the loop
    entered, release = asyncio.Event(), asyncio.Event()
    before = fake.transit

    async def transit(method: str) -> None:
        if method == "sendMessage" and not entered.is_set():
            entered.set()  # the loop's first post: the request line
            await release.wait()
        if before is not None:
            await before(method)

    fake.transit = transit
    pump = asyncio.create_task(d.h.pump())
    await asyncio.wait_for(entered.wait(), 30)  # hang guards only, never a speed bound
    follow = asyncio.create_task(d.customer({"text": "Order 4711"}))
    for _ in range(50):  # give the message every chance to overtake (it must not)
        await asyncio.sleep(0)
    copies = [c for c in fake.calls if c.method in ("copyMessage", "forwardMessage")]
    assert not copies, "the next message overtook its request's first words"
    release.set()
    await asyncio.wait_for(asyncio.gather(pump, follow), 30)
    texts = d.texts()
    assert texts.index("💬 My code never arrived") < texts.index("Order 4711")


async def test_an_edit_made_while_the_answer_is_copied_follows_it(harness: Harness) -> None:
    """Staff edit their answer while its copy is on its way back from Telegram (made, not yet
    paired with the answer): the edit waits for the pair and reaches the customer's copy (it
    was lost: the CI log of test_forum_topic_end_to_end[ptb])."""
    d = Desk(harness)
    fake = d.fake
    await d.open_request("My code never arrived")
    returning, release = asyncio.Event(), asyncio.Event()
    before = fake.transit
    seen: list[str] = []

    async def transit(method: str) -> None:
        seen.append(method)
        if method == "copyMessage" and seen.count(method) == 2 and not returning.is_set():
            returning.set()  # the copy is made: only its answer is on the way back
            await release.wait()
        if before is not None:
            await before(method)

    fake.transit = transit
    update = fake.send_in_topic(STAFF_ADMIN, STAFF_CHAT, d.thread, "Checking, one moment")
    answer = asyncio.create_task(harness.feed(update))
    await asyncio.wait_for(returning.wait(), 30)  # hang guards only, never a speed bound
    assert fake.last_text(CUSTOMER) == "Checking, one moment"
    message_id = int(update["message"]["message_id"])
    edit = asyncio.create_task(d.edit(STAFF_ADMIN, message_id, "Checking now", chat=STAFF_CHAT))
    for _ in range(50):  # give the edit every chance to be looked at before the pair exists
        await asyncio.sleep(0)
    release.set()
    await asyncio.wait_for(asyncio.gather(answer, edit), 30)
    assert fake.last_text(CUSTOMER) == "Checking now"

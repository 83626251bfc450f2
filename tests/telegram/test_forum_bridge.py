"""The forum staff chat as the running bot dispatches it (issue 10), all three connectors in
process against the fake Bot API with a forum supergroup (every call checked against the
spec): a customer's support request opens their topic (once, even when the conversation's
forward and the customer's next message race), everything they write while it is open is
copied 1:1, staff answer in the topic, edits both ways, a non-staff member refused, /close
with the rating, reopen, the SLA reminder from the delivery loop; a staff chat that is not a
forum keeps the one stream with ticket numbers."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import App, build_app
from tests.conftest import Clock, jpeg, make_settings
from tests.telegram.conftest import (
    CUSTOMER,
    STAFF_ADMIN,
    STAFF_CHAT,
    Harness,
    InProcessChat,
    VirtualTime,
    open_harness,
)
from tests.telegram.fake_forum import ForumFakeBotApi
from tests.telegram.forum_support import OUTSIDER

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

MONDAY_10_BERLIN = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def world() -> ForumFakeBotApi:
    world = ForumFakeBotApi()
    world.add_user(CUSTOMER, "Jamie", username="jamie")
    world.add_user(STAFF_ADMIN, "Sam", username="sam_staff")
    world.add_user(OUTSIDER, "Mallory", username="mallory")
    world.add_forum(STAFF_CHAT, "Support")
    world.set_role(STAFF_CHAT, STAFF_ADMIN, "administrator")
    world.set_role(STAFF_CHAT, OUTSIDER, "member")
    return world


@pytest.fixture
async def clocked_app(tmp_path: Path) -> AsyncIterator[tuple[App, Clock]]:
    clock = Clock(MONDAY_10_BERLIN)
    settings = make_settings(
        tmp_path,
        STAFF_CHAT_ID=str(STAFF_CHAT),
        SUPPORT_HOURS="Mon-Fri 09:00-18:00 Europe/Berlin",
        SUPPORT_SLA_MINUTES="30",
    )
    app = await build_app(settings, clock=clock)
    yield app, clock
    await app.close()


@pytest.fixture(params=["aiogram", "ptb", "wire", "aiogram-run"])
async def harness(
    request: pytest.FixtureRequest,
    world: ForumFakeBotApi,
    clocked_app: tuple[App, Clock],
    vtime: VirtualTime,
) -> AsyncIterator[Harness]:
    h = await open_harness(request.param, world, clocked_app[0], vtime)
    yield h
    await h.stop()
    world.assert_no_violations()


class Desk:
    """The customer, the forum and the staff chat of one harness."""

    def __init__(self, h: Harness) -> None:
        self.h = h
        self.fake: ForumFakeBotApi = h.fake  # type: ignore[assignment]
        self.chat = InProcessChat(h)

    async def open_request(self, text: str) -> None:
        """The customer asks for support through the conversation (menu -> Support -> text)."""
        await self.chat.command("start")
        await self.chat.tap("support")
        await self.chat.text(text)
        await self.h.pump()  # the delivery loop posts it in the customer's topic

    @property
    def review_name(self) -> str:
        """The review desk's own topic in the same forum (its cards), not a customer's."""
        return self.h.app.catalog.text("en", "review.topic_name")

    def customer_topics(self) -> list[int]:
        """The customers' topics: every topic of the forum but the review desk's."""
        topics = self.fake.topics[STAFF_CHAT]
        return [thread for thread, t in topics.items() if t["name"] != self.review_name]

    def topics_made(self) -> int:
        """createForumTopic calls for customers (the Review topic is made at most once)."""
        names = [c.params["name"] for c in self.fake.calls if c.method == "createForumTopic"]
        assert names.count(self.review_name) <= 1, names
        return len(names) - names.count(self.review_name)

    @property
    def thread(self) -> int:
        (thread,) = self.customer_topics()  # one topic, one customer
        return thread

    def topic(self) -> list[dict[str, Any]]:
        return self.fake.in_topic(STAFF_CHAT, self.thread)

    def texts(self) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in self.topic()]

    async def customer(self, content: dict[str, Any]) -> dict[str, Any]:
        update = self.fake.send_content(CUSTOMER, content)
        await self.h.feed(update)
        return update

    async def staff(self, text: str, user: int = STAFF_ADMIN) -> int:
        update = self.fake.send_in_topic(user, STAFF_CHAT, self.thread, text)
        await self.h.feed(update)
        return int(update["message"]["message_id"])

    async def edit(self, user: int, message_id: int, text: str, chat: int | None = None) -> None:
        update = self.fake.edit_sent(user, message_id, text=text, chat_id=chat)
        await self.h.feed(update)


async def test_a_request_gets_a_topic_and_everything_is_relayed_both_ways(
    harness: Harness,
) -> None:
    d = Desk(harness)
    fake = d.fake
    await d.open_request("My code never arrived")
    assert d.topics_made() == 1
    texts = d.texts()
    assert "Jamie" in texts[0] or "Jamie" in fake.topics[STAFF_CHAT][d.thread]["name"]
    assert any("Not logged in" in t for t in texts)  # the customer card
    assert any(t == "💬 My code never arrived" for t in texts)
    assert "answer here soon" in fake.transcript(CUSTOMER)[-1]  # within support hours
    assert not [m for m in fake.sent(STAFF_CHAT) if "Support #" in (m.get("text") or "")]

    # while the request is open: every content kind is copied into the topic, 1:1
    kinds: list[dict[str, Any]] = [
        {"text": "Order 4711"},
        {"location": {"latitude": 52.52, "longitude": 13.4}},
        {
            "sticker": {
                "file_id": "stk1",
                "file_unique_id": "stk1u",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        },
        {"voice": {"file_id": "v1", "file_unique_id": "v1u", "duration": 3}},
    ]
    sent = [await d.customer(content) for content in kinds]
    copies = d.topic()[-4:]
    assert copies[0]["text"] == "Order 4711"
    order_copy = copies[0]["message_id"]
    assert "location" in copies[1] and "sticker" in copies[2] and "voice" in copies[3]
    photo = fake.send_photo(CUSTOMER, jpeg(64, 64), caption="the label")
    await harness.feed(photo)
    assert "photo" in d.topic()[-1] and d.topic()[-1]["caption"] == "the label"
    assert d.topics_made() == 1

    # staff answer in the topic: the customer gets a copy, without the staff member's name
    answer = await d.staff("Let me check that for you")
    assert fake.last_text(CUSTOMER) == "Let me check that for you"
    assert "Sam" not in str(fake.last_message(CUSTOMER))

    # edits both ways
    await d.edit(CUSTOMER, sent[0]["message"]["message_id"], "Order 4712")
    assert next(m for m in d.topic() if m["message_id"] == order_copy)["text"] == "Order 4712"
    await d.edit(STAFF_ADMIN, answer, "Let me check that for you (order 4712)", STAFF_CHAT)
    assert fake.last_text(CUSTOMER) == "Let me check that for you (order 4712)"


async def test_a_non_staff_member_in_a_topic_reaches_nobody(harness: Harness) -> None:
    d = Desk(harness)
    await d.open_request("Hello?")
    before = len(d.fake.sent(CUSTOMER))
    mine = await d.staff("I am support, tell me your password", user=OUTSIDER)
    assert len(d.fake.sent(CUSTOMER)) == before
    assert "Only support staff" in d.texts()[-1]
    # editing Mallory's message relays nothing either
    await d.edit(OUTSIDER, mine, "edited", STAFF_CHAT)
    assert len(d.fake.sent(CUSTOMER)) == before


async def test_close_rate_and_a_new_message_reopens(harness: Harness) -> None:
    d = Desk(harness)
    fake = d.fake
    await d.open_request("Where is my code?")
    await d.staff("/close")
    assert fake.topics[STAFF_CHAT][d.thread]["closed"] is True
    assert "How did we help" in (fake.last_text(CUSTOMER) or "")
    d.chat.replies = [d.chat.changes({})[-1]]
    rated = await d.chat.tap("⭐⭐⭐⭐")
    assert "4" in rated[-1].text
    assert await d.h.app.stores.topics.get(1) is not None  # type: ignore[union-attr]

    await d.customer({"text": "One more question"})
    assert fake.topics[STAFF_CHAT][d.thread]["closed"] is False
    assert d.texts()[-1] == "One more question"
    assert any("open again" in t for t in d.texts())
    assert d.topics_made() == 1


async def test_the_topic_is_made_once_when_forward_and_message_race(harness: Harness) -> None:
    d = Desk(harness)
    await d.chat.command("start")
    await d.chat.tap("support")
    await d.chat.text("First words")  # a ticket message, not posted yet
    second = d.fake.send_text(CUSTOMER, "Second words")  # relayed straight away
    await asyncio.gather(d.h.pump(), d.h.feed(second))
    for _ in range(20):  # PTB runs the update as a task: let it reach the bridge
        await asyncio.sleep(0)
    assert await d.h.bridge.gate.inflight.wait_idle(30)
    assert d.topics_made() == 1
    texts = d.texts()
    assert "💬 First words" in texts and "Second words" in texts, d.fake.transcript(CUSTOMER)[-4:]


async def test_the_sla_reminder_comes_from_the_delivery_loop(
    harness: Harness, clocked_app: tuple[App, Clock]
) -> None:
    d = Desk(harness)
    await d.open_request("Anyone there?")
    await d.h.pump()
    assert not any("waited" in t for t in d.texts())
    clocked_app[1].advance(minutes=31)
    await d.h.pump()
    assert "waited 31 minutes" in d.texts()[-1]
    await d.h.pump()
    assert sum("waited" in t for t in d.texts()) == 1


async def test_the_customer_withdraws_their_request(
    harness: Harness, clocked_app: tuple[App, Clock]
) -> None:
    """Nobody answered yet and the customer closes the request themselves: the topic is
    told and closed, and no SLA reminder comes for it; a new request opens it again."""
    d = Desk(harness)
    fake = d.fake
    await d.open_request("Never mind?")
    d.chat.replies = d.chat.changes({})  # the waiting message's "Close request" button
    await d.chat.tap("close request")
    assert "withdrew" in d.texts()[-2] or "withdrew" in d.texts()[-1]
    assert fake.topics[STAFF_CHAT][d.thread]["closed"] is True
    assert "How did we help" not in "\n".join(fake.transcript(CUSTOMER))  # no rating asked
    clocked_app[1].advance(minutes=31)
    await d.h.pump()
    assert not any("waited" in t for t in d.texts())

    await d.chat.command("start")
    await d.chat.tap("support")
    await d.chat.text("Actually, one question")
    await d.h.pump()
    assert fake.topics[STAFF_CHAT][d.thread]["closed"] is False
    assert d.texts()[-1] == "💬 Actually, one question"
    assert d.topics_made() == 1


async def test_the_customer_card_shows_the_member_and_follows_their_claim(
    harness: Harness,
) -> None:
    """A member with a claim under review asks for help: the card has their details, the
    claim's status, the step they are on, and the claim's invoice and S/N photo beside it;
    when staff approve the claim, the same card message is edited to say so."""
    from tests.conversation.journeys import redeem, register_product, sign_up

    d = Desk(harness)
    app = harness.app
    await sign_up(d.chat)
    await register_product(d.chat)
    await redeem(d.chat)
    (claim,) = await app.desk.review_queue()
    await d.chat.command("menu")
    await d.chat.tap("support")
    await d.chat.text("Is my claim OK?")
    await harness.pump()
    topic = d.topic()
    card = next(m for m in topic if "Member" in (m.get("text") or ""))
    assert "Jamie" in card["text"] and claim.serial in card["text"]
    assert "review" in card["text"].lower()
    assert "support." in card["text"]  # the step they were on
    photos = [m for m in topic if "photo" in m]
    assert [p["caption"] for p in photos] == [
        f"🧾 Invoice of claim {claim.id}",
        f"🔢 S/N photo of claim {claim.id}",
    ]

    await app.desk.approve(claim.id, staff="sam")
    await harness.pump()
    edited = next(m for m in d.topic() if m["message_id"] == card["message_id"])
    assert edited["text"] != card["text"] and "review" not in edited["text"].lower()
    assert sum("Member" in (m.get("text") or "") for m in d.topic()) == 1  # edited, not reposted


async def test_ask_a_person_after_the_faq_and_learn_answers_the_next_customer(
    harness: Harness,
) -> None:
    """A question the FAQ cannot answer offers "Ask a person"; the topic shows the question
    and the closest FAQ entries; staff answer and /learn it; the next customer asking the
    same is answered by the bot."""
    d = Desk(harness)
    fake = d.fake
    question = "does the warranty cover a rattling fan"
    await d.chat.command("faq")
    replies = await d.chat.text(question)
    assert any("couldn't match" in r.text for r in replies)
    await d.chat.tap("ask a person")
    await harness.pump()
    texts = d.texts()
    handoff = next(t for t in texts if t.startswith("❓"))
    assert question in handoff and ("closest FAQ #" in handoff or "no FAQ entry" in handoff)
    assert "Sent to our support team" in "\n".join(fake.transcript(CUSTOMER))
    await d.staff("Yes: a rattling fan is a warranty case, contact the shop.")
    assert fake.last_text(CUSTOMER) == "Yes: a rattling fan is a warranty case, contact the shop."
    await d.staff("/learn")
    assert "Learned" in d.texts()[-1]

    other = InProcessChat(harness, CUSTOMER + 1)
    fake.add_user(CUSTOMER + 1, "Kim")
    await other.command("faq")
    answered = await other.text(question)
    assert any("warranty case" in r.text for r in answered)


async def test_replies_keep_their_link_both_ways(harness: Harness) -> None:
    d = Desk(harness)
    fake = d.fake
    await d.open_request("Two questions")
    first = await d.customer({"text": "Question one"})
    copy_id = d.topic()[-1]["message_id"]
    update = fake.send_in_topic(
        STAFF_ADMIN, STAFF_CHAT, d.thread, "Answer one", reply_to_message_id=copy_id
    )
    await harness.feed(update)
    answer = fake.last_message(CUSTOMER)
    assert answer["text"] == "Answer one"
    assert answer["reply_to_message"]["message_id"] == first["message"]["message_id"]

    back = fake.send_text(CUSTOMER, "Thanks!", reply_to_message_id=answer["message_id"])
    await harness.feed(back)
    thanks = d.topic()[-1]
    assert thanks["text"] == "Thanks!"
    assert thanks["reply_to_message"]["message_id"] == update["message"]["message_id"]

    card = next(m for m in d.topic() if "Not logged in" in (m.get("text") or ""))
    on_card = fake.send_in_topic(
        STAFF_ADMIN, STAFF_CHAT, d.thread, "About the card", reply_to_message_id=card["message_id"]
    )
    await harness.feed(on_card)
    assert fake.last_text(CUSTOMER) == "About the card"
    assert "reply_to_message" not in fake.last_message(CUSTOMER)  # the card has no copy there


async def test_a_message_telegram_would_not_copy_is_not_lost(harness: Harness) -> None:
    """copyMessage fails (Telegram down for a moment): the conversation keeps the message as
    part of the request and the delivery loop posts it in the topic later."""
    d = Desk(harness)
    await d.open_request("First")
    d.fake.fail_next("copyMessage", 500, times=5)
    await d.customer({"text": "Order 4711"})
    assert "Added to your support request" in d.fake.transcript(CUSTOMER)[-1]
    await d.h.pump()
    assert d.texts()[-1] == "💬 Order 4711"


async def test_the_review_topic_and_the_customer_topics_stay_apart(harness: Harness) -> None:
    """The review desk's "Review" topic lives in the same forum as the customers' topics:
    its cards go there, never into a customer's topic; a staff message in it reaches no
    customer; the customer's words go to their own topic, never into the Review topic."""
    from bot.channels.telegram.events import key_for
    from storage.review_desk import ReviewDeskStore
    from tests.conversation.journeys import redeem, register_product, sign_up

    d = Desk(harness)
    fake = d.fake
    await sign_up(d.chat)
    await register_product(d.chat)
    await redeem(d.chat)
    await d.chat.command("menu")
    await d.chat.tap("support")
    await d.chat.text("Is my claim OK?")
    await harness.pump()
    await harness.pump()

    topics = fake.topics[STAFF_CHAT]
    (review,) = [thread for thread, t in topics.items() if t["name"] == d.review_name]
    customer = d.thread
    assert review != customer
    assert await ReviewDeskStore(harness.app.db).thread(str(STAFF_CHAT)) == str(review)
    topics_store = harness.app.stores.topics  # type: ignore[union-attr]
    mine = await topics_store.for_customer(key_for(CUSTOMER, CUSTOMER))
    assert mine is not None and mine.thread_id == str(customer)

    cards = [m for m in fake.in_topic(STAFF_CHAT, review) if m.get("reply_markup")]
    assert len(cards) == 1
    assert not [m for m in d.topic() if m.get("reply_markup")]  # no review card here
    assert not [m for m in fake.in_topic(STAFF_CHAT, review) if "Is my claim OK?" in str(m)]

    before = len(fake.sent(CUSTOMER))
    await d.h.feed(fake.send_in_topic(STAFF_ADMIN, STAFF_CHAT, review, "Looks fine to me"))
    await harness.pump()
    assert len(fake.sent(CUSTOMER)) == before
    assert "Looks fine to me" not in "\n".join(fake.transcript(CUSTOMER))

    await d.customer({"text": "Any news?"})
    assert d.texts()[-1] == "Any news?"
    assert not [m for m in fake.in_topic(STAFF_CHAT, review) if "Any news?" in str(m)]
    assert d.topics_made() == 1

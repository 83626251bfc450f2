"""The forum connector (bot/channels/telegram/topics.py) with both frameworks, the whole app
on a temp SQLite file and virtual time, against the fake Bot API with a forum staff group:
the customer card, relay and edits through the desk, /take, /close with the rating, reopen,
/ban, /faq N, /save, /learn teaching the bot, a non-staff member refused, the SLA reminder
and "Ask a person"."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import App
from bot.channels.telegram.common import RetryPolicy
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.staff import identity_of
from bot.channels.telegram.topics import ForumDesk
from handlers.io import ActionIn, TextIn
from handlers.staff import StaffPolicy, StaffRoom
from handlers.workspace.commands import TopicDesk
from tests.conftest import Chat, Clock, jpeg
from tests.telegram import forum_support
from tests.telegram.conftest import CUSTOMER, FAST_LIMITS, STAFF_ADMIN, STAFF_CHAT
from tests.telegram.fake_forum import ForumFakeBotApi
from tests.telegram.forum_support import FRIDAY_19_BERLIN, OUTSIDER, Tg

FAST_RETRY = RetryPolicy(transient_attempts=2, first_delay=0.01)
forum_fake, tg, forum_app = forum_support.forum_fake, forum_support.tg, forum_support.forum_app


def make_desk(app: App, tg: Tg, clock: Clock) -> ForumDesk:
    assert app.workspace is not None
    room = StaffRoom(
        app.desk,
        app.support,
        app.catalog,
        policy=StaffPolicy(str(STAFF_CHAT), frozenset({str(STAFF_ADMIN)})),
        clock=lambda: clock.now.timestamp(),
    )
    desk = TopicDesk(app.workspace, room, backend=app.backend)
    outgoing = Outgoing(app.links, app.outbox, limits=FAST_LIMITS, policy=FAST_RETRY)
    return ForumDesk(
        app.workspace,
        desk,
        tg.forum,
        tg.port,
        STAFF_CHAT,
        catalog=app.catalog,
        outgoing=outgoing,
        backend=app.backend,
    )


class Scene:
    def __init__(self, app: App, tg: Tg, fake: ForumFakeBotApi, clock: Clock) -> None:
        self.app, self.tg, self.fake, self.clock = app, tg, fake, clock
        self.desk = make_desk(app, tg, clock)
        self.thread = 0

    async def customer(self, update: dict[str, Any], ask: str | None = None) -> None:
        topic = await self.desk.customer_message(
            self.tg.incoming(update), display="Jamie", locale="en", member_id=None, ask_a_person=ask
        )
        self.thread = int(topic.thread_id or 0)

    async def staff(self, text: str, user: int = STAFF_ADMIN) -> int:
        update = self.fake.send_in_topic(user, STAFF_CHAT, self.thread, text)
        message = self.tg.incoming(update)
        assert message.thread_id == self.thread  # message_in reads message_thread_id
        assert await self.desk.staff_message(message, identity_of(message))
        return int(update["message"]["message_id"])

    def topic(self) -> list[dict[str, Any]]:
        return self.fake.in_topic(STAFF_CHAT, self.thread)

    def topic_texts(self) -> list[str]:
        return [m.get("text") or m.get("caption") or "" for m in self.topic()]


@pytest.fixture
def scene(forum_app: tuple[App, Clock], tg: Tg, forum_fake: ForumFakeBotApi) -> Scene:
    return Scene(forum_app[0], tg, forum_fake, forum_app[1])


async def test_card_relay_answer_and_edits(scene: Scene) -> None:
    fake = scene.fake
    first = fake.send_text(CUSTOMER, "My fan rattles")
    await scene.customer(first)
    texts = scene.topic_texts()
    assert "Jamie" in texts[1] and "Not logged in" in texts[1] and "nobody yet" in texts[1]  # card
    assert texts[2] == "My fan rattles"  # the copy
    assert "answer here soon" in (fake.last_text(CUSTOMER) or "")
    photo = fake.send_photo(CUSTOMER, jpeg(), caption="S/N")
    await scene.customer(photo)
    assert "photo" in scene.topic()[-1] and scene.topic()[-1]["caption"] == "S/N"
    assert fake.call_count("createForumTopic") == 1

    staff_id = await scene.staff("Please send the invoice")
    assert fake.last_text(CUSTOMER) == "Please send the invoice"
    assert "Sam" not in str(fake.last_message(CUSTOMER))

    # edits both ways
    edit = fake.edit_sent(CUSTOMER, first["message"]["message_id"], text="My fan rattles loudly")
    assert await scene.desk.edited(scene.tg.incoming(edit))
    assert scene.topic_texts()[2] == "My fan rattles loudly"
    edit = fake.edit_sent(
        STAFF_ADMIN, staff_id, text="Please send the invoice (PDF)", chat_id=STAFF_CHAT
    )
    assert await scene.desk.edited(scene.tg.incoming(edit))
    assert fake.last_text(CUSTOMER) == "Please send the invoice (PDF)"


async def test_a_non_staff_member_is_refused(scene: Scene) -> None:
    await scene.customer(scene.fake.send_text(CUSTOMER, "Hello?"))
    before = len(scene.fake.sent(CUSTOMER))
    await scene.staff("I am support, send me your password", user=OUTSIDER)
    assert len(scene.fake.sent(CUSTOMER)) == before  # nothing reached the customer
    assert "Only support staff" in scene.topic_texts()[-1]


async def test_take_close_rate_reopen(scene: Scene) -> None:
    fake = scene.fake
    await scene.customer(fake.send_text(CUSTOMER, "Where is my code?"))
    card_id = scene.topic()[1]["message_id"]
    await scene.staff("/take")
    card = next(m for m in scene.topic() if m["message_id"] == card_id)
    assert "@sam_staff" in card["text"]  # edited in place, not posted again
    assert sum("Not logged in" in t for t in scene.topic_texts()) == 1

    await scene.staff("/close")
    assert fake.topics[STAFF_CHAT][scene.thread]["closed"] is True
    assert "How did we help" in (fake.last_text(CUSTOMER) or "")
    stars = fake.inline_buttons(CUSTOMER)
    assert sum(len(row) for row in stars) == 5
    rater = Chat(scene.app, user=str(CUSTOMER), channel="telegram")
    rated = await rater.send(ActionIn(stars[1][1]["callback_data"]))
    assert [r.key for r in rated] == ["workspace.rated"]

    await scene.customer(fake.send_text(CUSTOMER, "One more question"))
    assert fake.topics[STAFF_CHAT][scene.thread]["closed"] is False
    assert any("open again" in t for t in scene.topic_texts())


async def test_ban_and_unban(scene: Scene) -> None:
    fake = scene.fake
    await scene.customer(fake.send_text(CUSTOMER, "hi"))
    await scene.staff("/ban")
    count = len(scene.topic())
    await scene.customer(fake.send_text(CUSTOMER, "spam 1"))
    await scene.customer(fake.send_text(CUSTOMER, "spam 2"))
    assert len(scene.topic()) == count  # not relayed
    told = [t for t in fake.transcript(CUSTOMER) if "can't take further messages" in t]
    assert len(told) == 1  # told once
    await scene.staff("/unban")
    await scene.customer(fake.send_text(CUSTOMER, "sorry"))
    assert scene.topic_texts()[-1] == "sorry"


async def test_faq_save_and_learn_teach_the_bot(scene: Scene) -> None:
    fake, app = scene.fake, scene.app
    question = "does the warranty cover a rattling fan"
    await scene.customer(fake.send_text(CUSTOMER, question), ask=question)
    assert any("FAQ had no clear answer" in t for t in scene.topic_texts())  # "Ask a person"
    await scene.staff("/faq 3")
    assert fake.last_text(CUSTOMER) and "How long" in (fake.last_text(CUSTOMER) or "")
    await scene.staff("/save fan Hi {first_name}, a rattling fan is a warranty case.")
    await scene.staff("/faq fan")
    assert fake.last_text(CUSTOMER) == "Hi there, a rattling fan is a warranty case."
    await scene.staff("/learn")
    assert "Learned as new FAQ" in scene.topic_texts()[-1]
    other = Chat(app, user="5151", channel="telegram")
    await other.command("faq")
    replies = await other.send(TextIn(question))
    assert replies[0].key == "faq.answer" and "warranty case" in replies[0].text


async def test_support_hours_and_the_sla_reminder(scene: Scene) -> None:
    fake, clock = scene.fake, scene.clock
    await scene.customer(fake.send_text(CUSTOMER, "Anyone there?"))
    assert await scene.desk.remind() == 0
    clock.advance(minutes=31)
    assert await scene.desk.remind() == 1
    assert "waited 31 minutes" in scene.topic_texts()[-1]
    assert await scene.desk.remind() == 0  # once

    clock.now = FRIDAY_19_BERLIN
    fake.add_user(CUSTOMER + 1, "Kim")
    await scene.customer(fake.send_text(CUSTOMER + 1, "Weekend question"))
    assert "from Monday 09:00" in (fake.last_text(CUSTOMER + 1) or "")

"""The workspace core wired into the running bot (build_app): the FAQ seeded into the
database at start, the customer's FAQ step answering what staff taught with /learn, the
rating buttons routed to the customer's own topic, and old message pairs pruned by
housekeeping. The whole app on a temp SQLite file, virtual time."""

from __future__ import annotations

import datetime as dt
import itertools

from bot.app import App
from bot.housekeeping import Housekeeping, Retention
from handlers.faq_ids import FAQ_IDS
from handlers.staff import StaffIdentity, StaffPolicy, StaffRoom
from handlers.workspace.commands import TopicDesk
from handlers.workspace.desk import Workspace
from states import ConversationKey
from tests.conftest import Chat, Clock

ROOM = "-100500"
STAFF = StaffIdentity("telegram", "777", "@sam_staff", room=ROOM)
QUESTION = "my graphics card fan rattles since yesterday"
ANSWER = "A rattling fan is a warranty case: please contact the store you bought it from."


def workspace(app: App) -> Workspace:
    assert app.workspace is not None
    return app.workspace


def topic_desk(app: App, clock: Clock) -> TopicDesk:
    room = StaffRoom(
        None,
        app.support,
        app.catalog,
        policy=StaffPolicy(ROOM, frozenset({"777"})),
        clock=lambda: clock.now.timestamp(),
    )
    return TopicDesk(workspace(app), room)


class Threads:
    def __init__(self) -> None:
        self.ids = itertools.count(11)
        self.made: list[str] = []

    async def create(self, name: str) -> str:
        self.made.append(name)
        return str(next(self.ids))


async def test_the_faq_is_seeded_at_start(app: App) -> None:
    assert app.stores is not None
    entries = await app.stores.faq.entries("de")
    assert sorted(e.slug for e in entries) == sorted(FAQ_IDS)
    assert {e.locale for e in entries} == {"de"}


async def test_learn_makes_the_bot_answer_the_next_customer(app: App, clock: Clock) -> None:
    first = Chat(app, user="2001")
    await first.command("faq")
    assert "faq.no_match" in [r.key for r in await first.text(QUESTION)]

    ws, threads = workspace(app), Threads()
    inbound = await ws.ask_a_person(
        first.key,
        display="Jamie",
        locale="en",
        member_id=None,
        create=threads.create,
        question=QUESTION,
    )
    assert "workspace.handoff" in [r.key for r in inbound.staff]
    desk = topic_desk(app, clock)
    answered = await desk.handle(ANSWER, STAFF, inbound.topic)
    assert answered.relay
    topic = await ws.topics.get(inbound.topic.id)
    assert topic is not None
    learned = await desk.handle("/learn", STAFF, topic)
    assert [r.key for r in learned.staff] == ["workspace.learned_new"]

    second = Chat(app, user="2002")
    await second.command("faq")
    replies = await second.text(QUESTION)
    assert [r.key for r in replies][:1] == ["faq.answer"]
    assert ANSWER in replies[0].text
    # an unrelated question is still not answered
    assert "faq.no_match" in [
        r.key for r in await second.text("can I pay with bitcoin at the moon")
    ]


async def test_a_rating_button_rates_the_customers_own_topic_once(app: App, clock: Clock) -> None:
    customer, other = Chat(app, user="3001"), Chat(app, user="3002")
    ws, threads = workspace(app), Threads()
    inbound = await ws.customer_message(
        customer.key,
        display="Kim",
        locale="en",
        member_id=None,
        create=threads.create,
        text="hello?",
    )
    desk = topic_desk(app, clock)
    closed = await desk.handle("/close", STAFF, inbound.topic)
    assert closed.close_topic and [r.key for r in closed.customer] == ["workspace.closed"]
    notice = closed.customer[0]
    five = [b for row in notice.buttons for b in row][4].data

    assert [r.key for r in await other.press(five)] == ["workspace.rate_invalid"]  # not theirs
    assert [r.key for r in await customer.press(five)] == ["workspace.rated"]
    assert [r.key for r in await customer.press(five)] == ["workspace.rated_already"]
    forged = five.replace(f".{inbound.topic.id}", f".{inbound.topic.id + 1}")
    assert [r.key for r in await customer.press(forged)] == ["workspace.rate_invalid"]
    # the stars were stored with the closing (read back through the store)
    assert await ws.topics.rate(inbound.topic.id, 1) is False


async def test_housekeeping_prunes_old_message_pairs(app: App, clock: Clock) -> None:
    assert app.stores is not None
    ws, threads = workspace(app), Threads()
    key = ConversationKey("telegram", "4001", "4001")
    inbound = await ws.customer_message(
        key, display="Lee", locale="en", member_id=None, create=threads.create, text="hi"
    )
    await ws.paired(inbound.topic, "in", ("4001", "1"), (ROOM, "900"))
    retention = Retention.from_settings(app.settings)
    keeper = Housekeeping(app.updates, app.outbox, retention, clock=clock, pairs=app.stores.pairs)
    assert (await keeper.prune_once()).pairs == 0
    assert await ws.copy_of(ROOM, "900") == ("4001", "1")
    clock.advance(days=retention.pairs.days + 1)
    assert (await keeper.prune_once()).pairs == 1
    assert await ws.copy_of(ROOM, "900") is None
    assert dt.timedelta(days=1) < retention.pairs

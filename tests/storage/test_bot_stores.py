"""Links, the update log, support tickets and the outbox on a migrated SQLite file."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from states.session import ConversationKey, Session
from storage.db import make_engine
from storage.links import BotStores, LinkStore, Outbox, SupportStore, UpdateLog
from storage.models import utcnow


def key(n: int) -> ConversationKey:
    return ConversationKey("telegram", str(n), str(n))


# ----------------------------------------------------------------------------- links
async def test_a_chat_user_is_linked_to_at_most_one_member(db: AsyncEngine) -> None:
    links = LinkStore(db)
    await links.link("m1", key(1), "en")
    await links.link("m1", key(2), "de")
    assert await links.keys_for_member("m1") == [key(1), key(2)]
    await links.link("m2", key(1), "fr")  # chat 1 logs in as another member
    assert await links.keys_for_member("m1") == [key(2)]
    assert await links.keys_for_member("m2") == [key(1)]
    info = await links.get(key(1))
    assert info is not None and (info.member_id, info.locale, info.blocked) == ("m2", "fr", False)
    assert await links.member_for(key(2)) == "m1"
    await links.unlink(key(2))
    assert await links.keys_for_member("m1") == []
    assert await links.member_for(key(2)) is None
    assert await links.member_for(key(3)) is None
    await links.close()


async def test_blocked_chats_get_no_messages(db: AsyncEngine) -> None:
    links = LinkStore(db)
    assert not await links.is_blocked(key(9))
    await links.mark_blocked(key(9))  # blocked before ever logging in
    assert await links.is_blocked(key(9))
    await links.link("m1", key(1))
    await links.link("m1", key(2))
    await links.mark_blocked(key(1))
    assert await links.is_blocked(key(1))
    assert await links.keys_for_member("m1") == [key(2)]
    assert await links.keys_for_member("m1", include_blocked=True) == [key(1), key(2)]
    await links.mark_blocked(key(1), False)
    assert await links.keys_for_member("m1") == [key(1), key(2)]
    await links.mark_blocked(key(2))
    await links.link("m1", key(2))  # they came back and logged in again
    assert not await links.is_blocked(key(2))
    await links.close()


# ----------------------------------------------------------------------------- update log
async def test_update_log_drops_redelivered_updates_across_restarts(db_url: str) -> None:
    engine = make_engine(db_url)
    log = UpdateLog(engine)
    assert await log.first_time("telegram", 1)
    assert not await log.first_time("telegram", 1)
    assert await log.first_time("web", 1)  # another channel, another id space
    await log.close()
    await engine.dispose()

    engine = make_engine(db_url)
    log = UpdateLog(engine)
    assert not await log.first_time("telegram", "1")
    assert await log.first_time("telegram", 2)
    await log.close()
    await engine.dispose()


async def test_update_log_is_atomic_under_concurrency(db_url: str) -> None:
    engines = [make_engine(db_url), make_engine(db_url)]
    logs = [UpdateLog(e) for e in engines]
    ids = [i % 50 for i in range(300)]  # each id delivered six times
    results = await asyncio.gather(
        *(logs[n % 2].first_time("telegram", u) for n, u in enumerate(ids))
    )
    firsts = sorted(u for u, first in zip(ids, results, strict=True) if first)
    assert firsts == list(range(50))
    for log in logs:
        await log.close()
    for engine in engines:
        await engine.dispose()


async def test_update_log_prune(db: AsyncEngine) -> None:
    log = UpdateLog(db)
    for u in range(5):
        await log.first_time("telegram", u)
    assert await log.prune(dt.timedelta(hours=1)) == 0
    assert await log.prune(utcnow() + dt.timedelta(seconds=1)) == 5
    assert await log.first_time("telegram", 1)
    await log.close()


# ----------------------------------------------------------------------------- support
async def test_support_ticket_lifecycle(db: AsyncEngine) -> None:
    support = SupportStore(db)
    assert await support.ticket_for(key(1)) is None
    assert not await support.has_open(key(1))
    assert await support.add_customer_message(key(1), "hello?") is None

    ticket = await support.open_ticket(key(1), "m1", "My code does not work")
    assert (ticket.key, ticket.member_id, ticket.status) == (key(1), "m1", "open")
    assert ticket.created_at.tzinfo is not None
    again = await support.open_ticket(key(1), "m1", "Still broken")  # one open ticket per chat
    assert again.id == ticket.id
    assert await support.add_customer_message(key(1), "photo", media_ref="ab/cd.jpg") is not None
    other = await support.open_ticket(key(2))
    assert other.id != ticket.id and other.member_id is None
    assert {t.id for t in await support.list_open()} == {ticket.id, other.id}

    answer = await support.add_message(ticket.id, "staff", "Try again now", staff_name="Ann")
    assert (answer.sender, answer.staff_name, answer.key, answer.delivered) == (
        "staff",
        "Ann",
        key(1),
        False,
    )
    messages = await support.messages(ticket.id)
    assert [(m.sender, m.text, m.media_ref) for m in messages] == [
        ("customer", "My code does not work", None),
        ("customer", "Still broken", None),
        ("customer", "photo", "ab/cd.jpg"),
        ("staff", "Try again now", None),
    ]
    pending = await support.undelivered("staff")
    assert [(m.id, m.key, m.text) for m in pending] == [(answer.id, key(1), "Try again now")]
    assert len(await support.undelivered("customer")) == 3
    await support.mark_delivered([answer.id])
    assert await support.undelivered("staff") == []

    assert await support.close_for(key(1))
    assert not await support.close_for(key(1))
    assert not await support.close_ticket(ticket.id)
    assert await support.ticket_for(key(1)) is None
    closed = await support.get(ticket.id)
    assert closed is not None and closed.status == "closed"
    reopened = await support.open_ticket(key(1), "m1")
    assert reopened.id != ticket.id
    with pytest.raises(ValueError):
        await support.add_message(reopened.id, "robot", "hi")  # type: ignore[arg-type]
    await support.close()


async def test_concurrent_open_ticket_makes_one(db: AsyncEngine) -> None:
    support = SupportStore(db)
    tickets = await asyncio.gather(*(support.open_ticket(key(1), "m1", f"#{n}") for n in range(10)))
    assert len({t.id for t in tickets}) == 1
    assert len(await support.messages(tickets[0].id)) == 10
    await support.close()


async def test_take_undelivered_leases_whole_tickets_to_one_replica(db: AsyncEngine) -> None:
    """Two bot replicas on one database: a ticket's waiting messages go to one of them, in
    order, and nobody else gets any of that ticket until they are delivered or given back."""
    one, two = SupportStore(db), SupportStore(db)
    first = await one.open_ticket(key(1), "m1")
    other = await one.open_ticket(key(2), "m2")
    a1 = await one.add_message(first.id, "staff", "first answer", staff_name="Ann")
    b1 = await one.add_message(other.id, "staff", "to the other customer", staff_name="Ann")
    taken = await one.take_undelivered(("staff", "system"))
    assert [m.id for m in taken.messages] == [a1.id, b1.id] and taken.live()
    a2 = await one.add_message(first.id, "system", "closed")
    b2 = await one.add_message(other.id, "staff", "one more", staff_name="Bo")
    assert (await two.take_undelivered(("staff", "system"))).messages == []  # both tickets out
    assert (await two.take_undelivered(("customer",))).messages == []  # other senders apart
    await one.mark_delivered([a1.id])
    await one.release(taken)  # b1 could not be sent: back at once (a1 is delivered: untouched)
    again = await two.take_undelivered(("staff", "system"))
    assert [m.id for m in again.messages] == [b1.id, a2.id, b2.id]
    await one.release(taken)  # a late release by the first taker leaves the new lease alone
    assert (await one.take_undelivered(("staff", "system"))).messages == []
    await two.mark_delivered([m.id for m in again.messages])
    await two.release(again)
    assert (await one.take_undelivered(("staff", "system"))).messages == []
    await one.close()
    await two.close()


async def test_an_idle_poll_for_support_messages_writes_nothing(db: AsyncEngine) -> None:
    support = SupportStore(db)
    ticket = await support.open_ticket(key(1), "m1", "a customer message")
    batches = support._writer.batches
    for _ in range(5):  # the pump asks several times a second
        assert (await support.take_undelivered(("staff", "system"))).messages == []
    assert support._writer.batches == batches  # no write transaction for "nothing"
    await support.add_message(ticket.id, "staff", "an answer", staff_name="Ann")
    batches = support._writer.batches
    assert len((await support.take_undelivered(("staff",))).messages) == 1
    assert support._writer.batches == batches + 1  # the lease itself is written
    await support.close()


async def test_a_lease_that_ran_out_comes_back(db: AsyncEngine) -> None:
    one, two = SupportStore(db), SupportStore(db)
    ticket = await one.open_ticket(key(1), "m1")
    answer = await one.add_message(ticket.id, "staff", "hello", staff_name="Ann")
    crashed = await one.take_undelivered(("staff",), lease=dt.timedelta(seconds=-1))
    assert [m.id for m in crashed.messages] == [answer.id] and not crashed.live()
    assert [m.id for m in (await two.take_undelivered(("staff",))).messages] == [answer.id]
    await one.close()
    await two.close()


# ----------------------------------------------------------------------------- outbox
async def test_outbox_at_least_once(db: AsyncEngine) -> None:
    outbox = Outbox(db)
    first = await outbox.put(key(1), {"kind": "status", "claim": "C1", "text": "ü"})
    second = await outbox.put(key(2), {"kind": "staff", "n": 2})
    third = await outbox.put(key(1), {"kind": "status", "n": 3})
    later = await outbox.put(key(3), {"kind": "later"}, delay=dt.timedelta(minutes=5))
    assert await outbox.pending() == 4 and await outbox.pending(key(1)) == 2

    taken = await outbox.take_due(2)
    assert [(i.id, i.key, i.attempts) for i in taken] == [(first, key(1), 1), (second, key(2), 1)]
    assert taken[0].payload == {"kind": "status", "claim": "C1", "text": "ü"}
    assert [i.id for i in await outbox.take_due(10)] == [third]  # the others are leased
    assert await outbox.take_due(10) == []
    await outbox.mark_sent([first, third])

    after_lease = utcnow() + dt.timedelta(minutes=2)  # the sender of `second` died
    assert [(i.id, i.attempts) for i in await outbox.take_due(10, now=after_lease)] == [(second, 2)]
    await outbox.retry_later([second], dt.timedelta(0))
    much_later = utcnow() + dt.timedelta(minutes=10)
    assert [i.id for i in await outbox.take_due(10, now=much_later)] == [second, later]
    await outbox.mark_sent([second, later])
    assert await outbox.pending() == 0
    assert await outbox.prune_sent(dt.timedelta(hours=1)) == 0
    assert await outbox.prune_sent(utcnow() + dt.timedelta(seconds=1)) == 4
    await outbox.close()


async def test_outbox_takers_never_share_an_item(db_url: str) -> None:
    engines = [make_engine(db_url), make_engine(db_url)]
    boxes = [Outbox(e) for e in engines]
    ids = await asyncio.gather(*(boxes[0].put(key(n), {"n": n}) for n in range(60)))
    takes = await asyncio.gather(*(boxes[n % 2].take_due(7) for n in range(12)))
    taken = [item.id for batch in takes for item in batch]
    assert sorted(taken) == sorted(ids)
    for box in boxes:
        await box.close()
    for engine in engines:
        await engine.dispose()


# ----------------------------------------------------------------------------- bundle
async def test_bot_stores_share_one_writer(db: AsyncEngine) -> None:
    stores = BotStores.create(db)
    session = Session(key(1), state="menu", member_id="m1")
    await asyncio.gather(
        stores.sessions.save(session),
        stores.links.link("m1", key(1)),
        stores.updates.first_time("telegram", 1),
        stores.support.open_ticket(key(1), "m1", "help"),
        stores.outbox.put(key(1), {"n": 1}),
    )
    assert stores.writer.batches <= 2
    assert await stores.links.keys_for_member("m1") == [key(1)]
    await stores.close()
    with pytest.raises(RuntimeError):
        await stores.outbox.put(key(1), {"n": 2})

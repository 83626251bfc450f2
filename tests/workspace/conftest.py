"""The staff workspace on a migrated temp SQLite file, on virtual time, with the real catalog
and the real staff policy (an allow-list: user 777 is staff, 666 is not)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.i18n import Catalog
from handlers.io import Reply
from handlers.staff import StaffIdentity, StaffPolicy, StaffRoom
from handlers.workspace.commands import TopicDesk, TopicOutcome
from handlers.workspace.desk import Inbound, Workspace
from states import ConversationKey
from states.support_hours import SupportHours, parse_hours
from storage.db import Worker, make_engine
from storage.links import SupportStore
from storage.sessions import Batcher
from storage.workspace import FaqStore, PairStore, Topic, TopicStore
from tests.fast_setup import upgrade  # the migrations, copied after the first

ROOM = "-100500"
# a Monday, 10:00 in Berlin (winter time)
MONDAY_10 = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC)
HOURS = "Mon-Fri 09:00-18:00 Europe/Berlin"


class Clock:
    def __init__(self, now: dt.datetime = MONDAY_10) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def staff(user: str = "777", name: str = "@sam_staff") -> StaffIdentity:
    return StaffIdentity("telegram", user, name, room=ROOM)


STAFF = staff()
OUTSIDER = staff("666", "@mallory")


@dataclass
class Topics:
    """A fake channel's topic maker: counts calls, hands out thread ids."""

    made: list[str] = field(default_factory=list)
    ids: itertools.count = field(default_factory=lambda: itertools.count(101))

    async def create(self, name: str) -> str:
        thread = str(next(self.ids))
        self.made.append(name)
        return thread


@dataclass
class Desk:
    engine: AsyncEngine
    clock: Clock
    catalog: Catalog
    topics: TopicStore
    faq: FaqStore
    support: SupportStore
    ws: Workspace
    room: StaffRoom
    desk: TopicDesk
    channel: Topics

    async def customer(
        self, text: str, user: str = "42", locale: str = "en", name: str = "Jamie"
    ) -> Inbound:
        return await self.ws.customer_message(
            ConversationKey("telegram", user, user),
            display=name,
            locale=locale,
            member_id=None,
            create=self.channel.create,
            text=text,
        )

    async def staff_says(
        self, text: str, topic: Topic, who: StaffIdentity = STAFF, replied: str | None = None
    ) -> TopicOutcome:
        fresh = await self.topics.get(topic.id)
        assert fresh is not None
        return await self.desk.handle(text, who, fresh, replied_text=replied)


def keys(replies: list[Reply]) -> list[str]:
    return [r.key for r in replies]


@pytest.fixture
async def db_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.db'}"
    await upgrade(url)
    return url


@dataclass
class Parts:
    """The workspace's stores on one engine, sharing a write batcher and a read pool."""

    writer: Batcher
    reads: Worker
    topics: TopicStore
    faq: FaqStore
    ws: Workspace

    async def close(self) -> None:
        await self.writer.close()
        await self.reads.close()


def make_workspace(
    engine: AsyncEngine,
    clock: Clock,
    catalog: Catalog,
    hours: SupportHours,
    sla: dt.timedelta = dt.timedelta(minutes=60),
    pause=None,
) -> Parts:
    writer, reads = Batcher(engine, write=True), Worker(engine, threads=2)
    topics = TopicStore(engine, writer=writer, reads=reads, now=clock)
    faq = FaqStore(engine, writer=writer, reads=reads, now=clock)
    pairs = PairStore(engine, writer=writer, reads=reads, now=clock)
    extra = {} if pause is None else {"pause": pause}
    ws = Workspace(
        topics, faq, catalog, pairs=pairs, room=ROOM, hours=hours, sla=sla, now=clock, **extra
    )
    return Parts(writer, reads, topics, faq, ws)


@pytest.fixture
async def desk(db_url: str) -> AsyncIterator[Desk]:
    engine = make_engine(db_url)
    clock, catalog = Clock(), Catalog()
    parts = make_workspace(engine, clock, catalog, parse_hours(HOURS))
    topics, faq, ws = parts.topics, parts.faq, parts.ws
    support = SupportStore(engine)
    room = StaffRoom(
        None,
        support,
        catalog,
        policy=StaffPolicy(ROOM, frozenset({"777"})),
        clock=lambda: clock.now.timestamp(),
    )
    yield Desk(
        engine, clock, catalog, topics, faq, support, ws, room, TopicDesk(ws, room), Topics()
    )
    await parts.close()
    await support.close()
    await engine.dispose()

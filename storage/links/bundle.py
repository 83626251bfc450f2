"""Every bot-side store on one engine, sharing one write batcher and one read worker."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import Worker
from storage.links.base import READ_THREADS
from storage.links.link_store import LinkStore
from storage.links.outbox import Outbox
from storage.links.support import SupportStore
from storage.links.updates import Inbox, UpdateLog
from storage.sessions import Batcher, SqlSessionStore
from storage.workspace import FaqStore, PairStore, TopicStore
from storage.workspace.base import Clock


@dataclass(slots=True)
class BotStores:
    """Every bot-side store on one engine, sharing one write batcher."""

    writer: Batcher
    reads: Worker
    sessions: SqlSessionStore
    links: LinkStore
    updates: UpdateLog
    inbox: Inbox
    support: SupportStore
    outbox: Outbox
    topics: TopicStore  # the staff workspace (issue 10): a topic per customer
    pairs: PairStore  # relayed messages and their copies
    faq: FaqStore  # the FAQ in the database (seeded from the catalog, taught by staff)

    @classmethod
    def create(
        cls, engine: AsyncEngine, *, cache_size: int = 4096, now: Clock | None = None
    ) -> BotStores:
        writer = Batcher(engine, write=True)
        reads = Worker(engine, threads=READ_THREADS)
        clock = {} if now is None else {"now": now}  # the workspace's clock (virtual in tests)
        return cls(
            writer=writer,
            reads=reads,
            sessions=SqlSessionStore(engine, writer=writer, cache_size=cache_size),
            links=LinkStore(engine, writer=writer, reads=reads),
            updates=UpdateLog(engine, writer=writer, reads=reads),
            inbox=Inbox(engine, writer=writer, reads=reads),
            support=SupportStore(engine, writer=writer, reads=reads),
            outbox=Outbox(engine, writer=writer, reads=reads),
            topics=TopicStore(engine, writer=writer, reads=reads, **clock),
            pairs=PairStore(engine, writer=writer, reads=reads, **clock),
            faq=FaqStore(engine, writer=writer, reads=reads, **clock),
        )

    async def close(self) -> None:
        """Flush every pending write and stop the batch tasks (the engine stays open)."""
        await self.inbox.close()  # its deletions noted for later (the shared writer stays)
        await self.sessions.close()
        await self.links.close()  # its own lookups (the shared writer and reads close below)
        await self.writer.close()
        await self.reads.close()

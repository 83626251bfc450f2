"""Small bot-side stores: chat links, processed updates, the inbox, support tickets, the outbox.

One module per store: ``link_store``, ``updates`` (the update log and the inbox),
``support`` (with ``support_delivery`` and ``support_types``), ``outbox``; ``bundle`` makes
them all on one engine. The public names are re-exported here.

All writes go through a write :class:`~storage.sessions.Batcher` (share the session
store's: ``LinkStore(engine, writer=sessions.writer)``) so one process never fights itself
for SQLite's write lock; reads use short connections of the engine. Every method returns
plain frozen dataclasses, never ORM objects. A store that made its own batcher closes it in
``close()``.
"""

from __future__ import annotations

from storage.links.base import READ_THREADS
from storage.links.bundle import BotStores
from storage.links.link_store import LinkInfo, LinkStore
from storage.links.outbox import Outbox, OutboxItem
from storage.links.support import SupportStore
from storage.links.support_delivery import LEASE, LEASE_USABLE
from storage.links.support_types import (
    CLOSED,
    OPEN,
    Sender,
    SupportLease,
    Ticket,
    TicketMessage,
    TicketStatus,
    audit_row,
)
from storage.links.updates import Inbox, InboxItem, UpdateLog

__all__ = [
    "CLOSED",
    "LEASE",
    "LEASE_USABLE",
    "OPEN",
    "READ_THREADS",
    "audit_row",
    "BotStores",
    "Inbox",
    "InboxItem",
    "LinkInfo",
    "LinkStore",
    "Outbox",
    "OutboxItem",
    "Sender",
    "SupportLease",
    "SupportStore",
    "Ticket",
    "TicketMessage",
    "TicketStatus",
    "UpdateLog",
]

"""Small bot-side stores: chat links, processed updates, the inbox, support tickets, the outbox.

All writes go through a write :class:`~storage.sessions.Batcher` (share the session
store's: ``LinkStore(engine, writer=sessions.writer)``) so one process never fights itself
for SQLite's write lock; reads use short connections of the engine. Every method returns
plain frozen dataclasses, never ORM objects. A store that made its own batcher closes it in
``close()``.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from states.audit import AuditEntry, StaffNote
from states.session import ConversationKey
from storage.db import Worker
from storage.models import (
    ChatLink,
    InboxUpdate,
    OutboxMessage,
    ProcessedUpdate,
    StaffAudit,
    StaffForward,
    SupportMessage,
    SupportTicket,
    utcnow,
)
from storage.sessions import Batcher, Mismatch, SqlSessionStore, fast_batches, insert_ignore

READ_THREADS = 2  # reads here are short (a row or a few): two threads keep up with thousands/s
Sender = Literal["customer", "staff", "system"]  # system: e.g. "closed by staff"
TicketStatus = Literal["open", "closed"]
OPEN: TicketStatus = "open"
CLOSED: TicketStatus = "closed"


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


class _WriterOwner:
    """Holds the write batcher and the read worker: shared (the caller closes them) or own
    (closed in ``close``)."""

    def __init__(self, engine: AsyncEngine, writer: Batcher | None, reads: Worker | None = None) -> None:
        self._engine = engine
        self._own_writer = writer is None
        self._writer = writer or Batcher(engine, write=True)
        self._own_reads = reads is None
        self._reads = reads or Worker(engine, threads=READ_THREADS)

    async def _read(self, stmt: Any) -> list[Row[Any]]:
        """The rows of ``stmt``: one hop to a read thread."""
        return await self._reads.run(lambda conn: list(conn.execute(stmt).all()))

    async def close(self) -> None:
        if self._own_writer:
            await self._writer.close()
        if self._own_reads:
            await self._reads.close()


# ----------------------------------------------------------------------------- links
@dataclass(frozen=True, slots=True)
class LinkInfo:
    key: ConversationKey
    member_id: str | None
    blocked: bool
    locale: str
    updated_at: dt.datetime


class LinkStore(_WriterOwner):
    """Which member each chat user is logged in as (at most one), and who blocked the bot."""

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        t = self._t = _table(ChatLink)
        # member_for runs on every turn of a logged-in customer: concurrent lookups share one
        # hop and one statement (SELECT ... IN), like the session store's loads
        self._lookups = Batcher(engine, write=False)
        self._members = select(t.c.conversation_key, t.c.member_id).where(
            t.c.conversation_key.in_(bindparam("keys", expanding=True))
        )

    async def close(self) -> None:
        await self._lookups.close()
        await super().close()

    async def link(self, member_id: str, key: ConversationKey, locale: str = "en") -> None:
        """Log the chat user in as ``member_id`` (replaces any previous member; unblocks)."""
        await self._upsert(key, {"member_id": member_id, "locale": locale, "blocked": False})

    async def unlink(self, key: ConversationKey) -> None:
        """Log the chat user out (keeps locale and blocked flag)."""
        stmt = update(self._t).where(self._t.c.conversation_key == str(key))
        await self._writer.run(
            lambda conn: conn.execute(stmt.values(member_id=None, updated_at=utcnow()))
        )

    async def end_logins(self, member_id: str, *, keep: ConversationKey | None = None) -> int:
        """End every log-in of ``member_id`` except the chat ``keep`` (every one when
        ``None``); returns how many chats were logged out.

        After a password change or reset, or "Log out everywhere". Committed before it
        returns and read by every replica: a chat logged out here is told so at its next
        message (the conversation compares its session with this link on every turn), and
        from now on gets none of the member's notifications."""
        t = self._t
        stmt = update(t).where(t.c.member_id == member_id)
        if keep is not None:
            stmt = stmt.where(t.c.conversation_key != str(keep))
        stmt = stmt.values(member_id=None, updated_at=utcnow())
        return await self._writer.run(lambda conn: int(conn.execute(stmt).rowcount))

    async def mark_blocked(self, key: ConversationKey, blocked: bool = True) -> None:
        """The customer blocked (or unblocked) the bot: stop (or resume) sending to them."""
        await self._upsert(key, {"blocked": blocked})

    async def get(self, key: ConversationKey) -> LinkInfo | None:
        rows = await self._read(select(self._t).where(self._t.c.conversation_key == str(key)))
        return _link_info(rows[0]) if rows else None

    async def member_for(self, key: ConversationKey) -> str | None:
        """The member the chat is logged in as now (read from the database, never cached)."""
        return await self._lookups.submit(self._members_many, str(key))  # type: ignore[no-any-return]

    def _members_many(self, conn: Connection, keys: list[str], careful: bool) -> list[str | None]:
        found: dict[str, str | None] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):
            for k, member_id in conn.execute(self._members, {"keys": unique[start : start + 500]}):
                found[k] = member_id
        return [found.get(k) for k in keys]

    async def is_blocked(self, key: ConversationKey) -> bool:
        info = await self.get(key)
        return info is not None and info.blocked

    async def keys_for_member(
        self, member_id: str, *, include_blocked: bool = False
    ) -> list[ConversationKey]:
        """The chats logged in as ``member_id`` (by default only those that can be messaged)."""
        t = self._t
        stmt = select(t.c.conversation_key).where(t.c.member_id == member_id)
        if not include_blocked:
            stmt = stmt.where(t.c.blocked.is_(False))
        rows = await self._read(stmt.order_by(t.c.conversation_key))
        return [ConversationKey.parse(r.conversation_key) for r in rows]

    async def _upsert(self, key: ConversationKey, values: dict[str, Any]) -> None:
        t = self._t
        now = utcnow()
        row = {"conversation_key": str(key), "updated_at": now, **values}
        changes = {"updated_at": now, **values}
        name = self._engine.dialect.name

        def write(conn: Connection) -> None:
            if name in ("sqlite", "postgresql"):
                ins = (sqlite if name == "sqlite" else postgresql).insert(t).values(**row)
                conn.execute(
                    ins.on_conflict_do_update(index_elements=["conversation_key"], set_=changes)
                )
                return
            where = t.c.conversation_key == str(key)
            if conn.execute(update(t).where(where).values(**changes)).rowcount == 0:
                conn.execute(insert(t).values(**row))

        await self._writer.run(write)


def _link_info(row: Row[Any]) -> LinkInfo:
    return LinkInfo(
        key=ConversationKey.parse(row.conversation_key),
        member_id=row.member_id,
        blocked=bool(row.blocked),
        locale=row.locale,
        updated_at=row.updated_at,
    )


# ----------------------------------------------------------------------------- update log
class UpdateLog(_WriterOwner):
    """Channel updates already handled, so redelivered ones (even after a restart) are dropped."""

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        t = self._t = _table(ProcessedUpdate)
        self._fast = fast_batches(engine.dialect)
        self._insert = insert_ignore(engine.dialect, t, "channel", "update_id")
        self._seen = select(t.c.update_id).where(
            t.c.channel == bindparam("c"), t.c.update_id.in_(bindparam("ids", expanding=True))
        )

    async def first_time(self, channel: str, update_id: int | str) -> bool:
        """Record the update; ``True`` only for the first caller ever (atomic, committed)."""
        item = {"channel": channel, "update_id": str(update_id), "seen_at": utcnow()}
        return bool(await self._writer.submit(self._mark_many, item))

    async def prune(self, older_than: dt.datetime | dt.timedelta, *, limit: int | None = None) -> int:
        """Forget updates seen before ``older_than`` (a time, or an age), the oldest ``limit``
        of them at most (all when ``None``); returns how many."""
        return await self._writer.run(_older_deleted(self._t, self._t.c.seen_at, older_than, limit))

    def _mark_many(
        self, conn: Connection, items: list[dict[str, Any]], careful: bool
    ) -> list[bool]:
        if careful or not self._fast:
            return [conn.execute(self._insert, item).rowcount == 1 for item in items]
        # SQLite under BEGIN IMMEDIATE: nobody else can insert between this read and write
        seen: set[tuple[str, str]] = set()
        for channel in {item["channel"] for item in items}:
            ids = list({i["update_id"] for i in items if i["channel"] == channel})
            for start in range(0, len(ids), 500):
                found = conn.execute(
                    self._seen, {"c": channel, "ids": ids[start : start + 500]}
                )
                seen.update((channel, u) for u in found.scalars())
        fresh: list[dict[str, Any]] = []
        outcome: list[bool] = []
        for item in items:
            ident = (item["channel"], item["update_id"])
            outcome.append(ident not in seen)
            if ident not in seen:
                seen.add(ident)
                fresh.append(item)
        if fresh and conn.execute(self._insert, fresh).rowcount != len(fresh):
            raise Mismatch("processed_updates")
        return outcome


def _older_deleted(
    t: Any, stamp: Any, older_than: dt.datetime | dt.timedelta, limit: int | None
) -> Callable[[Connection], int]:
    """A write deleting the rows of ``t`` (keyed by channel and update id) whose ``stamp`` is
    before ``older_than`` (a time, or an age), the oldest ``limit`` at most: one bounded
    transaction, so the write lock is held briefly."""
    cutoff = utcnow() - older_than if isinstance(older_than, dt.timedelta) else older_than
    old = stamp < cutoff
    if limit is not None:
        oldest = select(t.c.channel, t.c.update_id).where(old).order_by(stamp).limit(limit)
        old = tuple_(t.c.channel, t.c.update_id).in_(oldest)
    stmt = delete(t).where(old)

    def write(conn: Connection) -> int:
        return int(conn.execute(stmt).rowcount)

    return write


# ----------------------------------------------------------------------------- inbox
@dataclass(frozen=True, slots=True)
class InboxItem:
    update_id: int
    payload: dict[str, Any]


class Inbox(_WriterOwner):
    """Updates received and not handled yet, kept from arrival until handled.

    ``put_many`` commits a batch (one transaction) and says which updates are new (a copy
    redelivered while the first is still here is not); ``done`` forgets handled ones (group
    committed); ``pending`` gives back what a stopped or crashed process left, oldest first.
    """

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        t = self._t = _table(InboxUpdate)
        self._insert = insert_ignore(engine.dialect, t, "channel", "update_id")
        self._forget = delete(t).where(
            t.c.channel == bindparam("c"), t.c.update_id.in_(bindparam("ids", expanding=True))
        )

    async def put_many(self, channel: str, updates: Sequence[dict[str, Any]]) -> list[bool]:
        """Store ``updates`` (each with its ``update_id``); True for each one stored now."""
        if not updates:
            return []
        now = utcnow()
        rows = [
            {
                "channel": channel,
                "update_id": int(u["update_id"]),
                "payload": json.dumps(u, separators=(",", ":"), ensure_ascii=False),
                "received_at": now,
            }
            for u in updates
        ]

        def write(conn: Connection) -> list[bool]:
            return [conn.execute(self._insert, row).rowcount == 1 for row in rows]

        return await self._writer.run(write)

    async def done(self, channel: str, update_id: int) -> None:
        """Forget a handled update (committed with the other ``done`` calls of its batch)."""
        await self._writer.submit(self._forget_many, (channel, int(update_id)))

    async def prune(self, older_than: dt.datetime | dt.timedelta, *, limit: int | None = None) -> int:
        """Forget updates received before ``older_than`` and never handled (stuck), the oldest
        ``limit`` of them at most; returns how many (housekeeping)."""
        return await self._writer.run(_older_deleted(self._t, self._t.c.received_at, older_than, limit))

    async def pending(self, channel: str) -> list[InboxItem]:
        t = self._t
        stmt = select(t.c.update_id, t.c.payload).where(t.c.channel == channel).order_by(t.c.update_id)
        return [InboxItem(int(r.update_id), json.loads(r.payload)) for r in await self._read(stmt)]

    def _forget_many(self, conn: Connection, items: list[tuple[str, int]], careful: bool) -> list[None]:
        for channel in {c for c, _ in items}:
            ids = [u for c, u in items if c == channel]
            for start in range(0, len(ids), 500):
                conn.execute(self._forget, {"c": channel, "ids": ids[start : start + 500]})
        return [None] * len(items)


# ----------------------------------------------------------------------------- support
LEASE = dt.timedelta(seconds=120)  # how long a taker has to pass support messages on
LEASE_USABLE = 0.75  # a taker stops sending after this share of it: a margin for the last send


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    key: ConversationKey
    member_id: str | None
    status: TicketStatus
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TicketMessage:
    id: int
    ticket_id: int
    key: ConversationKey  # the customer's conversation
    sender: Sender
    staff_name: str | None
    text: str
    media_ref: str | None
    at: dt.datetime
    delivered: bool
    member_id: str | None = None  # whom the ticket was opened as (None: a guest's)


@dataclass(frozen=True, slots=True)
class SupportLease:
    """Support messages taken to pass on: see :meth:`SupportStore.take_undelivered`."""

    token: str
    deadline: float  # time.monotonic() after which the holder must not send any more of them
    messages: list[TicketMessage]

    def live(self) -> bool:
        return time.monotonic() < self.deadline


def audit_row(kind: str, subject_id: str, note: StaffNote, at: dt.datetime) -> dict[str, Any]:
    """The values of one ``staff_audit`` row (shared with the backend)."""
    return {
        "subject_kind": kind,
        "subject_id": str(subject_id)[:64],
        "action": note.action[:32],
        "actor_id": note.actor_id[:100],
        "actor_name": note.actor_name[:100],
        "details": note.details[:500],
        "at": at,
    }


class SupportStore(_WriterOwner):
    """Handoffs to human staff: one open ticket per conversation, messages both ways."""

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        self._tickets = _table(SupportTicket)
        self._messages = _table(SupportMessage)
        self._audit = _table(StaffAudit)
        self._forwards = _table(StaffForward)

    async def open_ticket(
        self, key: ConversationKey, member_id: str | None = None, text: str | None = None
    ) -> Ticket:
        """The conversation's open ticket, created if there is none; ``text`` is added to it
        as the customer's message in the same transaction."""

        def write(conn: Connection) -> int:
            ticket_id = self._open_id(conn, key)
            if ticket_id is None:
                ticket_id = self._create(conn, key, member_id)
            if text is not None:
                self._append(conn, ticket_id, "customer", text, None, None, False)
            return ticket_id

        return await self._ticket(await self._writer.run(write))

    async def add_message(
        self,
        ticket_id: int,
        sender: Sender,
        text: str,
        *,
        staff_name: str | None = None,
        media_ref: str | None = None,
        delivered: bool = False,
        audit: StaffNote | None = None,
    ) -> TicketMessage:
        """Append a message (``delivered=False``: still to be passed to the other side);
        ``audit`` records who did it, in the same transaction."""
        if sender not in ("customer", "staff", "system"):
            raise ValueError(f"sender must be 'customer', 'staff' or 'system', not {sender!r}")

        def write(conn: Connection) -> int:
            message_id = self._append(
                conn, ticket_id, sender, text, staff_name, media_ref, delivered
            )
            if audit is not None:
                conn.execute(insert(self._audit).values(audit_row("ticket", str(ticket_id), audit, utcnow())))
            return message_id

        message_id = await self._writer.run(write)
        return (await self._select_messages(self._messages.c.id == message_id))[0]

    async def add_customer_message(
        self, key: ConversationKey, text: str, *, media_ref: str | None = None
    ) -> Ticket | None:
        """Add to the conversation's open ticket; ``None`` (nothing added) if none is open."""

        def write(conn: Connection) -> int | None:
            ticket_id = self._open_id(conn, key)
            if ticket_id is not None:
                self._append(conn, ticket_id, "customer", text, None, media_ref, False)
            return ticket_id

        ticket_id = await self._writer.run(write)
        return None if ticket_id is None else await self._ticket(ticket_id)

    async def get(self, ticket_id: int) -> Ticket | None:
        found = await self._select_tickets(self._tickets.c.id == ticket_id)
        return found[0] if found else None

    async def ticket_for(self, key: ConversationKey) -> Ticket | None:
        """The conversation's open ticket, if any."""
        t = self._tickets
        found = await self._select_tickets(
            and_(t.c.conversation_key == str(key), t.c.status == OPEN)
        )
        return found[0] if found else None

    async def list_open(self, limit: int = 100) -> list[Ticket]:
        """Open tickets, least recently active first."""
        return await self._select_tickets(self._tickets.c.status == OPEN, limit=limit)

    async def close_ticket(self, ticket_id: int, *, audit: StaffNote | None = None) -> bool:
        """Close the ticket; ``False`` if it was not open. ``audit``: who closed it (recorded
        in the same transaction, only when it was open)."""
        t = self._tickets
        stmt = (
            update(t)
            .where(t.c.id == ticket_id, t.c.status == OPEN)
            .values(status=CLOSED, updated_at=utcnow())
        )

        def write(conn: Connection) -> bool:
            closed = conn.execute(stmt).rowcount == 1
            if closed and audit is not None:
                conn.execute(insert(self._audit).values(audit_row("ticket", str(ticket_id), audit, utcnow())))
            return closed

        return await self._writer.run(write)

    async def close_for(self, key: ConversationKey) -> bool:
        """Close the conversation's open ticket; ``False`` if none was open."""
        ticket = await self.ticket_for(key)
        return ticket is not None and await self.close_ticket(ticket.id)

    async def has_open(self, key: ConversationKey) -> bool:
        return await self.ticket_for(key) is not None

    async def messages(self, ticket_id: int) -> list[TicketMessage]:
        return await self._select_messages(self._messages.c.ticket_id == ticket_id)

    async def undelivered(self, sender: Sender = "staff", limit: int = 100) -> list[TicketMessage]:
        """Messages from ``sender`` not yet passed on (staff replies the customer must get)."""
        m = self._messages
        return await self._select_messages(
            and_(m.c.sender == sender, m.c.delivered.is_(False)), limit=limit
        )

    async def take_undelivered(
        self,
        senders: Sequence[Sender],
        limit: int = 50,
        *,
        lease: dt.timedelta = LEASE,
    ) -> SupportLease:
        """Lease the waiting messages from ``senders`` of up to ``limit`` tickets (oldest first).

        A ticket is leased whole, to one taker: another bot replica asking meanwhile gets
        none of its messages (so they go out once, and in order). Send only while
        ``lease.live()``; then ``mark_delivered`` what went out and ``release`` the rest, or
        it all comes back to the next taker when the lease runs out."""
        m, t = self._messages, self._tickets
        token = str(uuid.uuid4())
        pending = and_(m.c.sender.in_(list(senders)), m.c.delivered.is_(False))

        def write(conn: Connection) -> None:
            now = utcnow()
            free = or_(m.c.leased_until.is_(None), m.c.leased_until < now)
            busy = select(m.c.ticket_id).where(pending, m.c.leased_until >= now)  # someone's
            oldest_first = (
                select(m.c.ticket_id)
                .where(pending, free, m.c.ticket_id.not_in(busy))
                .group_by(m.c.ticket_id)
                .order_by(func.min(m.c.id))
                .limit(limit)
            )
            tickets = list(conn.execute(oldest_first).scalars())
            if tickets:  # PostgreSQL: a ticket another replica is taking right now is skipped
                lock = select(t.c.id).where(t.c.id.in_(tickets)).with_for_update(skip_locked=True)
                tickets = list(conn.execute(lock).scalars())
            if tickets:
                conn.execute(
                    update(m)
                    .where(pending, free, m.c.ticket_id.in_(tickets), m.c.ticket_id.not_in(busy))
                    .values(leased_until=now + lease, leased_by=token)
                )

        started = time.monotonic()
        waiting = select(m.c.id).where(pending, or_(m.c.leased_until.is_(None), m.c.leased_until < utcnow()))
        if not await self._read(waiting.limit(1)):  # most polls find nothing: no write for that
            return SupportLease(token, started, [])
        await self._writer.run(write)
        messages = await self._select_messages(and_(m.c.leased_by == token, m.c.delivered.is_(False)))
        return SupportLease(token, started + lease.total_seconds() * LEASE_USABLE, messages)

    async def release(self, lease: SupportLease, message_ids: Iterable[int] | None = None) -> None:
        """Give back leased messages not passed on (default: all of the lease not delivered),
        at once; a lease that has meanwhile gone to another taker is left alone."""
        ids = [m.id for m in lease.messages] if message_ids is None else list(message_ids)
        if ids:
            m = self._messages
            stmt = (
                update(m)
                .where(m.c.id.in_(ids), m.c.leased_by == lease.token, m.c.delivered.is_(False))
                .values(leased_until=None, leased_by=None)
            )
            await self._writer.run(lambda conn: conn.execute(stmt))

    async def mark_delivered(self, message_ids: Iterable[int]) -> None:
        ids = list(message_ids)
        if not ids:
            return
        stmt = update(self._messages).where(self._messages.c.id.in_(ids)).values(delivered=True)
        await self._writer.run(lambda conn: conn.execute(stmt))

    # ---------------------------------------------------------------- the staff chat
    async def mark_forwarded(self, room: str, posted: Sequence[int], message: TicketMessage) -> None:
        """``message`` was posted in the staff chat ``room`` as the bot's messages ``posted``:
        mark it delivered and remember the pairing (one transaction), so a reply to any of
        them answers its ticket, after a restart too."""
        m, f = self._messages, self._forwards
        now = utcnow()
        rows = [{"room": room, "message_id": int(i), "ticket_id": message.ticket_id, "at": now} for i in posted]

        def write(conn: Connection) -> None:
            conn.execute(update(m).where(m.c.id == message.id).values(delivered=True))
            if rows:
                conn.execute(insert_ignore(conn.dialect, f, "room", "message_id"), rows)

        await self._writer.run(write)

    async def forwarded_ticket(self, room: str, message_id: int | str | None) -> int | None:
        """The ticket whose forwarded message ``message_id`` in ``room`` is; None for any
        other message (a colleague's, the ticket list, a look-alike)."""
        try:
            wanted = int(message_id) if message_id is not None else None
        except (TypeError, ValueError):
            return None
        if wanted is None:
            return None
        f = self._forwards
        rows = await self._read(select(f.c.ticket_id).where(f.c.room == str(room), f.c.message_id == wanted))
        return int(rows[0][0]) if rows else None

    async def history(self, ticket_id: int) -> list[AuditEntry]:
        """The ticket's audit trail (who answered and closed it), oldest first."""
        a = self._audit
        stmt = (
            select(a)
            .where(a.c.subject_kind == "ticket", a.c.subject_id == str(ticket_id))
            .order_by(a.c.id)
        )
        return [AuditEntry(r.at, r.action, r.actor_id, r.actor_name, r.details) for r in await self._read(stmt)]

    async def _ticket(self, ticket_id: int) -> Ticket:
        ticket = await self.get(ticket_id)
        if ticket is None:  # pragma: no cover - deleted between commit and read
            raise LookupError(f"support ticket {ticket_id}")
        return ticket

    def _open_id(self, conn: Connection, key: ConversationKey) -> int | None:
        t = self._tickets
        found = conn.execute(
            select(t.c.id).where(t.c.conversation_key == str(key), t.c.status == OPEN)
        )
        ticket_id = found.scalar()
        return None if ticket_id is None else int(ticket_id)

    def _create(
        self, conn: Connection, key: ConversationKey, member_id: str | None
    ) -> int:
        now = utcnow()
        result = conn.execute(
            insert(self._tickets).values(
                conversation_key=str(key),
                member_id=member_id,
                status=OPEN,
                created_at=now,
                updated_at=now,
            )
        )
        return int(result.inserted_primary_key[0])

    def _append(
        self,
        conn: Connection,
        ticket_id: int,
        sender: Sender,
        text: str,
        staff_name: str | None,
        media_ref: str | None,
        delivered: bool,
    ) -> int:
        t, m = self._tickets, self._messages
        now = utcnow()
        result = conn.execute(
            insert(m).values(
                ticket_id=ticket_id,
                sender=sender,
                staff_name=staff_name,
                text=text,
                media_ref=media_ref,
                at=now,
                delivered=delivered,
            )
        )
        conn.execute(update(t).where(t.c.id == ticket_id).values(updated_at=now))
        return int(result.inserted_primary_key[0])

    async def _select_tickets(self, where: Any, limit: int | None = None) -> list[Ticket]:
        t = self._tickets
        stmt = select(t).where(where).order_by(t.c.updated_at, t.c.id).limit(limit)
        rows = await self._read(stmt)
        return [
            Ticket(
                r.id,
                ConversationKey.parse(r.conversation_key),
                r.member_id,
                r.status,
                r.created_at,
                r.updated_at,
            )
            for r in rows
        ]

    async def _select_messages(self, where: Any, limit: int | None = None) -> list[TicketMessage]:
        t, m = self._tickets, self._messages
        stmt = (
            select(m, t.c.conversation_key, t.c.member_id.label("ticket_member"))
            .join(t, t.c.id == m.c.ticket_id)
            .where(where)
            .order_by(m.c.id)
            .limit(limit)
        )
        rows = await self._read(stmt)
        return [
            TicketMessage(
                r.id,
                r.ticket_id,
                ConversationKey.parse(r.conversation_key),
                r.sender,
                r.staff_name,
                r.text,
                r.media_ref,
                r.at,
                bool(r.delivered),
                r.ticket_member,
            )
            for r in rows
        ]


# ----------------------------------------------------------------------------- outbox
@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    key: ConversationKey
    payload: dict[str, Any]
    created_at: dt.datetime
    attempts: int  # including this delivery attempt


class Outbox(_WriterOwner):
    """Messages to send later (status notifications, staff replies): at least once.

    ``take_due`` leases items for ``lease``; unless ``mark_sent`` follows in time (say the
    process died), they become due again and another taker gets them.
    """

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        self._t = _table(OutboxMessage)

    async def put(
        self, key: ConversationKey, payload: dict[str, Any], *, delay: dt.timedelta | None = None
    ) -> int:
        """Queue ``payload`` (a JSON object) for ``key``; returns the item id once committed."""
        now = utcnow()
        stmt = insert(self._t).values(
            conversation_key=str(key),
            payload=json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
            created_at=now,
            due_at=now + (delay or dt.timedelta(0)),
            attempts=0,
        )

        def write(conn: Connection) -> int:
            return int(conn.execute(stmt).inserted_primary_key[0])

        return await self._writer.run(write)

    async def take_due(
        self,
        limit: int = 100,
        *,
        lease: dt.timedelta = dt.timedelta(seconds=60),
        now: dt.datetime | None = None,
    ) -> list[OutboxItem]:
        """Lease up to ``limit`` due, unsent items (oldest first) to this caller."""
        t = self._t
        at = now or utcnow()
        due = and_(t.c.sent_at.is_(None), t.c.due_at <= at)
        pick = select(t).where(due).order_by(t.c.id).limit(limit).with_for_update(skip_locked=True)

        def write(conn: Connection) -> list[OutboxItem]:
            rows = conn.execute(pick).all()
            if rows:
                ids = [r.id for r in rows]
                conn.execute(
                    update(t)
                    .where(t.c.id.in_(ids), due)
                    .values(due_at=at + lease, attempts=t.c.attempts + 1)
                )
            return [
                OutboxItem(
                    r.id,
                    ConversationKey.parse(r.conversation_key),
                    json.loads(r.payload),
                    r.created_at,
                    r.attempts + 1,
                )
                for r in rows
            ]

        return await self._writer.run(write)

    async def mark_sent(self, ids: Iterable[int]) -> None:
        await self._set(ids, sent_at=utcnow())

    async def retry_later(self, ids: Iterable[int], delay: dt.timedelta) -> None:
        """Give leased items back, due again after ``delay`` (e.g. the channel was down)."""
        await self._set(ids, due_at=utcnow() + delay)

    async def pending(self, key: ConversationKey | None = None) -> int:
        """How many items are not sent yet (for ``key``, or in all)."""
        t = self._t
        stmt = select(func.count()).select_from(t).where(t.c.sent_at.is_(None))
        if key is not None:
            stmt = stmt.where(t.c.conversation_key == str(key))
        return int((await self._read(stmt))[0][0])

    async def prune_sent(self, older_than: dt.datetime | dt.timedelta, *, limit: int | None = None) -> int:
        """Delete items sent before ``older_than`` (a time, or an age), the oldest ``limit`` of
        them at most (all when ``None``); returns how many. Unsent items are never touched."""
        cutoff = utcnow() - older_than if isinstance(older_than, dt.timedelta) else older_than
        t = self._t
        old = and_(t.c.sent_at.is_not(None), t.c.sent_at < cutoff)
        if limit is not None:
            old = t.c.id.in_(select(t.c.id).where(old).order_by(t.c.id).limit(limit))
        stmt = delete(t).where(old)

        def write(conn: Connection) -> int:
            return int(conn.execute(stmt).rowcount)

        return await self._writer.run(write)

    async def _set(self, ids: Iterable[int], **values: Any) -> None:
        wanted: Sequence[int] = list(ids)
        if not wanted:
            return
        t = self._t
        stmt = update(t).where(t.c.id.in_(wanted), t.c.sent_at.is_(None)).values(**values)
        await self._writer.run(lambda conn: conn.execute(stmt))


# ----------------------------------------------------------------------------- bundle
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

    @classmethod
    def create(cls, engine: AsyncEngine, *, cache_size: int = 4096) -> BotStores:
        writer = Batcher(engine, write=True)
        reads = Worker(engine, threads=READ_THREADS)
        return cls(
            writer=writer,
            reads=reads,
            sessions=SqlSessionStore(engine, writer=writer, cache_size=cache_size),
            links=LinkStore(engine, writer=writer, reads=reads),
            updates=UpdateLog(engine, writer=writer, reads=reads),
            inbox=Inbox(engine, writer=writer, reads=reads),
            support=SupportStore(engine, writer=writer, reads=reads),
            outbox=Outbox(engine, writer=writer, reads=reads),
        )

    async def close(self) -> None:
        """Flush every pending write and stop the batch tasks (the engine stays open)."""
        await self.sessions.close()
        await self.links.close()  # its own lookups (the shared writer and reads close below)
        await self.writer.close()
        await self.reads.close()


__all__ = [
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

"""Passing support messages on: leases (one taker per ticket at a time), delivery marks,
the staff chat's forwards."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from states.session import ConversationKey
from storage.db import Worker
from storage.links.base import WriterOwner, table_of
from storage.links.support_types import Sender, SupportLease, TicketMessage
from storage.models import StaffAudit, StaffForward, SupportMessage, SupportTicket, utcnow
from storage.sessions import Batcher, insert_ignore

LEASE = dt.timedelta(seconds=120)  # how long a taker has to pass support messages on
LEASE_USABLE = 0.75  # a taker stops sending after this share of it: a margin for the last send


class SupportDelivery(WriterOwner):
    """The delivery half of the support store: what waits to be passed on, leased to one
    taker at a time, marked delivered; the staff chat's forwarded messages."""

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        self._tickets = table_of(SupportTicket)
        self._messages = table_of(SupportMessage)
        self._audit = table_of(StaffAudit)
        self._forwards = table_of(StaffForward)

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
        waiting = select(m.c.id).where(
            pending, or_(m.c.leased_until.is_(None), m.c.leased_until < utcnow())
        )
        if not await self._read(waiting.limit(1)):  # most polls find nothing: no write for that
            return SupportLease(token, started, [])
        await self._writer.run(write)
        messages = await self._select_messages(
            and_(m.c.leased_by == token, m.c.delivered.is_(False))
        )
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
    async def mark_forwarded(
        self, room: str, posted: Sequence[int], message: TicketMessage
    ) -> None:
        """``message`` was posted in the staff chat ``room`` as the bot's messages ``posted``:
        mark it delivered and remember the pairing (one transaction), so a reply to any of
        them answers its ticket, after a restart too."""
        m, f = self._messages, self._forwards
        now = utcnow()
        rows = [
            {"room": room, "message_id": int(i), "ticket_id": message.ticket_id, "at": now}
            for i in posted
        ]

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
        rows = await self._read(
            select(f.c.ticket_id).where(f.c.room == str(room), f.c.message_id == wanted)
        )
        return int(rows[0][0]) if rows else None

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

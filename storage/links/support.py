"""Handoffs to human staff: one open ticket per conversation, messages both ways."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, insert, select, update

from states.audit import AuditEntry, StaffNote
from states.session import ConversationKey
from storage.links.base import inserted_id
from storage.links.support_delivery import SupportDelivery
from storage.links.support_types import CLOSED, OPEN, Ticket, TicketMessage, audit_row
from storage.models import utcnow


class SupportStore(SupportDelivery):
    """Handoffs to human staff: one open ticket per conversation, messages both ways (the
    delivery of the messages: :class:`SupportDelivery`)."""

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
        sender: str,
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
                conn.execute(
                    insert(self._audit).values(audit_row("ticket", str(ticket_id), audit, utcnow()))
                )
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
                conn.execute(
                    insert(self._audit).values(audit_row("ticket", str(ticket_id), audit, utcnow()))
                )
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

    async def history(self, ticket_id: int) -> list[AuditEntry]:
        """The ticket's audit trail (who answered and closed it), oldest first."""
        a = self._audit
        stmt = (
            select(a)
            .where(a.c.subject_kind == "ticket", a.c.subject_id == str(ticket_id))
            .order_by(a.c.id)
        )
        return [
            AuditEntry(r.at, r.action, r.actor_id, r.actor_name, r.details)
            for r in await self._read(stmt)
        ]

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

    def _create(self, conn: Connection, key: ConversationKey, member_id: str | None) -> int:
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
        return inserted_id(result)

    def _append(
        self,
        conn: Connection,
        ticket_id: int,
        sender: str,
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
        return inserted_id(result)

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

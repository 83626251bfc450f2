"""Bot-side tables: conversations, chat links, processed updates, the inbox, support, outbox.

Typed SQLAlchemy 2 declarative models on :class:`storage.db.Base`. The stores in
``storage.sessions`` / ``storage.links`` use these tables through SQLAlchemy Core
(``Model.__table__``), never the ORM unit of work, and hand out plain dataclasses.

Times are stored as UTC and always read back timezone-aware (:class:`UtcDateTime`),
so SQLite (which keeps naive text) and PostgreSQL behave the same.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from storage.db import Base

#: width of a ``str(ConversationKey)`` column ("channel:chat_id:user_id")
KEY_LEN = 200
#: width of member ids (the backend's opaque ids)
MEMBER_LEN = 64


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (naive values are taken as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        value = value.astimezone(dt.UTC)
        # SQLite keeps text: store naive UTC so lexical order == time order
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Conversation(Base):
    """One saved :class:`states.session.Session` (``data`` is ``Session.to_json()``)."""

    __tablename__ = "conversations"

    key: Mapped[str] = mapped_column(String(KEY_LEN), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str | None] = mapped_column(String(MEMBER_LEN), index=True)
    data: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ChatLink(Base):
    """Which member a chat user is logged in as (at most one), and whether they blocked us."""

    __tablename__ = "chat_links"

    conversation_key: Mapped[str] = mapped_column(String(KEY_LEN), primary_key=True)
    member_id: Mapped[str | None] = mapped_column(String(MEMBER_LEN), index=True)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locale: Mapped[str] = mapped_column(String(16), default="en", server_default="en")
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class MemberLocale(Base):
    """The language a member chose (``/language`` or the profile): a chat they log in to
    later speaks it too."""

    __tablename__ = "member_locales"

    member_id: Mapped[str] = mapped_column(String(MEMBER_LEN), primary_key=True)
    locale: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class ProcessedUpdate(Base):
    """A channel update already handled; redelivered copies are dropped."""

    __tablename__ = "processed_updates"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), index=True)


class InboxUpdate(Base):
    """A channel update received and durably kept until it is handled (the receive inbox):
    the channel is told it arrived (Telegram's polling offset moves past it) only once it is
    here, so neither a shutdown nor a crash can lose it; handled ones are deleted."""

    __tablename__ = "inbox_updates"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str] = mapped_column(Text)  # the update as received (JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class SupportTicket(Base):
    """A customer's handoff to human staff. At most one open ticket per conversation."""

    __tablename__ = "support_tickets"
    __table_args__ = (
        Index(
            "uq_support_tickets_open_key",
            "conversation_key",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_key: Mapped[str] = mapped_column(String(KEY_LEN), index=True)
    member_id: Mapped[str | None] = mapped_column(String(MEMBER_LEN), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # 'open' | 'closed'
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class SupportMessage(Base):
    """One message in a ticket; ``delivered`` = it reached the other side."""

    __tablename__ = "support_messages"
    __table_args__ = (Index("ix_support_messages_pending", "sender", "delivered"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("support_tickets.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[str] = mapped_column(String(16))  # 'customer' | 'staff'
    staff_name: Mapped[str | None] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    media_ref: Mapped[str | None] = mapped_column(String(255))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    delivered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # taken by a bot replica (leased_by, a token) until then, to pass it on; a lease: it comes
    # back to the next taker if not marked delivered in time
    leased_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    leased_by: Mapped[str | None] = mapped_column(String(36), nullable=True)


class OutboxMessage(Base):
    """A message the bot must still send to a conversation (at least once)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "sent_at", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_key: Mapped[str] = mapped_column(String(KEY_LEN), index=True)
    payload: Mapped[str] = mapped_column(Text)  # JSON object
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())  # not before; also the lease
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


# ----------------------------------------------------------------------------- staff (authority, audit)
class StaffAudit(Base):
    """Who did what as staff, one row per action: claims (approve, reject, ship, show of the
    customer's data) in the backend's database, tickets (reply, close) in the bot's. Written in
    the same transaction as the action itself; never holds a prize code or a password."""

    __tablename__ = "staff_audit"
    __table_args__ = (Index("ix_staff_audit_subject", "subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # 'claim' | 'ticket' | 'promotion'
    subject_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str] = mapped_column(String(100))  # 'telegram:777', 'os:sam'
    actor_name: Mapped[str] = mapped_column(String(100))  # '@sam_staff', 'sam'
    details: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class StaffForward(Base):
    """A customer's support message as the bot posted it in a staff chat: only a reply to one
    of these answers that ticket (anything else in the chat is staff chatter)."""

    __tablename__ = "staff_forwards"

    room: Mapped[str] = mapped_column(String(64), primary_key=True)  # the staff chat's id
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # the bot's message there
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("support_tickets.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


__all__ = [
    "ChatLink",
    "Conversation",
    "InboxUpdate",
    "OutboxMessage",
    "ProcessedUpdate",
    "StaffAudit",
    "StaffForward",
    "SupportMessage",
    "SupportTicket",
    "UtcDateTime",
    "utcnow",
]

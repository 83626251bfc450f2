"""The staff workspace's tables: a topic per customer, message pairs, waits (for the SLA and
the answer times), closings (with the customer's rating), and the FAQ in the database
(entries, texts per language, ways of asking) with staff's saved replies.

Migration ``0009_workspace``. Used through SQLAlchemy Core by the stores of this package.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.db import Base
from storage.models import KEY_LEN, MEMBER_LEN, UtcDateTime

ID_LEN = 64  # a chat's or a message's id on its channel, as text
ACTOR_LEN = 100


class WorkspaceTopic(Base):
    """One staff topic per customer (their conversation): created once, reused for ever."""

    __tablename__ = "workspace_topics"
    __table_args__ = (UniqueConstraint("room", "thread_id", name="uq_workspace_topics_thread"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_key: Mapped[str] = mapped_column(String(KEY_LEN), unique=True)
    member_id: Mapped[str | None] = mapped_column(String(MEMBER_LEN), nullable=True)
    locale: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(128))
    room: Mapped[str] = mapped_column(String(ID_LEN))  # the staff chat
    thread_id: Mapped[str | None] = mapped_column(
        String(ID_LEN), nullable=True
    )  # None: being created
    status: Mapped[str] = mapped_column(String(16))  # 'creating' | 'open' | 'closed'
    # who is creating the topic on the channel (a token) and until when: a second first
    # message waits for it instead of creating a second topic
    lease_token: Mapped[str | None] = mapped_column(String(36), nullable=True)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    assignee_id: Mapped[str | None] = mapped_column(String(ACTOR_LEN), nullable=True)
    assignee_name: Mapped[str | None] = mapped_column(String(ACTOR_LEN), nullable=True)
    banned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ban_told: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_question: Mapped[str] = mapped_column(Text, default="", server_default="")
    last_answer: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class WorkspacePair(Base):
    """A relayed message and its copy: a customer's message and the bot's copy in the topic
    (``in``), or a staff message and the bot's copy to the customer (``out``)."""

    __tablename__ = "workspace_pairs"
    __table_args__ = (
        UniqueConstraint("customer_chat", "customer_message", name="uq_workspace_pairs_customer"),
        UniqueConstraint("staff_chat", "staff_message", name="uq_workspace_pairs_staff"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("workspace_topics.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(String(8))  # 'in' | 'out'
    customer_chat: Mapped[str] = mapped_column(String(ID_LEN))
    customer_message: Mapped[str] = mapped_column(String(ID_LEN))
    staff_chat: Mapped[str] = mapped_column(String(ID_LEN))
    staff_message: Mapped[str] = mapped_column(String(ID_LEN))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class WorkspaceWait(Base):
    """A customer waiting for a person: from their first unanswered message to the first
    staff answer. At most one open wait per topic."""

    __tablename__ = "workspace_waits"
    __table_args__ = (
        Index(
            "uq_workspace_waits_open",
            "topic_id",
            unique=True,
            sqlite_where=text("answered_at IS NULL"),
            postgresql_where=text("answered_at IS NULL"),
        ),
        Index("ix_workspace_waits_asked", "answered_at", "asked_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("workspace_topics.id", ondelete="CASCADE"))
    asked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class WorkspaceClosing(Base):
    """A topic closed by staff; the customer's rating (1-5) is stored once."""

    __tablename__ = "workspace_closings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("workspace_topics.id", ondelete="CASCADE"), index=True
    )
    closed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    closed_by: Mapped[str] = mapped_column(String(ACTOR_LEN))
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rated_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class FaqEntry(Base):
    """A question of the FAQ: seeded from the catalog (``source`` 'seed', ``slug`` its id
    there) or taught by staff (``/learn``)."""

    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(16))  # 'seed' | 'staff'
    created_by: Mapped[str] = mapped_column(String(ACTOR_LEN), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class FaqText(Base):
    """An entry's question, answer and keywords in one language."""

    __tablename__ = "faq_texts"

    entry_id: Mapped[int] = mapped_column(
        ForeignKey("faq_entries.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text, default="")


class FaqPhrasing(Base):
    """A way of asking an entry, as a customer asked it (taught with ``/learn``)."""

    __tablename__ = "faq_phrasings"
    __table_args__ = (UniqueConstraint("entry_id", "normalized", name="uq_faq_phrasings_text"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("faq_entries.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(String(500))
    added_by: Mapped[str] = mapped_column(String(ACTOR_LEN))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class SavedReply(Base):
    """A staff reply kept under a name (``/save NAME text``), with ``{first_name}``,
    ``{claim}`` parameters filled in when sent."""

    __tablename__ = "saved_replies"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(ACTOR_LEN))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


__all__ = [
    "FaqEntry",
    "FaqPhrasing",
    "FaqText",
    "SavedReply",
    "WorkspaceClosing",
    "WorkspacePair",
    "WorkspaceTopic",
    "WorkspaceWait",
]

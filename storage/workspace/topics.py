"""The staff workspace's topics: one per customer, created once even when two first messages
arrive together (in one process or in two replicas), with their lifecycle (open, closed and
rated, taken, banned), and the waits for a first answer (the SLA). Message pairs:
:mod:`storage.workspace.pairs`.

Creating a topic means asking the channel (``createForumTopic``), which cannot sit inside a
database transaction. So :meth:`TopicStore.claim` inserts the customer's row under a unique
constraint (insert-or-read) holding a *creation lease*: exactly one caller gets ``mine`` and
creates the topic, then :meth:`TopicStore.created` stores its id; everyone else gets
``busy`` and asks again (or ``ready`` once it exists). A creator that dies leaves the lease to
run out; the next caller takes over.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, func, insert, or_, select, update
from sqlalchemy.engine import Row

from states.audit import AuditEntry, StaffNote
from states.session import ConversationKey
from storage.sessions import insert_ignore
from storage.workspace.base import StoreBase, table
from storage.workspace.models import WorkspaceClosing, WorkspaceTopic, WorkspaceWait

CREATE_LEASE = dt.timedelta(seconds=120)  # a creator's time to create the channel's topic (the
# group send limit may queue it); a creator that died blocks that customer at most this long
TopicStatus = Literal["creating", "open", "closed"]
AUDIT_KIND = "topic"


@dataclass(frozen=True, slots=True)
class Topic:
    id: int
    key: ConversationKey
    member_id: str | None
    locale: str
    name: str
    room: str
    thread_id: str | None
    status: TopicStatus
    assignee_id: str | None
    assignee_name: str | None
    banned: bool
    last_question: str
    last_answer: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TopicClaim:
    """``ready``: the topic exists; ``mine``: create it, then :meth:`TopicStore.created` with
    ``token``; ``busy``: someone else is creating it, ask again shortly."""

    kind: Literal["ready", "mine", "busy"]
    topic: Topic
    token: str | None = None


@dataclass(frozen=True, slots=True)
class CustomerTurn:
    """What a customer's message did to their topic."""

    topic: Topic
    relay: bool  # pass it on to staff (False: banned)
    tell_banned: bool  # the banned customer is told, once
    reopened: bool  # the topic was closed and is open again
    wait_started: bool  # nobody was waiting: a new wait for a first answer began


@dataclass(frozen=True, slots=True)
class Wait:
    id: int
    topic: Topic
    asked_at: dt.datetime


class TopicStore(StoreBase):
    """Topics, waits and closings (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._t = table(WorkspaceTopic)
        self._w = table(WorkspaceWait)
        self._c = table(WorkspaceClosing)

    # ---------------------------------------------------------------- creating
    async def claim(
        self,
        key: ConversationKey,
        *,
        room: str,
        name: str,
        locale: str,
        member_id: str | None = None,
        lease: dt.timedelta = CREATE_LEASE,
    ) -> TopicClaim:
        """The customer's topic, or the right to create it (see the module doc)."""
        t, token = self._t, str(uuid.uuid4())

        def write(conn: Connection) -> tuple[str, int]:
            now = self.now()
            row = {
                "customer_key": str(key),
                "member_id": member_id,
                "locale": locale[:16],
                "name": name[:128],
                "room": str(room),
                "thread_id": None,
                "status": "creating",
                "lease_token": token,
                "lease_until": now + lease,
                "created_at": now,
                "updated_at": now,
            }
            conn.execute(insert_ignore(conn.dialect, t, "customer_key"), row)
            found = conn.execute(select(t).where(t.c.customer_key == str(key))).one()
            if found.thread_id is not None:
                return "ready", found.id
            if found.lease_token == token:
                return "mine", found.id
            expired = or_(t.c.lease_until.is_(None), t.c.lease_until < now)
            took = conn.execute(
                update(t)
                .where(
                    t.c.id == found.id,
                    t.c.thread_id.is_(None),
                    t.c.lease_token == found.lease_token,
                    expired,
                )
                .values(lease_token=token, lease_until=now + lease, updated_at=now)
            ).rowcount
            return ("mine" if took == 1 else "busy"), found.id

        kind, topic_id = await self._writer.run(write)
        topic = await self._topic(topic_id)
        return TopicClaim(kind, topic, token if kind == "mine" else None)  # type: ignore[arg-type]

    async def created(self, topic_id: int, token: str, thread_id: str) -> Topic | None:
        """Store the channel's topic id; None when the lease was lost meanwhile (another caller
        took over after it ran out: the topic just created is not used)."""
        t = self._t
        stmt = (
            update(t)
            .where(t.c.id == topic_id, t.c.lease_token == token, t.c.thread_id.is_(None))
            .values(
                thread_id=str(thread_id),
                status="open",
                lease_token=None,
                lease_until=None,
                updated_at=self.now(),
            )
        )
        done = await self._writer.run(lambda conn: conn.execute(stmt).rowcount)
        return await self._topic(topic_id) if done == 1 else None

    async def abandon(self, topic_id: int, token: str) -> None:
        """Creating failed: give the lease up at once (the next message tries again)."""
        t = self._t
        stmt = (
            update(t).where(t.c.id == topic_id, t.c.lease_token == token).values(lease_until=None)
        )
        await self._writer.run(lambda conn: conn.execute(stmt))

    # ---------------------------------------------------------------- reading
    async def get(self, topic_id: int) -> Topic | None:
        rows = await self._read(select(self._t).where(self._t.c.id == topic_id))
        return _topic(rows[0]) if rows else None

    async def for_customer(self, key: ConversationKey) -> Topic | None:
        rows = await self._read(select(self._t).where(self._t.c.customer_key == str(key)))
        return _topic(rows[0]) if rows else None

    async def for_thread(self, room: str, thread_id: str | int) -> Topic | None:
        t = self._t
        rows = await self._read(
            select(t).where(t.c.room == str(room), t.c.thread_id == str(thread_id))
        )
        return _topic(rows[0]) if rows else None

    async def count_open(self) -> int:
        t = self._t
        return int(
            (await self._read(select(func.count()).select_from(t).where(t.c.status == "open")))[0][
                0
            ]
        )

    # ---------------------------------------------------------------- lifecycle
    async def customer_wrote(self, topic_id: int, question: str = "") -> CustomerTurn:
        """A customer's message: a banned customer's is not relayed (told once); a closed
        topic opens again; a wait for a first answer starts unless one runs."""
        t, w = self._t, self._w

        def write(conn: Connection) -> tuple[bool, bool, bool, bool]:
            now = self.now()
            row = conn.execute(select(t).where(t.c.id == topic_id)).one()
            if row.banned:
                if row.ban_told:
                    return False, False, False, False
                conn.execute(
                    update(t).where(t.c.id == topic_id).values(ban_told=True, updated_at=now)
                )
                return False, True, False, False
            changes: dict[str, Any] = {"updated_at": now}
            reopened = row.status == "closed"
            if reopened:
                changes["status"] = "open"
            if question:
                changes["last_question"] = question[:4000]
            conn.execute(update(t).where(t.c.id == topic_id).values(**changes))
            waiting = conn.execute(
                select(w.c.id).where(w.c.topic_id == topic_id, w.c.answered_at.is_(None))
            ).first()
            if waiting is None:
                conn.execute(insert(w).values(topic_id=topic_id, asked_at=now))
            return True, False, reopened, waiting is None

        relay, tell, reopened, started = await self._writer.run(write)
        return CustomerTurn(await self._topic(topic_id), relay, tell, reopened, started)

    async def staff_answered(self, topic_id: int, text: str, note: StaffNote) -> bool:
        """Staff answered in the topic: the wait ends; True when it was the first answer."""
        t, w = self._t, self._w

        def write(conn: Connection) -> bool:
            now = self.now()
            ended = conn.execute(
                update(w)
                .where(w.c.topic_id == topic_id, w.c.answered_at.is_(None))
                .values(answered_at=now)
            ).rowcount
            conn.execute(
                update(t).where(t.c.id == topic_id).values(last_answer=text[:4000], updated_at=now)
            )
            self._audited(conn, AUDIT_KIND, topic_id, note)
            return ended == 1

        return await self._writer.run(write)

    async def close_topic(self, topic_id: int, note: StaffNote) -> bool:
        """Close an open topic (False when it was not open); the customer may rate it."""
        t, w, c = self._t, self._w, self._c

        def write(conn: Connection) -> bool:
            now = self.now()
            if (
                conn.execute(
                    update(t)
                    .where(t.c.id == topic_id, t.c.status == "open")
                    .values(status="closed", updated_at=now)
                ).rowcount
                != 1
            ):
                return False
            conn.execute(
                update(w)
                .where(w.c.topic_id == topic_id, w.c.answered_at.is_(None))
                .values(answered_at=now)
            )
            conn.execute(
                insert(c).values(topic_id=topic_id, closed_at=now, closed_by=note.actor_id[:100])
            )
            self._audited(conn, AUDIT_KIND, topic_id, note)
            return True

        return await self._writer.run(write)

    async def rate(self, topic_id: int, stars: int) -> bool:
        """The customer's rating of the latest closing: stored once (False after that)."""
        if not 1 <= stars <= 5:
            raise ValueError("a rating is 1 to 5 stars")
        c = self._c
        latest = select(func.max(c.c.id)).where(c.c.topic_id == topic_id).scalar_subquery()
        stmt = (
            update(c)
            .where(c.c.id == latest, c.c.rating.is_(None))
            .values(rating=stars, rated_at=self.now())
        )
        return await self._writer.run(lambda conn: conn.execute(stmt).rowcount == 1)

    async def ratings(self, topic_id: int) -> list[int | None]:
        c = self._c
        rows = await self._read(select(c.c.rating).where(c.c.topic_id == topic_id).order_by(c.c.id))
        return [r[0] for r in rows]

    async def take(self, topic_id: int, note: StaffNote) -> Topic:
        t = self._t

        def write(conn: Connection) -> None:
            conn.execute(
                update(t)
                .where(t.c.id == topic_id)
                .values(
                    assignee_id=note.actor_id[:100],
                    assignee_name=note.actor_name[:100],
                    updated_at=self.now(),
                )
            )
            self._audited(conn, AUDIT_KIND, topic_id, note)

        await self._writer.run(write)
        return await self._topic(topic_id)

    async def set_banned(self, topic_id: int, banned: bool, note: StaffNote) -> bool:
        """Ban or unban; False when it already was so (nothing recorded)."""
        t = self._t

        def write(conn: Connection) -> bool:
            changed = (
                conn.execute(
                    update(t)
                    .where(t.c.id == topic_id, t.c.banned != banned)
                    .values(banned=banned, ban_told=False, updated_at=self.now())
                ).rowcount
                == 1
            )
            if changed:
                self._audited(conn, AUDIT_KIND, topic_id, note)
            return changed

        return await self._writer.run(write)

    # ---------------------------------------------------------------- SLA
    async def overdue(self, older_than: dt.timedelta, limit: int = 100) -> list[Wait]:
        """Open waits asked before ``now - older_than`` and not reminded yet, oldest first."""
        t, w = self._t, self._w
        cutoff = self.now() - older_than
        stmt = (
            select(w.c.id.label("wait_id"), w.c.asked_at.label("wait_asked"), t)
            .join(t, t.c.id == w.c.topic_id)
            .where(
                w.c.answered_at.is_(None),
                w.c.reminded_at.is_(None),
                w.c.asked_at < cutoff,
                t.c.status == "open",
                t.c.banned.is_(False),
            )
            .order_by(w.c.asked_at)
            .limit(limit)
        )
        return [Wait(r.wait_id, _topic(r), r.wait_asked) for r in await self._read(stmt)]

    async def mark_reminded(self, wait_id: int) -> bool:
        """True for the one caller that marks it (one reminder per wait, across replicas)."""
        w = self._w
        stmt = (
            update(w)
            .where(w.c.id == wait_id, w.c.reminded_at.is_(None))
            .values(reminded_at=self.now())
        )
        return await self._writer.run(lambda conn: conn.execute(stmt).rowcount == 1)

    async def answer_times(self, since: dt.datetime) -> list[dt.timedelta]:
        """How long each wait answered since ``since`` took."""
        w = self._w
        rows = await self._read(
            select(w.c.asked_at, w.c.answered_at).where(w.c.answered_at >= since)
        )
        return [r.answered_at - r.asked_at for r in rows]

    async def history(self, topic_id: int) -> list[AuditEntry]:
        """Who did what in the topic (answer, close, take, ban...), oldest first."""
        return await self._trail(AUDIT_KIND, topic_id)

    async def _topic(self, topic_id: int) -> Topic:
        topic = await self.get(topic_id)
        if topic is None:  # pragma: no cover - rows are never deleted
            raise LookupError(f"workspace topic {topic_id}")
        return topic


def _topic(r: Row[Any]) -> Topic:
    m = r._mapping
    return Topic(
        id=m["id"],
        key=ConversationKey.parse(m["customer_key"]),
        member_id=m["member_id"],
        locale=m["locale"],
        name=m["name"],
        room=m["room"],
        thread_id=m["thread_id"],
        status=m["status"],
        assignee_id=m["assignee_id"],
        assignee_name=m["assignee_name"],
        banned=bool(m["banned"]),
        last_question=m["last_question"],
        last_answer=m["last_answer"],
        created_at=m["created_at"],
    )


__all__ = [
    "CREATE_LEASE",
    "CustomerTurn",
    "Topic",
    "TopicClaim",
    "TopicStatus",
    "TopicStore",
    "Wait",
]

"""Which member each chat user is logged in as, and who blocked the bot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from states.session import ConversationKey
from storage.db import Worker
from storage.lean import Lean, LeanIn, keys_in
from storage.links.base import WriterOwner, table_of
from storage.models import ChatLink, MemberLocale, utcnow
from storage.sessions import Batcher

#: keys per read of many chats' members (a turn's check reads its chat's link; under load the
#: lookups of concurrent turns share one statement): at most this many statements are made
LEAN_KEYS = 100


@dataclass(frozen=True, slots=True)
class LinkInfo:
    key: ConversationKey
    member_id: str | None
    blocked: bool
    locale: str
    updated_at: dt.datetime


class LinkStore(WriterOwner):
    """Which member each chat user is logged in as (at most one), and who blocked the bot."""

    def __init__(
        self, engine: AsyncEngine, *, writer: Batcher | None = None, reads: Worker | None = None
    ) -> None:
        super().__init__(engine, writer, reads)
        t = self._t = table_of(ChatLink)
        self._prefs = table_of(MemberLocale)
        # member_for runs on every turn of a logged-in customer: concurrent lookups share one
        # hop and one statement (SELECT ... IN), like the session store's loads
        self._lookups = Batcher(engine, write=False)
        # one key (one customer in flight, the check before each send): no expanding IN, whose
        # parameters are re-rendered at each execution (26 vs 44-72 us a lookup), and on
        # SQLite's own cursor (storage/lean.py: 6 us)
        self._member = Lean(
            select(t.c.member_id).where(t.c.conversation_key == bindparam("key")), engine.dialect
        )
        # many keys: ... IN (?, ..., ?), one statement per number of keys, made once each
        self._members_in = LeanIn(
            lambda n: select(t.c.conversation_key, t.c.member_id).where(
                t.c.conversation_key.in_(keys_in(n))
            ),
            engine.dialect,
            most=LEAN_KEYS,
        )

    async def close(self) -> None:
        await self._lookups.close()
        await super().close()

    async def link(self, member_id: str, key: ConversationKey, locale: str = "en") -> None:
        """Log the chat user in as ``member_id`` (replaces any previous member; unblocks)."""
        await self._upsert(key, {"member_id": member_id, "locale": locale, "blocked": False})

    async def set_locale(self, key: ConversationKey, locale: str) -> None:
        """The customer chose a language: notifications to this chat use it."""
        await self._upsert(key, {"locale": locale})

    async def set_member_locale(self, member_id: str, locale: str) -> None:
        """The member chose a language: chats they log in to later speak it too."""
        p = self._prefs
        row = {"member_id": member_id, "locale": locale, "updated_at": utcnow()}
        name = self._engine.dialect.name

        def write(conn: Connection) -> None:
            if name in ("sqlite", "postgresql"):
                ins = (sqlite if name == "sqlite" else postgresql).insert(p).values(**row)
                conn.execute(ins.on_conflict_do_update(index_elements=["member_id"], set_=row))
                return
            where = p.c.member_id == member_id
            if conn.execute(update(p).where(where).values(**row)).rowcount == 0:
                conn.execute(insert(p).values(**row))

        await self._writer.run(write)

    async def member_locale(self, member_id: str) -> str | None:
        """The language the member chose, if they ever chose one."""
        p = self._prefs
        rows = await self._read(select(p.c.locale).where(p.c.member_id == member_id))
        return str(rows[0].locale) if rows else None

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
        return await self._lookups.submit(self._members_many, str(key))

    def _members_many(self, conn: Connection, keys: list[str], careful: bool) -> list[str | None]:
        if len(keys) == 1:
            return [self._member.first(conn, {"key": keys[0]})]
        found: dict[str, str | None] = {}
        for lean, params in self._members_in.chunks(list(dict.fromkeys(keys))):
            found.update((key, member_id) for key, member_id in lean.rows(conn, params))
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

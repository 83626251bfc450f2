"""``storage.lean.Lean``: a hot statement on SQLite's own cursor stores and reads exactly what
``Connection.execute`` would, in the caller's transaction, and refuses what it cannot run."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Connection, bindparam, insert, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine

from states.session import ConversationKey, Session
from storage.db import Worker
from storage.lean import Lean, LeanIn, keys_in
from storage.links import LinkStore
from storage.links.base import table_of
from storage.links.link_store import LEAN_KEYS
from storage.models import ChatLink, Conversation, MemberLocale
from storage.sessions import SqlSessionStore, StaleSession, insert_ignore

TAIPEI = dt.timezone(dt.timedelta(hours=8))
MOMENTS = [
    dt.datetime(2026, 12, 7, 9, 30, 1, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 7, 17, 30, 1, 5, tzinfo=TAIPEI),  # stored as 09:30:01.000005 UTC
    dt.datetime(2026, 12, 7, 9, 30),  # naive: taken as UTC
]


def conversation(key: str, at: dt.datetime) -> dict[str, Any]:
    return {
        "key": key,
        "channel": "telegram",
        "chat_id": "1",
        "user_id": "1",
        "state": "menu",
        "member_id": None,
        "data": '{"v":2,"state":"menu","text":"héllo 🎁"}',
        "version": 1,
        "updated_at": at,
    }


async def test_a_row_written_lean_is_stored_as_connection_execute_stores_it(
    db: AsyncEngine,
) -> None:
    t = table_of(Conversation)
    lean = Lean(insert_ignore(db.dialect, t, "key"), db.dialect)
    assert lean.raw
    worker = Worker(db)

    def write(conn: Connection) -> list[Any]:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        counts = []
        for n, at in enumerate(MOMENTS):
            counts.append(lean.rowcount(conn, conversation(f"lean:{n}", at)))
            conn.execute(insert(t), conversation(f"core:{n}", at))
        counts.append(lean.rowcount(conn, conversation("lean:0", MOMENTS[0])))  # (ignored)
        conn.commit()
        return counts

    def stored(conn: Connection) -> dict[str, tuple[Any, ...]]:
        rows = conn.exec_driver_sql("SELECT key, updated_at, data, member_id FROM conversations")
        return {row[0]: tuple(row[1:]) for row in rows}

    def typed(conn: Connection) -> dict[str, dt.datetime]:
        return {row.key: row.updated_at for row in conn.execute(select(t.c.key, t.c.updated_at))}

    try:
        assert await worker.run(write) == [1, 1, 1, 0]
        raw = await worker.run(stored)
        back = await worker.run(typed)
    finally:
        await worker.close()
    for n, at in enumerate(MOMENTS):
        assert raw[f"lean:{n}"] == raw[f"core:{n}"]  # the same text in the file
        utc = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
        assert back[f"lean:{n}"] == utc  # and read back as the same moment


async def test_a_session_saved_lean_keeps_its_version_check(db: AsyncEngine) -> None:
    """The save is an UPDATE ... WHERE version = ? on the raw cursor: a stale copy still fails."""
    store = SqlSessionStore(db, cache_size=0)
    key = ConversationKey("telegram", "5", "5")
    try:
        first = Session(key=key, state="menu")
        await store.save(first)
        mine = await store.load(key)
        theirs = await store.load(key)
        assert mine is not None and theirs is not None
        mine.state = "faq"
        await store.save(mine)
        theirs.state = "status"
        with pytest.raises(StaleSession):
            await store.save(theirs)
        again = await store.load(key)
        assert again is not None and again.state == "faq" and again.version == 2
        await store.delete(key)
        assert await store.load(key) is None
    finally:
        await store.close()


@pytest.mark.parametrize("chats", [1, 2, LEAN_KEYS, LEAN_KEYS * 2 + 7])
async def test_many_chats_links_read_in_one_go(db: AsyncEngine, chats: int) -> None:
    links = LinkStore(db)
    keys = [ConversationKey("telegram", str(n), str(n)) for n in range(chats + 3)]
    try:
        for n, key in enumerate(keys[:chats]):
            await links.link(f"member-{n}", key)
        await links.unlink(keys[0])
        read = links._members_many  # noqa: SLF001  (what the batched lookups run)
        worker = Worker(db)
        try:
            wanted = [str(k) for k in reversed(keys)] + [str(keys[-1])]  # unknown, repeated
            found = await worker.run(lambda conn: read(conn, wanted, False))
        finally:
            await worker.close()
        expected = {str(k): f"member-{n}" for n, k in enumerate(keys[:chats]) if n > 0}
        assert found == [expected.get(k) for k in wanted]
        last = keys[chats - 1]  # alone: the one-key read
        assert await links.member_for(last) == expected.get(str(last))
    finally:
        await links.close()


async def test_what_it_cannot_run_on_the_cursor_is_refused(db: AsyncEngine) -> None:
    links = table_of(ChatLink)
    expanding = select(links.c.member_id).where(
        links.c.conversation_key.in_(bindparam("keys", expanding=True))
    )
    with pytest.raises(ValueError, match="positional"):
        Lean(expanding, db.dialect)
    stamped = select(links.c.member_id, links.c.updated_at).where(
        links.c.conversation_key == bindparam("key")
    )
    with pytest.raises(ValueError, match="updated_at"):  # it would come back as text
        Lean(stamped, db.dialect)
    # no column defaults on the cursor: a value left out is an error, not a default
    lean = Lean(insert(links), db.dialect)
    row = {"conversation_key": "telegram:1:1", "member_id": None, "locale": "en"}
    row["updated_at"] = MOMENTS[0]
    worker = Worker(db)

    def write(values: dict[str, Any]) -> Any:
        def unit(conn: Connection) -> int:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            count = lean.rowcount(conn, values)
            conn.commit()
            return count

        return worker.run(unit)

    try:
        with pytest.raises(KeyError, match="blocked"):
            await write(row)
        assert await write({**row, "blocked": False}) == 1
        with pytest.raises(RuntimeError, match="inside a transaction"):  # (no commit would
            await worker.run(lambda conn: lean.rowcount(conn, row))  # cover it, nor a rollback)
        count = "SELECT count(*) FROM chat_links"
        assert await worker.run(lambda conn: conn.exec_driver_sql(count).scalar()) == 1
    finally:
        await worker.close()
    assert Lean(insert(table_of(MemberLocale)), db.dialect).raw


def test_other_databases_run_it_through_sqlalchemy() -> None:
    links = table_of(ChatLink)
    stmt = select(links.c.member_id).where(links.c.conversation_key == bindparam("key"))
    lean = Lean(stmt, postgresql.asyncpg.dialect())  # type: ignore[attr-defined]
    assert not lean.raw and lean.sql == ""


async def test_an_in_memory_database_runs_them_through_sqlalchemy() -> None:
    """In memory, the worker runs units through aiosqlite's ``run_sync``: the same stores
    work there, their statements through ``Connection.execute``."""
    from storage.db import make_engine

    engine = make_engine("sqlite+aiosqlite://")
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: Conversation.metadata.create_all(sync))
    store = SqlSessionStore(engine, cache_size=0)
    links = LinkStore(engine)
    key = ConversationKey("telegram", "9", "9")
    try:
        await store.save(Session(key=key, state="menu"))
        stale = await store.load(key)
        mine = await store.load(key)
        assert mine is not None and stale is not None
        mine.state = "faq"
        await store.save(mine)
        with pytest.raises(StaleSession):
            await store.save(stale)
        await links.link("member-9", key)
        assert await links.member_for(key) == "member-9"
    finally:
        await links.close()
        await store.close()
        await engine.dispose()


def test_a_list_of_keys_is_run_in_chunks_of_statements_made_once(db: AsyncEngine) -> None:
    links = table_of(ChatLink)
    made: list[int] = []

    def build(n: int) -> Any:
        made.append(n)
        return select(links.c.member_id).where(links.c.conversation_key.in_(keys_in(n)))

    lean_in = LeanIn(build, db.dialect, most=3)
    chunks = list(lean_in.chunks(["a", "b", "c", "d", "e", "f", "g"], {"x": 1}))
    assert [params for _, params in chunks] == [
        {"x": 1, "k0": "a", "k1": "b", "k2": "c"},
        {"x": 1, "k0": "d", "k1": "e", "k2": "f"},
        {"x": 1, "k0": "g"},
    ]
    assert chunks[0][0] is chunks[1][0] and made == [3, 1]  # one statement per length, once
    assert list(lean_in.chunks([])) == []
    with pytest.raises(ValueError, match="keys' parameters"):  # would be overwritten silently
        list(lean_in.chunks(["a"], {"k0": "mine"}))
    for wrong in (0, 4):
        with pytest.raises(ValueError, match="keys a statement"):
            lean_in.of(wrong)

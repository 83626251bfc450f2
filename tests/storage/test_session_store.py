"""SqlSessionStore: round trip, restart, optimistic versions, group commit, close."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from states.session import ConversationKey, Session
from storage.db import make_engine
from storage.sessions import Batcher, SessionStore, SqlSessionStore, StaleSession


def key(n: int = 1) -> ConversationKey:
    return ConversationKey("telegram", str(1000 + n), str(1000 + n))


def filled(n: int = 1) -> Session:
    session = Session(key(n), state="claim_serial", member_id=f"m{n}", locale="de")
    session.form("claim")["serial"] = "AB1234567"
    session.form("claim")["items"] = [{"model": "RTX 4090", "qty": 1}]
    session.resume = "claim_invoice"
    session.seq = 7
    session.remember("u1")
    session.scratch["note"] = "ü ✓"
    return session


async def rows(engine: AsyncEngine, sql: str) -> list[tuple]:
    async with engine.connect() as conn:
        return [tuple(r) for r in await conn.execute(text(sql))]


async def test_is_a_session_store(db: AsyncEngine) -> None:
    store = SqlSessionStore(db)
    assert isinstance(store, SessionStore)
    await store.close()


@pytest.mark.parametrize("cache_size", [0, 16])
async def test_round_trip(db: AsyncEngine, cache_size: int) -> None:
    store = SqlSessionStore(db, cache_size=cache_size)
    assert await store.load(key()) is None
    session = filled()
    await store.save(session)
    assert session.version == 1
    loaded = await store.load(key())
    assert loaded is not None and loaded is not session
    assert (loaded.state, loaded.member_id, loaded.locale) == ("claim_serial", "m1", "de")
    assert loaded.forms == session.forms and loaded.recent == ["u1"]
    assert (loaded.resume, loaded.seq, loaded.scratch, loaded.version) == (
        "claim_invoice",
        7,
        {"note": "ü ✓"},
        1,
    )
    loaded.state = "menu"
    await store.save(loaded)
    assert loaded.version == 2
    fresh = await store.load(key(), fresh=True)
    assert fresh is not None and (fresh.state, fresh.version) == ("menu", 2)
    assert await rows(
        db, "SELECT key, channel, chat_id, user_id, state, member_id, version FROM conversations"
    ) == [(str(key()), "telegram", "1001", "1001", "menu", "m1", 2)]
    await store.close()


async def test_loaded_sessions_are_independent_copies(db: AsyncEngine) -> None:
    store = SqlSessionStore(db)
    await store.save(filled())
    first = await store.load(key())
    assert first is not None
    first.form("claim")["serial"] = "changed, not saved"
    second = await store.load(key())
    assert second is not None and second.form("claim")["serial"] == "AB1234567"
    await store.close()


async def test_restart_sees_committed_state(db_url: str) -> None:
    engine = make_engine(db_url)
    store = SqlSessionStore(engine)
    session = filled()
    await store.save(session)
    session.state = "claim_invoice"
    await store.save(session)
    await store.close()
    await engine.dispose()

    engine = make_engine(db_url)
    store = SqlSessionStore(engine)
    again = await store.load(key())
    assert again is not None and (again.state, again.version) == ("claim_invoice", 2)
    again.seq += 1
    await store.save(again)  # carries on where the old process stopped
    assert again.version == 3
    await store.close()
    await engine.dispose()


async def test_stale_version_raises_and_reload_recovers(db: AsyncEngine) -> None:
    store = SqlSessionStore(db)
    await store.save(filled())
    a = await store.load(key())
    b = await store.load(key())
    assert a is not None and b is not None
    a.state = "menu"
    await store.save(a)
    b.state = "faq"
    with pytest.raises(StaleSession) as caught:
        await store.save(b)
    assert caught.value.key == key()
    again = await store.load(key())
    assert again is not None and (again.state, again.version) == ("menu", 2)
    await store.save(again)
    await store.close()


async def test_two_processes_conflict_even_with_caches(db_url: str) -> None:
    """Two engines on one file stand for two processes; each caches what it saw."""
    engine_a, engine_b = make_engine(db_url), make_engine(db_url)
    store_a, store_b = SqlSessionStore(engine_a), SqlSessionStore(engine_b)
    await store_a.save(filled())
    seen_by_b = await store_b.load(key())
    assert seen_by_b is not None and seen_by_b.version == 1

    moved = await store_a.load(key())
    assert moved is not None
    moved.state = "menu"
    await store_a.save(moved)  # version 2, behind B's back

    stale = await store_b.load(key())  # B's cache still has version 1
    assert stale is not None
    stale.state = "faq"
    with pytest.raises(StaleSession):
        await store_b.save(stale)
    current = await store_b.load(key())  # after a conflict, B reads the database
    assert current is not None and (current.state, current.version) == ("menu", 2)
    current.state = "faq"
    await store_b.save(current)
    final = await store_a.load(key(), fresh=True)
    assert final is not None and (final.state, final.version) == ("faq", 3)
    for store in (store_a, store_b):
        await store.close()
    for engine in (engine_a, engine_b):
        await engine.dispose()


async def test_new_session_created_twice_conflicts(db_url: str) -> None:
    engine_a, engine_b = make_engine(db_url), make_engine(db_url)
    store_a, store_b = SqlSessionStore(engine_a), SqlSessionStore(engine_b)
    assert await store_b.load(key()) is None  # B remembers "no such session"
    await store_a.save(Session(key(), state="menu"))
    with pytest.raises(StaleSession):
        await store_b.save(Session(key(), state="faq"))
    current = await store_b.load(key())
    assert current is not None and current.state == "menu"
    for store in (store_a, store_b):
        await store.close()
    for engine in (engine_a, engine_b):
        await engine.dispose()


async def test_concurrent_saves_of_one_version_only_one_wins(db: AsyncEngine) -> None:
    store = SqlSessionStore(db)
    await store.save(filled())
    copies = [await store.load(key()) for _ in range(5)]
    others = [filled(n) for n in range(2, 40)]
    results = await asyncio.gather(
        *(store.save(s) for s in [*copies, *others] if s is not None), return_exceptions=True
    )
    stale = [r for r in results if isinstance(r, StaleSession)]
    assert len(stale) == 4 and results.count(None) == 1 + len(others)
    assert store.writer.reruns >= 1  # the optimistic batch failed and was redone carefully
    assert await rows(db, "SELECT count(*), max(version) FROM conversations") == [(39, 2)]
    await store.close()


async def test_group_commit_500_concurrent_saves(db_url: str) -> None:
    engine = make_engine(db_url)
    store = SqlSessionStore(engine)
    sessions = [filled(n) for n in range(500)]
    await asyncio.gather(*(store.save(s) for s in sessions))
    assert all(s.version == 1 for s in sessions)
    for s in sessions:
        s.state = "menu"
    await asyncio.gather(*(store.save(s) for s in sessions))
    assert store.writer.batches < 100 and store.writer.items == 1000  # batched
    await store.close()
    await engine.dispose()

    engine = make_engine(db_url)  # a new process sees every one of them
    assert await rows(
        engine,
        "SELECT count(*), min(version), max(version), min(state), max(state) FROM conversations",
    ) == [(500, 2, 2, "menu", "menu")]
    await engine.dispose()


async def test_delete(db: AsyncEngine) -> None:
    store = SqlSessionStore(db)
    await store.save(filled())
    await store.delete(key())
    assert await store.load(key()) is None
    assert await store.load(key(), fresh=True) is None
    restart = Session(key())
    await store.save(restart)
    assert restart.version == 1
    await store.close()


async def test_close_flushes_pending_saves_then_refuses(db: AsyncEngine) -> None:
    store = SqlSessionStore(db)
    pending = [asyncio.create_task(store.save(filled(n))) for n in range(50)]
    await asyncio.sleep(0)  # they are queued, not yet committed
    await store.close()
    await asyncio.gather(*pending)
    assert await rows(db, "SELECT count(*) FROM conversations") == [(50,)]
    with pytest.raises(RuntimeError):
        await store.save(filled(99))


async def test_shared_writer_isolates_a_failing_job(db: AsyncEngine) -> None:
    writer = Batcher(db)
    store = SqlSessionStore(db, writer=writer)

    def broken(conn: Connection) -> None:
        conn.execute(text("INSERT INTO no_such_table VALUES (1)"))

    saves = [store.save(filled(n)) for n in range(20)]
    results = await asyncio.gather(
        *saves[:10], writer.run(broken), *saves[10:], return_exceptions=True
    )
    assert [type(r).__name__ for r in results].count("OperationalError") == 1
    assert results.count(None) == 20
    assert await rows(db, "SELECT count(*) FROM conversations") == [(20,)]
    await store.close()
    await writer.close()

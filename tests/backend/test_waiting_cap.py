"""The review queue's count of waiting claims, capped (issue 9): exact up to the cap, ``cap +
1`` ("more than cap") past it, on the local desk and over HTTP (an older server that counts
them all included); and every query of the queue's first page reads an index range: no scan
of the claims, no sort of the queue."""

from __future__ import annotations

import argparse
import io
import sqlite3
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import event
from sqlalchemy.engine import Engine

from backend.http import HttpBackend
from backend.port import ClaimRequest, RejectReason
from backend.staff_cli import Tools, add_review_parser, run_review
from handlers.i18n import Catalog
from handlers.staff import StaffIdentity, StaffPolicy, StaffRoom
from tests.backend.conftest import TOKEN, Env, product_data, recipient, sign_up_data, signed_up

AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def waiting(backend: Any, count: int) -> list[str]:
    """``count`` claims under review, one member each (the same instant: a frozen clock)."""
    ids = []
    for _ in range(count):
        member = await signed_up(backend, sign_up_data())
        product = await backend.register_product(member.id, product_data())
        request = ClaimRequest("open", product.id, "sha256:sn", recipient())
        ids.append((await backend.submit_claim(member.id, request, "k")).id)
    return ids


async def test_count_is_exact_up_to_the_cap_then_cap_plus_one(backend) -> None:
    assert await backend.waiting_count(3) == 0
    ids = await waiting(backend, 4)
    assert await backend.waiting_count() == 4  # no cap: all of them
    assert await backend.waiting_count(4) == 4  # exact at the cap
    assert await backend.waiting_count(5) == 4
    assert await backend.waiting_count(3) == 4  # 3 + 1: more than 3
    assert await backend.waiting_count(2) == 3  # 2 + 1, never the 4 there are
    assert await backend.waiting_count(0) == 1
    await backend.reject(ids[0], RejectReason.INVOICE_UNREADABLE, "", "ana")
    assert await backend.waiting_count(3) == 3  # a decided claim no longer waits


async def test_the_server_says_when_it_stopped_counting(server, env: Env) -> None:
    await waiting(env.local, 3)
    url = server.make_url("/v1/staff/queue/count")
    async with aiohttp.ClientSession(headers=AUTH) as http:
        async with http.get(url) as resp:  # an older client's call: the same answer as before
            assert (resp.status, await resp.json()) == (200, {"count": 3})
        for cap, body in ((3, {"count": 3, "capped": False}), (2, {"count": 3, "capped": True})):
            async with http.get(url, params={"cap": str(cap)}) as resp:
                assert (resp.status, await resp.json()) == (200, body)
        for bad in ("x", "-1", "100001", ""):
            async with http.get(url, params={"cap": bad}) as resp:
                assert resp.status == 400, bad
                assert (await resp.json())["error"]["params"] == {"field": "cap"}


async def test_a_server_that_counts_everything_is_capped_by_the_client() -> None:
    """A backend from before ``cap`` ignores it and counts all: the client cuts the figure."""
    seen: list[dict[str, str]] = []

    async def count(request: web.Request) -> web.Response:
        seen.append(dict(request.query))
        return web.json_response({"count": 5000})

    app = web.Application()
    app.router.add_get("/v1/staff/queue/count", count)
    srv = TestServer(app, host="127.0.0.1")
    await srv.start_server()
    try:
        async with HttpBackend(str(srv.make_url("")), TOKEN, timeout=5) as client:
            assert await client.waiting_count(1000) == 1001
            assert await client.waiting_count() == 5000
    finally:
        await srv.close()
    assert seen == [{"cap": "1000"}, {}]


def plans(db: str, statements: list[tuple[str, Any]]) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [
            row[3]
            for sql, params in statements
            for row in con.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        ]
    finally:
        con.close()


async def test_the_first_page_reads_index_ranges_only(env: Env, tmp_path) -> None:
    """The page (and the page after a claim) and the capped count: ``EXPLAIN QUERY PLAN``
    on each statement they run. The claims share one ``created_at`` (an import, a coarse
    clock): in id order from the index, not sorted ("USE TEMP B-TREE"), the cursor exact."""
    ids = await waiting(env.local, 5)
    db = str(tmp_path / "backend.db")
    with sqlite3.connect(db) as con:
        con.execute("UPDATE claims SET created_at = (SELECT min(created_at) FROM claims)")
    statements: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if conn.engine.url.database == db:  # the desk's reads run on engines of its own
            statements.append((sql, params))

    event.listen(Engine, "before_cursor_execute", grab)
    try:
        first = await env.local.review_queue(limit=3)
        after = await env.local.review_queue(limit=3, after=first[-1].id)  # the last 2
        assert await env.local.waiting_count(2) == 3
    finally:
        event.remove(Engine, "before_cursor_execute", grab)
    assert [c.id for c in first + after] == sorted(ids)  # one instant: in id order
    found = plans(db, statements)
    assert len(statements) == 4, statements  # the two pages, the cursor's claim, the count
    assert any("ix_claims_status_created_id" in p for p in found), found
    assert not [p for p in found if p.startswith("SCAN claims") or "TEMP B-TREE" in p], found


async def test_queue_and_review_list_run_only_bounded_reads(env: Env, tmp_path) -> None:
    """What staff run, `/queue` in the review room and `review list` on the command line:
    every statement an index range (no scan, no sort), every count of claims ``LIMIT``ed."""
    await waiting(env.local, 4)
    db = str(tmp_path / "backend.db")
    statements: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if conn.engine.url.database == db:
            statements.append((sql, params))

    who = StaffIdentity("telegram", "7", "@anna", room="-1005", kind="user")
    policy = StaffPolicy(room=who.room, allowed=frozenset({who.user_id}))
    room = StaffRoom(env.local, None, Catalog(), policy=policy, waiting_cap=2)
    parser = argparse.ArgumentParser()
    add_review_parser(parser.add_subparsers(dest="command"))
    out = io.StringIO()
    event.listen(Engine, "before_cursor_execute", grab)
    try:
        (page,) = await room.handle("/queue", who)
        args = parser.parse_args(["review", "list", "--limit", "1"])
        assert await run_review(args, env.local, out, Tools(waiting_cap=2)) == 0
    finally:
        event.remove(Engine, "before_cursor_execute", grab)
    assert page.text.startswith("2+ claims waiting") and "\n2+ waiting\n" in out.getvalue()
    counts = [sql for sql, _ in statements if "count(" in sql.lower()]
    assert len(counts) == 2 and all("LIMIT" in sql for sql in counts), counts
    found = plans(db, statements)
    assert not [p for p in found if p.startswith("SCAN claims") or "TEMP B-TREE" in p], found

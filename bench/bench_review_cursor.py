"""The review room's pump round with nothing new, at 10 and at 50,000 claims waiting (issue
10: "a round with 50,000 waiting and nothing new costs about what it costs with 10").

    PYTHONPATH=. .venv/bin/python bench/bench_review_cursor.py [--waiting 50000]

Every waiting claim already has its card (the state of a desk that keeps up), so a round
only has to find out that nothing is new. It prints CPU ms (the process's, every thread)
and SQL statements per round, median of many, at 10 and at ``--waiting``, and the ratio
(target: about 1x; the script exits 1 above 2x). For comparison, the reads the round made
before the cursor: the whole queue (``review_queue()``) and a look-up of every card.

The 10 claims are made through the backend; the rest are copies of one of them straight into
SQLite (claim, its entry into review, its posted card): 50,000 sign-ups would take an hour.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from backend.port import ClaimRequest, ProductRegistration, Recipient, SignUp  # noqa: E402
from bot.app import App, build_app  # noqa: E402
from bot.channels.telegram.review_cards import ReviewRoom  # noqa: E402
from bot.config import PACKAGED_PROMOTIONS, Settings  # noqa: E402
from tests.telegram.conftest import SimClock, make_bridge  # noqa: E402

NOW = dt.datetime(2026, 12, 7, 6, tzinfo=dt.UTC)
REVIEW = -1005550000001
STAFF = -1001234567890
STATEMENTS = [0]
RECIPIENT = Recipient(
    "Jamie", "Tester", "10115", "Berlin", "Berlin", "Teststr. 1", "", "+49 30 1234567"
)


def count_statements(*_: Any) -> None:
    STATEMENTS[0] += 1


def settings(tmp: Path) -> Settings:
    promotions = json.loads(PACKAGED_PROMOTIONS.read_text(encoding="utf-8"))
    for p in promotions["promotions"]:
        p["per_member_limit"] = 100_000  # one member holds the 10 claims
    (tmp / "promotions.json").write_text(json.dumps(promotions), encoding="utf-8")
    return Settings(
        _env_file=None,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
        BACKEND_DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'backend.db'}",
        MEDIA_DIR=str(tmp / "media"),
        SECRET_KEY_FILE=str(tmp / "secret.key"),
        PROMOTIONS_FILE=str(tmp / "promotions.json"),
        STAFF_CHAT_ID=str(STAFF),
        REVIEW_CHAT_ID=str(REVIEW),
        LOG_LEVEL="WARNING",
    )


async def ten_claims(app: App) -> None:
    data = SignUp(
        email="bench@example.com",
        password="correct horse battery",
        first_name="Jamie",
        last_name="Tester",
        region="Germany",
        phone="+49 30 1234567",
        newsletter=False,
        reward_program=False,
        privacy_consent=True,
    )
    challenge = await app.backend.sign_up(data)
    member = await app.backend.verify_code(challenge.id, challenge.code)
    for i in range(10):
        product = await app.backend.register_product(
            member.id,
            ProductRegistration(
                category="Motherboard",
                product_name="MEG Z890 ACE",
                model="E96-0R1",
                serial=f"BA3T{i:07d}V",
                chk="123",
                region="Germany",
                store="Computer Shop",
                purchase_date=dt.date(2025, 2, 10),
                channel="retail",
                invoice=f"sha256:invoice{i}",
            ),
        )
        request = ClaimRequest("levelup", product.id, "sha256:sn", RECIPIENT)
        await app.backend.submit_claim(member.id, request, f"k{i}")


def copy_row(con: sqlite3.Connection, table: str, where: str) -> tuple[list[str], tuple]:
    cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
    row = con.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where} LIMIT 1").fetchone()
    return cols, row


def insert(con: sqlite3.Connection, table: str, cols: list[str], rows: list[list[Any]]) -> None:
    marks = ", ".join("?" * len(cols))
    con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", rows)


def fill(tmp: Path, count: int) -> None:
    """``count`` more waiting claims, each with its entry into review, and every waiting
    claim's card posted; the room's cursor at the last entry (a desk that keeps up)."""
    con = sqlite3.connect(tmp / "backend.db")
    cols, src = copy_row(con, "claims", "status = 'under_review'")
    ecols, esrc = copy_row(con, "claim_events", "status = 'under_review'")
    claims, events = [], []
    for _ in range(count):
        values = list(src)
        claim_id = str(uuid.uuid4())
        values[cols.index("id")] = claim_id
        values[cols.index("product_id")] = str(uuid.uuid4())
        values[cols.index("idempotency_key")] = str(uuid.uuid4())
        claims.append(values)
        entry = list(esrc)
        entry[ecols.index("seq")] = None  # numbered by SQLite, in order
        entry[ecols.index("id")] = str(uuid.uuid4())
        entry[ecols.index("claim_id")] = claim_id
        events.append(entry)
    insert(con, "claims", cols, claims)
    insert(con, "claim_events", ecols, events)
    con.commit()
    waiting = con.execute(
        "SELECT id, attempts FROM claims WHERE status = 'under_review'"
    ).fetchall()
    (last,) = con.execute(
        "SELECT max(seq) FROM claim_events WHERE status = 'under_review'"
    ).fetchone()
    con.close()
    bot = sqlite3.connect(tmp / "bot.db")
    at = NOW.isoformat(" ")
    bot.execute("DELETE FROM review_cards")
    bot.execute("DELETE FROM review_cursors")
    insert(
        bot,
        "review_cards",
        ["claim_id", "attempt", "room", "message_id", "taken_at", "posted_at"],
        [[c, a, str(REVIEW), str(n + 1), at, at] for n, (c, a) in enumerate(waiting)],
    )
    insert(bot, "review_cursors", ["room", "seq", "at"], [[str(REVIEW), last, at]])
    bot.commit()
    bot.close()


class Desk:
    """One bot with ``waiting`` claims waiting, every card posted."""

    def __init__(self, waiting: int) -> None:
        self.waiting = waiting
        self.tmp = Path(tempfile.mkdtemp(prefix="review-cursor-"))

    async def open(self) -> None:
        self.app = await build_app(settings(self.tmp), clock=lambda: NOW)
        self.bridge = make_bridge(self.app, SimClock(), staff_chat_id=STAFF)
        await ten_claims(self.app)
        fill(self.tmp, self.waiting - 10)
        assert self.bridge.review is not None
        self.room: ReviewRoom = self.bridge.review
        self.bridge.outgoing.port = object()  # type: ignore[assignment]  # nothing is sent
        assert await self.app.desk.waiting_count() == self.waiting

    async def close(self) -> None:
        await self.bridge.stop()
        await self.app.close()

    async def round(self) -> None:
        assert await self.room.post_new_cards() == 0  # nothing new: nothing posted

    async def whole_queue(self) -> None:
        """The reads of a round before the cursor: the whole queue, then its cards."""
        queue = await self.app.desk.review_queue()
        await self.room.store.known((c.id, c.attempts) for c in queue)


async def timed(step: Callable[[], Awaitable[Any]]) -> tuple[float, int]:
    STATEMENTS[0] = 0
    t0 = time.process_time()
    await step()
    return (time.process_time() - t0) * 1000, STATEMENTS[0]


async def compare(
    small: Desk, large: Desk, step: Callable[[Desk], Awaitable[Any]], runs: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median CPU ms and statements of ``step`` on each desk, the runs interleaved (so a
    change of the machine's load hits both alike), after a few rounds to warm up."""
    for _ in range(3):
        await step(small)
        await step(large)
    got: dict[int, list[tuple[float, int]]] = {0: [], 1: []}
    for _ in range(runs):
        for n, desk in enumerate((small, large)):
            got[n].append(await timed(lambda desk=desk: step(desk)))
    return tuple(  # type: ignore[return-value]
        (statistics.median(c for c, _ in got[n]), statistics.median(s for _, s in got[n]))
        for n in (0, 1)
    )


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--waiting", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=301)
    args = parser.parse_args()
    event.listen(Engine, "before_cursor_execute", count_statements)
    small, large = Desk(10), Desk(args.waiting)
    await small.open()
    await large.open()
    try:
        rows = {
            "round (cursor)": await compare(small, large, Desk.round, args.runs),
            "whole queue + cards (before)": await compare(
                small, large, Desk.whole_queue, max(3, args.runs // 50)
            ),
        }
    finally:
        await small.close()
        await large.close()
    print(f"{'step':<30} {'10 ms':>8} {args.waiting:>8,} ms {'ratio':>8} {'SQL':>9}")
    for name, ((c1, s1), (c2, s2)) in rows.items():
        ratio = c2 / c1 if c1 else float("nan")
        print(f"{name:<30} {c1:>8.2f} {c2:>11.2f} {ratio:>7.2f}x {s1:>4.0f}/{s2:<4.0f}")
    (c1, _), (c2, _) = rows["round (cursor)"]
    return 1 if c2 > 2 * c1 else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

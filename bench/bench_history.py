"""Costs that must not grow with a member's history or the review queue (issue 9).

    python bench/bench_history.py [--products 1000] [--claims 500] [--waiting 50000]

Per step it prints CPU ms (the process's, every thread: what holds on a shared machine), the
SQL statements run (bot and backend databases) and the reply's length, at a small and at a
large history, and the ratio. The steps: /products with 1 and 1,000 registered products
(half of them bought before every promotion, so the list says why not) and with 1 and 500
claims, /status with 1 and 500 claims, /redeem up to its first question with 1 and 1,000
products (half redeemable) and with 1 and 500 claims (nothing left to redeem), and the
staff's first page of `review list` with 10 and 50,000 claims waiting (plus its peak Python
memory, tracemalloc). Targets: large <= 2x small.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from backend.port import ClaimRequest, ProductRegistration, Recipient, SignUp  # noqa: E402
from backend.staff_cli import add_review_parser, run_review  # noqa: E402
from bot.app import App, build_app  # noqa: E402
from bot.config import PACKAGED_PROMOTIONS, Settings  # noqa: E402
from handlers.io import CommandIn, Event, TextIn  # noqa: E402
from states import ConversationKey  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"
STATEMENTS = [0]


def count_statements(*_: Any) -> None:
    STATEMENTS[0] += 1


def settings(tmp: Path) -> Settings:
    # one promotion with a high per-member limit, so one member can hold 500 claims
    promotions = json.loads(PACKAGED_PROMOTIONS.read_text(encoding="utf-8"))
    for p in promotions["promotions"]:
        p["per_member_limit"] = 100_000
    (tmp / "promotions.json").write_text(json.dumps(promotions), encoding="utf-8")
    return Settings(
        _env_file=None,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        BACKEND_DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'backend.db'}",
        MEDIA_DIR=str(tmp / "media"),
        SECRET_KEY_FILE=str(tmp / "secret.key"),
        PROMOTIONS_FILE=str(tmp / "promotions.json"),
        LOG_LEVEL="WARNING",
    )


def registration(n: int, eligible: bool = True) -> ProductRegistration:
    """A motherboard; ``eligible=False``: bought before every promotion (it gets reasons)."""
    return ProductRegistration(
        category="Motherboard",
        product_name=f"MEG Z890 ACE no{n}",
        model="E96-0R1",
        serial=f"BA3T{n:07d}V",
        chk="123",
        region="Germany",
        store="Computer Shop",
        purchase_date=dt.date(2025, 2, 10) if eligible else dt.date(2015, 2, 10),
        channel="retail",
        invoice=f"sha256:invoice{n}",
    )


RECIPIENT = Recipient(
    "Jamie", "Tester", "10115", "Berlin", "Berlin", "Teststr. 1", "", "+49 30 1234567"
)


class Member:
    """One member with ``products`` products, ``claims`` of them claimed, logged in a chat."""

    serials = iter(range(10**6))

    def __init__(self, app: App, name: str) -> None:
        self.app = app
        self.email = f"{name}@example.com"
        self.key = ConversationKey("bench", name, name)
        self.member_id = ""
        self.n = 0

    async def create(self, products: int, claims: int) -> None:
        data = SignUp(
            email=self.email,
            password=PASSWORD,
            first_name="Jamie",
            last_name="Tester",
            region="Germany",
            phone="+49 30 1234567",
            newsletter=False,
            reward_program=False,
            privacy_consent=True,
        )
        challenge = await self.app.backend.sign_up(data)
        member = await self.app.backend.verify_code(challenge.id, challenge.code)
        self.member_id = member.id
        for i in range(products):
            # half of an unclaimed history can't be redeemed: the list then says why not
            eligible = i < claims or i % 2 == 0
            product = await self.app.backend.register_product(
                member.id, registration(next(self.serials), eligible)
            )
            if i < claims:
                request = ClaimRequest("levelup", product.id, "sha256:sn", RECIPIENT)
                await self.app.backend.submit_claim(member.id, request, f"k{i}")
        await self.send(CommandIn("login"))
        await self.send(TextIn(self.email))
        await self.send(TextIn(PASSWORD))

    async def send(self, body: Any) -> str:
        self.n += 1
        outcome = await self.app.engine.handle(
            Event(key=self.key, body=body, event_id=f"{self.key.user_id}-{self.n}")
        )
        return "\n".join(r.text for r in outcome.replies)


async def measure(
    step: Callable[[], Awaitable[str]],
    runs: int = 21,
    after: Callable[[], Awaitable[Any]] | None = None,
) -> tuple[float, float, int]:
    """Median CPU ms and SQL statements of ``step`` over ``runs`` (many: a step is a few ms
    and the machine is shared), and its reply's length; ``after`` runs between the runs, not
    measured (to leave a form the step opened)."""
    cpu, sql = [], []
    text = ""
    for _ in range(runs):
        STATEMENTS[0] = 0
        t0 = time.process_time()
        text = await step()
        cpu.append((time.process_time() - t0) * 1000)
        sql.append(STATEMENTS[0])
        if after is not None:
            await after()
    return statistics.median(cpu), statistics.median(sql), len(text)


async def redeem(member: Member) -> tuple[float, float, int]:
    """/redeem up to its first question (the promotion or the product), /cancel between."""
    return await measure(
        lambda: member.send(CommandIn("redeem")), after=lambda: member.send(CommandIn("cancel"))
    )


def row(name: str, small: tuple[float, float, int], large: tuple[float, float, int]) -> None:
    ratio = large[0] / small[0] if small[0] else float("nan")
    print(
        f"{name:<34} {small[0]:>8.1f} {large[0]:>9.1f} {ratio:>6.2f}x "
        f"{small[1]:>5.0f} {large[1]:>6.0f} {small[2]:>7} {large[2]:>8}"
    )


def fill_queue(db: Path, count: int) -> None:
    """``count`` more claims waiting for review: copies of one waiting claim (straight into
    SQLite: 50,000 sign-ups would take the bench an hour)."""
    con = sqlite3.connect(db)
    cols = [r[1] for r in con.execute("PRAGMA table_info(claims)")]
    src = con.execute(
        f"SELECT {', '.join(cols)} FROM claims WHERE status = 'under_review' LIMIT 1"
    ).fetchone()
    at = cols.index("created_at")
    rows = []
    for i in range(count):
        values = list(src)
        values[cols.index("id")] = str(uuid.uuid4())
        values[cols.index("product_id")] = str(uuid.uuid4())
        values[cols.index("idempotency_key")] = str(uuid.uuid4())
        values[at] = (
            dt.datetime.fromisoformat(str(src[at])) + dt.timedelta(seconds=i + 1)
        ).isoformat(" ")
        rows.append(values)
    con.executemany(
        f"INSERT INTO claims ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows
    )
    con.commit()
    con.close()


async def review_list(app: App) -> str:
    parser = argparse.ArgumentParser()
    add_review_parser(parser.add_subparsers(dest="command"))
    out = io.StringIO()
    await run_review(parser.parse_args(["review", "list"]), app.desk, out)
    return out.getvalue()


async def queue_costs(app: App) -> tuple[float, float, int, float]:
    cpu, sql, chars = await measure(lambda: review_list(app), runs=3)
    tracemalloc.start()
    await review_list(app)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return cpu, sql, chars, peak


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=500)
    parser.add_argument("--waiting", type=int, default=50_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="redeem-history-"))
    app = await build_app(settings(tmp), clock=lambda: NOW)
    event.listen(Engine, "before_cursor_execute", count_statements)
    small, one_open, many_products, many_claims = (
        Member(app, "one"),
        Member(app, "oneopen"),
        Member(app, "many"),
        Member(app, "claims"),
    )
    t0 = time.perf_counter()
    await small.create(products=1, claims=1)
    await one_open.create(products=1, claims=0)
    await many_products.create(products=args.products, claims=0)
    await many_claims.create(products=args.claims, claims=args.claims)
    print(f"set up in {time.perf_counter() - t0:.0f} s (not measured)\n")
    print(
        f"{'step':<34} {'CPU ms':>8} {'CPU ms':>9} {'ratio':>7} {'SQL':>5} {'SQL':>6} "
        f"{'chars':>7} {'chars':>8}"
    )
    print(
        f"{'':<34} {'small':>8} {'large':>9} {'':>7} {'small':>5} {'large':>6} {'small':>7} {'large':>8}"
    )
    products = [
        await measure(lambda m=m: m.send(CommandIn("products"))) for m in (small, many_products)
    ]
    row(f"/products (1 vs {args.products} products)", *products)
    products = [
        await measure(lambda m=m: m.send(CommandIn("products"))) for m in (small, many_claims)
    ]
    row(f"/products (1 vs {args.claims} claims)", *products)
    status = [await measure(lambda m=m: m.send(CommandIn("status"))) for m in (small, many_claims)]
    row(f"/status (1 vs {args.claims} claims)", *status)
    row(
        f"/redeem (1 vs {args.products} products)",
        await redeem(one_open),
        await redeem(many_products),
    )
    row(f"/redeem (1 vs {args.claims} claims)", await redeem(small), await redeem(many_claims))
    await app.close()
    # the queue, in a database of its own: one real claim, copies of it up to 10, then more
    tmp = Path(tempfile.mkdtemp(prefix="redeem-queue-"))
    app = await build_app(settings(tmp), clock=lambda: NOW)
    await Member(app, "queue").create(products=1, claims=1)
    await app.close()  # filled beside the app, not under it
    fill_queue(tmp / "backend.db", 9)
    app = await build_app(settings(tmp), clock=lambda: NOW)
    q_small = await queue_costs(app)
    await app.close()
    fill_queue(tmp / "backend.db", args.waiting - 10)
    app = await build_app(settings(tmp), clock=lambda: NOW)
    q_large = await queue_costs(app)
    await app.close()
    row(f"review list, page 1 (10 vs {args.waiting:,})", q_small[:3], q_large[:3])
    print(
        f"{'  peak Python memory, MiB':<34} {q_small[3]:>8.1f} {q_large[3]:>9.1f} "
        f"{q_large[3] / q_small[3]:>6.2f}x"
    )


if __name__ == "__main__":
    asyncio.run(main())

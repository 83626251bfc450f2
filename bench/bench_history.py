"""Costs that must not grow with a member's history or the review queue (issue 9).

    python bench/bench_history.py [--products 1000] [--claims 500] [--waiting 50000]
                                  [--larger 200000] [--only members|queue] [--no-fail]

Per step it prints CPU ms (the process's, every thread: what holds on a shared machine), the
SQL statements run (bot and backend databases) and the replies' length (all of them, and
the longest one in UTF-16 units as Telegram counts), at a small and at a large history, and
the ratio. The steps: /products with 1 and 1,000 registered products (half of them bought
before every promotion, so the list says why not) and with 1 and 500 claims, /status with 1
and 500 claims, /redeem up to its first question with 1 and 1,000 products (half
redeemable) and with 1 and 500 claims (nothing left to redeem), a registration's Confirm
(the product stored, then what it can be redeemed for) with 0 and 1,000 products before it,
and the staff's first page of the queue, `review list` (the command line: no Telegram
limit) and `/queue` (the review room), with 10 and 50,000 claims waiting (plus the peak
Python memory of `review list`, tracemalloc); ``--larger 200000``: also at 50,000 and
200,000 waiting (a page that no longer grows with the queue: about 1x).

The small and the large step take turns, run after run (the order swapped every run), so
a change in the machine's load falls on both alike. Targets: large <= 2x small in CPU and
in SQL statements, and no reply over Telegram's 4,096 characters; the script exits with 1,
naming the rows, when one is missed (``--no-fail``: report only).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import shutil
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

from PIL import Image  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from backend.port import ClaimRequest, ProductRegistration, Recipient, SignUp  # noqa: E402
from backend.staff_cli import add_review_parser, run_review  # noqa: E402
from bot.app import App, build_app  # noqa: E402
from bot.config import PACKAGED_PROMOTIONS, Settings  # noqa: E402
from handlers.io import ActionIn, CommandIn, Event, ImageIn, Reply, TextIn  # noqa: E402
from handlers.staff import StaffIdentity, StaffPolicy, StaffRoom  # noqa: E402
from states import ConversationKey  # noqa: E402

NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"
STATEMENTS = [0]
TG_LIMIT = 4096  # Telegram's longest message, in UTF-16 code units
#: large <= TARGET x small
TARGET = 2.0
Figures = tuple[float, float, int, int]  # CPU ms, SQL statements, chars, longest reply


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
        OCR_WORKERS=0,  # no invoice text check: the registrations measured carry no text
        IMAGE_RATE="1000/60",  # one chat registers 11 products in a few seconds
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
        self.replies: list[Reply] = []

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

    async def send(self, body: Any) -> list[Reply]:
        self.n += 1
        outcome = await self.app.engine.handle(
            Event(key=self.key, body=body, event_id=f"{self.key.user_id}-{self.n}")
        )
        self.replies = outcome.replies
        return outcome.replies

    async def tap(self, label: str) -> list[Reply]:
        found = [b for r in self.replies for row in r.buttons for b in row if label in b.label]
        if not found:
            raise RuntimeError(f"no button {label!r} in {texts(self.replies)[:300]!r}")
        return await self.send(ActionIn(found[0].data))

    async def fill_registration(self) -> None:
        """A registration form filled up to its summary (not measured): the next step is
        the Confirm measured. A Graphics Card bought in the promotions' window."""
        await self.send(CommandIn("cancel"))  # a redemption the last Confirm started
        await self.send(CommandIn("register"))
        await self.tap("Graphics Card")
        for text in ("GeForce RTX 5070 GAMING TRIO", "V531-001R", f"BA3T{next(SERIALS):07d}V"):
            await self.send(TextIn(text))
        if "Is that exactly" in texts(self.replies):
            await self.tap("Yes, that")
        for text in ("123", "Amazon.de", "2026-10-01"):
            await self.send(TextIn(text))
        await self.tap("Online retailer")
        await self.send(ImageIn(fetch=self._invoice, size=len(INVOICE), mime="image/jpeg"))
        if "Your product:" not in texts(self.replies):
            raise RuntimeError(f"no summary: {texts(self.replies)[:300]!r}")

    @staticmethod
    async def _invoice() -> bytes:
        return INVOICE

    async def confirm(self) -> list[Reply]:
        return await self.tap("Confirm")


def texts(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def invoice_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 180, 160)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


INVOICE = invoice_jpeg()
SERIALS = iter(range(5_000_000, 6_000_000))


Step = Callable[[], Awaitable[list[Reply] | str]]
Hook = Callable[[], Awaitable[Any]] | None


def tg_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def _once(step: Step, cpu: list[float], sql: list[int], before: Hook, after: Hook) -> str:
    if before is not None:
        await before()
    STATEMENTS[0] = 0
    t0 = time.process_time()
    out = await step()
    cpu.append((time.process_time() - t0) * 1000)
    sql.append(STATEMENTS[0])
    if after is not None:
        await after()
    return out if isinstance(out, str) else "\0".join(r.text for r in out)


async def measure_pair(
    small: Step,
    large: Step,
    runs: int = 21,
    before: tuple[Hook, Hook] = (None, None),
    after: tuple[Hook, Hook] = (None, None),
) -> tuple[Figures, Figures]:
    """Median CPU ms and SQL statements of each step over ``runs`` (many: a step is a few
    ms and the machine is shared), the two taking turns (the order swapped every run), and
    the last run's replies: their length, and the longest one. ``before``/``after`` run
    around each run, not measured (to fill a form, to leave one the step opened)."""
    cpu: tuple[list[float], list[float]] = ([], [])
    sql: tuple[list[int], list[int]] = ([], [])
    out = ["", ""]
    steps = (small, large)
    for n in range(runs):
        for i in (0, 1) if n % 2 == 0 else (1, 0):
            out[i] = await _once(steps[i], cpu[i], sql[i], before[i], after[i])

    def figures(i: int) -> Figures:
        parts = out[i].split("\0")
        longest = max(tg_len(p) for p in parts)
        return statistics.median(cpu[i]), statistics.median(sql[i]), sum(map(len, parts)), longest

    return figures(0), figures(1)


async def redeem(small: Member, large: Member) -> tuple[Figures, Figures]:
    """/redeem up to its first question (the promotion or the product), /cancel between."""
    return await measure_pair(
        lambda: small.send(CommandIn("redeem")),
        lambda: large.send(CommandIn("redeem")),
        after=(lambda: small.send(CommandIn("cancel")), lambda: large.send(CommandIn("cancel"))),
    )


async def command(name: str, small: Member, large: Member) -> tuple[Figures, Figures]:
    return await measure_pair(
        lambda: small.send(CommandIn(name)), lambda: large.send(CommandIn(name))
    )


async def confirm(small: Member, large: Member) -> tuple[Figures, Figures]:
    """A registration's Confirm: the form filled before each run (not measured)."""
    return await measure_pair(
        small.confirm,
        large.confirm,
        runs=11,
        before=(small.fill_registration, large.fill_registration),
    )


FAILED: list[str] = []


def row(name: str, small: Figures, large: Figures, telegram: bool = True) -> None:
    ratio = large[0] / small[0] if small[0] else float("nan")
    sql_ratio = large[1] / small[1] if small[1] else float("nan")
    print(
        f"{name:<36} {small[0]:>7.1f} {large[0]:>7.1f} {ratio:>6.2f}x "
        f"{small[1]:>5.0f} {large[1]:>5.0f} {small[2]:>6} {large[2]:>6} {large[3]:>6}"
    )
    if not ratio <= TARGET:
        FAILED.append(f"{name}: CPU {ratio:.2f}x")
    if not sql_ratio <= TARGET:
        FAILED.append(f"{name}: SQL statements {sql_ratio:.2f}x")
    if telegram and max(small[3], large[3]) > TG_LIMIT:
        FAILED.append(f"{name}: a reply of {max(small[3], large[3])} characters")


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


STAFF = StaffIdentity("telegram", "7", "@anna", room="-100500", kind="user")


def staff_room(app: App) -> StaffRoom:
    """The review room's commands (the staff chat's), one allowed member: ``STAFF``."""
    policy = StaffPolicy(room=STAFF.room, allowed=frozenset({STAFF.user_id}), authority="allowlist")
    return StaffRoom(app.desk, app.support, app.catalog, policy=policy)


async def queue_db(waiting: int) -> Path:
    """A database of its own with ``waiting`` claims for review: one real claim, copies."""
    tmp = Path(tempfile.mkdtemp(prefix="redeem-queue-"))
    app = await build_app(settings(tmp), clock=lambda: NOW)
    await Member(app, "queue").create(products=1, claims=1)
    await app.close()  # filled beside the app, not under it
    fill_queue(tmp / "backend.db", waiting - 1)
    return tmp


async def peak_mib(app: App) -> float:
    tracemalloc.start()
    await review_list(app)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


async def members(args: argparse.Namespace, tmp: Path) -> None:
    app = await build_app(settings(tmp), clock=lambda: NOW)
    small, one_open, many_products, many_claims, none = (
        Member(app, "one"),
        Member(app, "oneopen"),
        Member(app, "many"),
        Member(app, "claims"),
        Member(app, "none"),
    )
    t0 = time.perf_counter()
    await small.create(products=1, claims=1)
    await one_open.create(products=1, claims=0)
    await many_products.create(products=args.products, claims=0)
    await many_claims.create(products=args.claims, claims=args.claims)
    await none.create(products=0, claims=0)
    print(f"set up in {time.perf_counter() - t0:.0f} s (not measured)\n")
    head = ("CPU ms", "CPU ms", "ratio", "SQL", "SQL", "chars", "chars", "longest")
    print(
        f"{'step':<36} {head[0]:>7} {head[1]:>7} {head[2]:>7} "
        + " ".join(f"{h:>{w}}" for h, w in zip(head[3:], (5, 5, 6, 6, 7), strict=True))
    )
    print(f"{'':<36} {'small':>7} {'large':>7} {'':>7} {'small':>5} {'large':>5} "
          f"{'small':>6} {'large':>6} {'reply':>7}")  # fmt: skip
    row(
        f"/products (1 vs {args.products} products)",
        *await command("products", small, many_products),
    )
    row(f"/products (1 vs {args.claims} claims)", *await command("products", small, many_claims))
    row(f"/status (1 vs {args.claims} claims)", *await command("status", small, many_claims))
    row(f"/redeem (1 vs {args.products} products)", *await redeem(one_open, many_products))
    row(f"/redeem (1 vs {args.claims} claims)", *await redeem(small, many_claims))
    row(f"register: Confirm (0 vs {args.products} products)", *await confirm(none, many_products))
    await app.close()


async def queue_rows(apps: list[App], sizes: list[int]) -> None:
    """`review list` and `/queue`, page 1, at two queue lengths, taking turns."""
    small, large = apps
    label = f"({sizes[0]:,} vs {sizes[1]:,})"
    costs = await measure_pair(lambda: review_list(small), lambda: review_list(large))
    row(f"review list, page 1 {label}", *costs, telegram=False)
    rooms = staff_room(small), staff_room(large)
    costs = await measure_pair(
        lambda: rooms[0].handle("/queue", STAFF), lambda: rooms[1].handle("/queue", STAFF)
    )
    row(f"/queue, page 1 {label}", *costs)


async def queue(args: argparse.Namespace) -> None:
    sizes = [10, args.waiting] + ([args.larger] if args.larger else [])
    dirs = [await queue_db(n) for n in sizes]
    apps = [await build_app(settings(d), clock=lambda: NOW) for d in dirs]
    try:
        await queue_rows(apps[:2], sizes[:2])
        peaks = await peak_mib(apps[0]), await peak_mib(apps[1])
        if args.larger:  # does the page still grow with the queue? (1x: no)
            await queue_rows(apps[1:], sizes[1:])
    finally:
        for app in apps:
            await app.close()
        for d in dirs:
            shutil.rmtree(d, ignore_errors=True)
    print(
        f"{'  peak Python memory, KiB':<36} {peaks[0] * 1024:>7.0f} {peaks[1] * 1024:>7.0f} "
        f"{peaks[1] / peaks[0]:>6.2f}x"
    )


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=500)
    parser.add_argument("--waiting", type=int, default=50_000)
    parser.add_argument(
        "--larger",
        type=int,
        default=0,
        metavar="N",
        help="also the queue's page at --waiting vs N waiting (e.g. 200000: flat or not)",
    )
    parser.add_argument("--no-fail", action="store_true", help="report only: exit 0 anyway")
    parser.add_argument(
        "--only", choices=("members", "queue"), help="only the member rows, or only the queue's"
    )
    args = parser.parse_args()
    event.listen(Engine, "before_cursor_execute", count_statements)
    if args.only != "queue":
        tmp = Path(tempfile.mkdtemp(prefix="redeem-history-"))
        try:
            await members(args, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.only != "members":
        await queue(args)
    if FAILED:
        print(f"\nFAIL (target: large <= {TARGET:g}x small, replies <= {TG_LIMIT}):")
        for line in FAILED:
            print(f"  {line}")
        return 0 if args.no_fail else 1
    print(f"\nOK: every row within {TARGET:g}x, every reply within {TG_LIMIT} characters")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

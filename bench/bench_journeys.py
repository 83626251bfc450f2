"""Full claim journeys for many simulated customers, interleaved, on SQLite.

    python bench/bench_journeys.py [--customers 1000] [--db DIR]

Every customer signs up, registers a product (with an invoice photo), redeems a
promotion (with an S/N photo) and checks the status: about 40 steps each, all customers'
conversations open at once. Every step is committed to the database before its replies
are returned. Prints steps/s, p50/p99 latency per step kind, and peak RSS. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import re
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from handlers.io import ActionIn, CommandIn, Event, ImageIn, Reply, TextIn  # noqa: E402
from states import ConversationKey  # noqa: E402

PASSWORD = "Bench-passw0rd"
DEMO_CODE = re.compile(r"DEMO MODE.*?is: (\d{6})")


def photo(seed: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1280, 960), (seed % 256, 80, 120)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


class Customer:
    def __init__(self, app, n: int, timings: dict[str, list[float]], images: list[bytes]) -> None:
        self.app = app
        self.n = n
        self.key = ConversationKey("bench", str(n), str(n))
        self.timings = timings
        self.replies: list[Reply] = []
        self.images = images
        self.seq = 0
        self.busy = 0  # pictures answered "busy" (the worker pool's queue was full)

    async def step(self, kind: str, body) -> None:
        self.seq += 1
        t0 = time.perf_counter()
        outcome = await self.app.engine.handle(
            Event(self.key, body, event_id=f"{self.n}-{self.seq}")
        )
        self.timings[kind].append(time.perf_counter() - t0)
        self.replies = outcome.replies
        if any(r.key == "error.unexpected" for r in outcome.replies):
            raise RuntimeError(f"customer {self.n}: unexpected error at {kind}")

    def button(self, label: str) -> str:
        for r in self.replies:
            for row in r.buttons:
                for b in row:
                    if label.lower() in b.label.lower():
                        return b.data
        raise RuntimeError(
            f"customer {self.n}: no button {label!r} in {[r.text[:60] for r in self.replies]}"
        )

    def first_button(self) -> str:
        return self.replies[-1].buttons[0][0].data

    async def text(self, value: str) -> None:
        await self.step("text", TextIn(value))

    async def tap(self, label: str) -> None:
        await self.step("tap", ActionIn(self.button(label)))

    async def image(self, data: bytes) -> None:
        async def fetch() -> bytes:
            return data

        for _ in range(1000):  # "busy, send it again in a moment": a customer does just that
            await self.step(
                "image", ImageIn(fetch=fetch, size=len(data), filename="p.jpg", mime="image/jpeg")
            )
            if not self.replies or self.replies[0].key != "image.busy":
                return
            self.busy += 1
            await asyncio.sleep(0.5)

    async def journey(self) -> None:
        n = self.n
        await self.step("command", CommandIn("start"))
        await self.tap("Sign up")
        for value in (f"customer{n}@example.com", "Alex", "Germany"):
            await self.text(value)
        await self.tap("Contact number")  # an optional detail, on the sign-up summary
        await self.text("+49 30 1234567")
        await self.tap("I agree, continue")
        await self.step("password", TextIn(PASSWORD))
        await self.step("password", TextIn(PASSWORD))
        shown = [m for r in self.replies for m in DEMO_CODE.findall(r.text)]  # demo mode: no SMTP
        await self.step("email code", TextIn(shown[-1]))
        await self.step("command", CommandIn("register"))
        await self.tap("Graphics Card")
        await self.text("GeForce RTX 5070 GAMING TRIO")
        await self.text("V531-001R")
        await self.text(f"BA3T{n:08d}V")
        if any("Is that exactly" in r.text for r in self.replies):
            await self.tap("Yes, that's right")
        for value in ("123", "Amazon.de", "2026-10-01"):  # the purchase region: the account's
            await self.text(value)
        await self.tap("Online retailer")
        await self.image(self.images[n % len(self.images)])
        await self.tap("Confirm")  # the redemption follows at once, the product picked
        await self.image(self.images[(n + 1) % len(self.images)])
        for value in ("Bench", "10115", "Berlin", "Invalidenstr. 1"):  # last name, the address
            await self.text(value)
        # (the unit is not asked: it is added from the summary, if at all)
        await self.tap("Confirm")
        if not any("successfully sent" in r.text for r in self.replies):
            raise RuntimeError(f"customer {n}: claim not submitted")
        await self.step("command", CommandIn("status"))

    async def browse(self) -> None:
        """Conversation only: menus, FAQ, status and a registration form filled, left and resumed."""
        await self.step("command", CommandIn("menu"))
        await self.tap("FAQ")
        await self.tap("How long")
        await self.step("command", CommandIn("status"))
        await self.step("command", CommandIn("register"))
        await self.tap("Motherboard")
        await self.text("MEG Z890 ACE")
        await self.text("MS-7E22")
        await self.text(f"K2203N{self.n:07d}")
        if any("Is that exactly" in r.text for r in self.replies):
            await self.tap("Yes, that's right")
        await self.text("456")
        await self.step("command", CommandIn("help"))
        await self.step("command", CommandIn("menu"))
        await self.tap("Continue")
        await self.text("Taiwan")
        await self.text("Newegg")
        await self.text("2026-11-01")
        await self.tap("Retail store")
        await self.tap("Back")
        await self.tap("Retail store")
        await self.text("I have no photo yet")
        await self.step("command", CommandIn("cancel"))
        await self.text("when will I get my code?")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument(
        "--db", type=Path, default=None, help="directory for the database (default: a temp dir)"
    )
    args = parser.parse_args()
    tmp = args.db or Path(tempfile.mkdtemp(prefix="redeem-bench-"))
    settings = Settings(
        _env_file=None,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        BACKEND_DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'backend.db'}",
        MEDIA_DIR=str(tmp / "media"),
        SECRET_KEY_FILE=str(tmp / "secret.key"),
        LOG_LEVEL="WARNING",
        # the conversation's own speed: the invoice and sticker checks (OCR) off, as in the
        # tests that start the bot (their pool has its own bench); plain test pictures
        OCR_WORKERS="0",
        # every customer sends a photo in the same second: they queue for the
        # image workers (the default queue of 8 would answer most "busy")
        IMAGE_QUEUE=str(max(8, args.customers)),
    )
    app = await build_app(
        settings, clock=lambda: dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), warm_images=True
    )
    # enough codes for everyone (the demo pool is small)
    for promo in await app.backend.list_promotions():
        if promo.prize_kind.value == "digital":
            await app.desk.import_codes(
                promo.code, [f"B-{promo.code}-{i:06d}" for i in range(args.customers)]
            )
    images = [photo(i) for i in range(8)]
    print(
        f"{args.customers} customers, all conversations open at once; every step committed before it answers"
    )
    phases = [
        ("full journeys: sign-up, register (invoice photo), redeem (S/N photo), status", "journey"),
        (
            "conversation: menus, FAQ, status, a registration form left, resumed and cancelled",
            "browse",
        ),
    ]
    totals = [0, 0.0]
    for title, method in phases:
        timings: dict[str, list[float]] = defaultdict(list)
        customers = [Customer(app, n, timings, images) for n in range(args.customers)]
        for c in customers:
            c.seq = 1000 if method == "browse" else 0
        t0 = time.perf_counter()
        await asyncio.gather(*(getattr(c, method)() for c in customers))
        elapsed = time.perf_counter() - t0
        report(title, timings, elapsed)
        if sum(c.busy for c in customers):
            print(f"pictures answered 'busy' and sent again: {sum(c.busy for c in customers)}")
        totals[0] += sum(len(v) for v in timings.values())
        totals[1] += elapsed
    await park(
        app,
        timings_sink=defaultdict(list),
        images=images,
        waves=4,
        per_wave=max(1000, args.customers * 2),
    )
    await app.close()
    print(
        f"\nall phases: {totals[0]} steps in {totals[1]:.1f} s = {totals[0] / totals[1]:,.0f} steps/s"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def rss_mib() -> float:
    """Current resident set size (not the peak), from /proc."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


async def park(app, timings_sink, images, waves: int, per_wave: int) -> None:
    """Open many conversations, leave each in the middle of a form, and watch memory:
    parked conversations live in the database, so RSS stays flat wave after wave."""
    print(f"\n== parked conversations: {waves} waves of {per_wave}, each left mid-sign-up")
    start = 100_000
    for wave in range(waves):
        customers = [
            Customer(app, start + wave * per_wave + i, timings_sink, images)
            for i in range(per_wave)
        ]

        async def leave_mid_form(c: Customer) -> None:
            await c.step("command", CommandIn("start"))
            await c.tap("Sign up")
            await c.text(f"parked{c.n}@example.com")

        t0 = time.perf_counter()
        for chunk in range(0, per_wave, 1000):
            await asyncio.gather(*(leave_mid_form(c) for c in customers[chunk : chunk + 1000]))
        del customers
        print(
            f"wave {wave + 1}: {(wave + 1) * per_wave:>6} parked, {3 * per_wave / (time.perf_counter() - t0):,.0f} steps/s, "
            f"RSS {rss_mib():.0f} MiB"
        )


def report(title: str, timings: dict[str, list[float]], elapsed: float) -> None:
    steps = sum(len(v) for v in timings.values())
    print(f"\n== {title}")
    print(f"steps: {steps}, wall: {elapsed:.2f} s, steps/s: {steps / elapsed:,.0f}")
    print(f"{'step kind':<10} {'count':>7} {'p50 ms':>9} {'p99 ms':>9} {'mean ms':>9}")
    for kind, values in sorted(timings.items()):
        print(
            f"{kind:<10} {len(values):>7} {pct(values, 0.5):>9.1f} {pct(values, 0.99):>9.1f} {statistics.mean(values) * 1000:>9.1f}"
        )


if __name__ == "__main__":
    asyncio.run(main())

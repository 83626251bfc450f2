"""Pictures as a denial of service: a signed-in customer's ordinary photo while chats that are
not signed in send a 59 MP PNG at the same moment.

    .venv/bin/python bench/bench_image_flood.py [--rounds 20] [--guests 4] [--photo phone|camera]

The whole app runs in this process (engine, stores, embedded backend, the image worker pool
as the settings make it), on temporary SQLite files. Each round, ``--guests`` fresh chats
(no account, in "Talk to support", as an attacker would open them) send the attacker's PNG
(7,700 x 7,700 single-colour RGBA, ~240 KB, built here) and, at the same moment, one
signed-in customer in a support request sends an ordinary photo. Prints p50/p99 of the
customer's turn, what the guests were told, and the peak RSS of the whole process tree
(this process and every worker, summed, sampled every 10 ms; plus the sum of each
process's own peak, an upper bound). Targets: customer p50 < 1 s, peak RSS < 600 MB.

Runs on the code before the fix too (for the "before" figures).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import struct
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from handlers.io import CommandIn, Event, ImageIn, Reply, TextIn  # noqa: E402
from states import ConversationKey  # noqa: E402

TARGET_P50_S = 1.0
TARGET_RSS_MB = 600


def attack_png(width: int = 7700, height: int = 7700) -> bytes:
    row = b"\x00" + bytes((200, 30, 30, 128)) * width
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def photo(size: tuple[int, int]) -> bytes:
    """A phone shot of an invoice: gradient, text, sensor noise."""
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    img = Image.blend(img, Image.effect_noise(size, 40).convert("RGB"), 0.3)
    draw = ImageDraw.Draw(img)
    for y in range(0, size[1], 60):
        draw.text((40, y), "INVOICE No. 2024-00123  MSI GeForce RTX 4070  " * 4, fill=(10, 10, 10))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    return buf.getvalue()


class RssSampler:
    """The whole process tree's resident memory, summed, every ``interval`` seconds."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.peak = 0
        self.hwm: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> list[psutil.Process]:
        me = psutil.Process()
        return [me, *me.children(recursive=True)]

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        total = 0
        for proc in self._tree():
            try:
                total += proc.memory_info().rss
                self.hwm[proc.pid] = max(self.hwm.get(proc.pid, 0), _vm_hwm(proc.pid))
            except (psutil.NoSuchProcess, FileNotFoundError, ProcessLookupError):
                continue
        self.peak = max(self.peak, total)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


def _vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


class Chat:
    def __init__(self, app, user: str) -> None:
        self.app = app
        self.key = ConversationKey("bench", user, user)
        self.seq = 0
        self.replies: list[Reply] = []

    async def send(self, body) -> float:
        self.seq += 1
        t0 = time.perf_counter()
        outcome = await self.app.engine.handle(
            Event(self.key, body, event_id=f"{self.key.chat_id}-{self.seq}")
        )
        self.replies = outcome.replies
        if any(r.key == "error.unexpected" for r in outcome.replies):
            raise RuntimeError(f"{self.key}: unexpected error")
        return time.perf_counter() - t0

    async def picture(self, data: bytes, name: str) -> float:
        async def fetch() -> bytes:
            return data

        return await self.send(
            ImageIn(fetch=fetch, size=len(data), filename=name, mime="image/png")
        )

    def tap(self, label: str):
        from handlers.io import ActionIn

        for r in self.replies:
            for row in r.buttons:
                for b in row:
                    if label.lower() in b.label.lower():
                        return self.send(ActionIn(b.data))
        raise RuntimeError(f"no button {label!r}")


async def signed_in_customer_in_support(app) -> Chat:
    chat = Chat(app, "customer")
    await chat.send(CommandIn("start"))
    await chat.tap("Sign up")
    for value in ("bench@example.com", "Alex", "Germany"):
        await chat.send(TextIn(value))
    await chat.tap("I agree, continue")
    await chat.send(TextIn("Bench-passw0rd"))
    await chat.send(TextIn("Bench-passw0rd"))
    await chat.send(CommandIn("support"))
    await chat.send(TextIn("Here is the invoice you asked for"))
    return chat


async def guest_in_support(app, n: int) -> Chat:
    chat = Chat(app, f"guest{n}")
    await chat.send(CommandIn("support"))
    await chat.send(TextIn("My card is broken, see the picture"))
    return chat


async def run(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-flood-"))
    settings = Settings(
        _env_file=None,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bot.db'}",
        BACKEND_DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'backend.db'}",
        MEDIA_DIR=str(tmp / "media"),
        LOG_LEVEL="WARNING",
        IMAGE_RATE="1000/60",  # the customer sends one photo a round: never their own limit
    )
    try:
        app = await build_app(settings, warm_images=True)
    except TypeError:  # the code before the fix
        app = await build_app(settings)
    png = attack_png()
    ordinary = photo((4000, 3000) if args.photo == "camera" else (1280, 960))
    customer = await signed_in_customer_in_support(app)
    told: dict[str, int] = {}
    customer_s: list[float] = []
    guest_s: list[float] = []
    print(
        f"attack PNG {len(png) / 1024:.0f} KB (7700x7700 RGBA), customer photo {len(ordinary) / 1024:.0f} KB "
        f"({args.photo}), {args.guests} guests x {args.rounds} rounds, load avg {os.getloadavg()[0]:.2f}"
    )
    try:
        with RssSampler() as rss:
            for round_no in range(args.rounds):
                guests = [
                    await guest_in_support(app, round_no * args.guests + g)
                    for g in range(args.guests)
                ]
                attacks = [asyncio.create_task(g.picture(png, "broken.png")) for g in guests]
                await asyncio.sleep(0)  # the guests' turns start first
                customer_s.append(await customer.picture(ordinary, "invoice.jpg"))
                guest_s.extend(await asyncio.gather(*attacks))
                if customer.replies[0].key != "support.added":
                    raise RuntimeError(f"customer's photo refused: {customer.replies[0].key}")
                for g in guests:
                    told[g.replies[0].key] = told.get(g.replies[0].key, 0) + 1
    finally:
        await app.close()
    customer_s.sort()
    p99 = customer_s[min(len(customer_s) - 1, round(0.99 * (len(customer_s) - 1)))]
    print(
        f"customer's photo: p50 {statistics.median(customer_s) * 1000:7.0f} ms  p99 {p99 * 1000:7.0f} ms  "
        f"max {customer_s[-1] * 1000:7.0f} ms"
    )
    if guest_s:
        print(f"guests' PNG turns: p50 {statistics.median(guest_s) * 1000:7.0f} ms, told {told}")
    print(
        f"peak RSS, whole tree: {rss.peak / 2**20:5.0f} MB sampled, {sum(rss.hwm.values()) / 2**20:5.0f} MB "
        f"sum of per-process peaks ({len(rss.hwm)} processes)"
    )
    print(f"targets: p50 < {TARGET_P50_S:.0f} s, peak RSS < {TARGET_RSS_MB} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--guests", type=int, default=4)
    parser.add_argument(
        "--photo",
        choices=("phone", "camera"),
        default="camera",
        help="the customer's photo: 1280x960 (a Telegram photo) or 4000x3000 (a file)",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()

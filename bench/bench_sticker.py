"""The serial from the sticker photo (issue 12): read rate, wrong reads and time per photo.

    .venv/bin/python bench/bench_sticker.py [-n 60] [--seed 12]

A generated corpus (``tests/stickers.py``): random serials in the three default formats,
a CHK barcode on most, a part-number Code128 and an EAN-13 beside them on some; photographed
with rotation (mostly within 15 degrees, some 90/180), blur, uneven light, sensor noise and
JPEG quality 70-92; each read at Telegram's photo size (1280 px on the long side) and at full
size (2400 px, sent as a file). Prints the share read right, the wrong reads (a barcode value
is never wrong: must be 0), the barcodes read but not confirmed by a second view (not given),
the CHK read rate, and ms per photo (median, p95, max; CPU median) of ``read_sticker`` in this
process. Targets: >= 90% at full size, >= 70% at 1280 px, 0 wrong,
median <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.validators import DEFAULT_SERIAL_PATTERNS  # noqa: E402
from storage.sticker import read_sticker  # noqa: E402
from tests.stickers import sticker_photo  # noqa: E402


def serial(rng: random.Random) -> tuple[str, str]:
    """(as printed, as stored)."""
    kind = rng.randrange(3)
    digits = lambda n: "".join(rng.choices(string.digits, k=n))  # noqa: E731
    if kind == 0:
        s = rng.choice(string.ascii_uppercase) + "".join(
            rng.choices(string.ascii_uppercase + string.digits, k=3)
        )
        s += digits(8) + rng.choice(["", "V", "A"])
        return s, s
    if kind == 1:
        s = rng.choice("KHJ") + digits(4) + rng.choice("NAB") + digits(7)
        return s, s
    printed = f"{digits(3)}-V{digits(3)}-{digits(3)}B{digits(13)}"
    return printed, printed.replace("-", "")


def corpus(n: int, seed: int) -> list[tuple[dict, str, str | None]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(n):
        printed, stored = serial(rng)
        chk = "".join(rng.choices(string.digits, k=3)) if rng.random() < 0.8 else None
        angle = rng.choice([90, 180]) if rng.random() < 0.1 else rng.uniform(-15, 15)
        kw = dict(
            serial=printed,
            chk=chk,
            angle=angle,
            part="911-" + "".join(rng.choices(string.digits + "ABCD", k=4)) + "-001"
            if rng.random() < 0.5
            else None,
            ean="4719072901233" if rng.random() < 0.5 else None,
            blur=rng.choice([0, 0, 0.6, 1.0, 1.4]),
            light=rng.uniform(0, 0.6),
            noise=rng.choice([0, 6, 12]),
            quality=rng.randint(70, 92),
        )
        cases.append((kw, stored, chk))
    return cases


def run(cases, side: int) -> None:
    right = wrong = chk_right = chk_total = unconfirmed = 0
    times, cpu = [], []
    for kw, stored, chk in cases:
        data = sticker_photo(side=side, **kw)
        t, c = time.perf_counter(), time.process_time()
        got = read_sticker(data, DEFAULT_SERIAL_PATTERNS)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        right += got.serial == stored
        wrong += got.serial is not None and got.serial != stored
        unconfirmed += "unconfirmed" in got.findings
        if chk:
            chk_total += 1
            chk_right += got.chk == chk
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"{side:>5} px: serial right {right}/{len(cases)} ({100 * right / len(cases):.0f}%), wrong {wrong}, "
        f"unconfirmed {unconfirmed}, CHK {chk_right}/{chk_total}; ms median {statistics.median(times):.0f}, "
        f"p95 {p95:.0f}, max {times[-1]:.0f}; CPU ms median {statistics.median(cpu):.0f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; {args.n} stickers, seed {args.seed}")
    cases = corpus(args.n, args.seed)
    read_sticker(sticker_photo(), DEFAULT_SERIAL_PATTERNS)  # warm: imports, zxing's tables
    for side in (1280, 2400):
        run(cases, side)


if __name__ == "__main__":
    main()

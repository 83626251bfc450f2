"""Image pipeline speed and memory: normalize generated camera-sized uploads N times.

    .venv/bin/python bench/bench_images.py [-n 40] [--scenario jpeg-12mp ...] [--threads 2]

The inputs are built once in this process (4000x3000 photo-like: gradient, text, sensor noise,
~5 MB at quality 92). Each scenario then runs in a fresh child process so its peak RSS
(VmHWM) belongs to normalizing alone. Prints wall ms per image (median, p99, min, max), the
median CPU ms of the calling thread (robust when other jobs share the box),
input/output sizes and peak RSS; with ``--threads`` > 1 also the throughput of that many
``normalize`` calls in parallel threads (Pillow releases the GIL). Target: jpeg-12mp median
under 150 ms on the 2-core box.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402

from storage.images import normalize  # noqa: E402

TARGET_MS = 150.0
SIZE = (4000, 3000)


def photo(size: tuple[int, int] = SIZE) -> Image.Image:
    """Something with the entropy of a real phone shot of an invoice."""
    img = Image.linear_gradient("L").resize(size).convert("RGB")
    noise = Image.effect_noise(size, 40).convert("RGB")
    img = Image.blend(img, noise, 0.3)
    draw = ImageDraw.Draw(img)
    line = "INVOICE No. 2024-00123  MSI GeForce RTX 4070 VENTIRO  2024-05-01  Store: PC Mart   "
    for y in range(0, size[1], 60):
        draw.text((40, y), line * 4, fill=(10, 10, 10))
    return img


def _encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def build_inputs() -> dict[str, bytes]:
    img = photo()
    exif = Image.Exif()
    exif[0x0112] = 6  # a portrait phone shot, stored landscape
    screenshot = photo((1080, 2400)).quantize(64).convert("RGB")
    return {
        "jpeg-12mp": _encode(img, "JPEG", quality=92),
        "jpeg-12mp-rotated": _encode(img, "JPEG", quality=92, exif=exif.tobytes()),
        "jpeg-12mp-progressive": _encode(img, "JPEG", quality=92, progressive=True),
        "png-12mp": _encode(img, "PNG", compress_level=1),
        "webp-12mp": _encode(img, "WEBP", quality=85),
        "png-screenshot-1080x2400": _encode(screenshot, "PNG"),
    }


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    """Peak resident set of this process (VmHWM; ru_maxrss survives fork+exec on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(n: int, threads: int) -> None:
    """Child process: read the upload from stdin, time ``normalize``, report one line."""
    data = sys.stdin.buffer.read()
    rss_before_mb = peak_rss_mb()
    normalize(data)  # warm-up: plugin imports, libjpeg tables
    times, cpu = [], []
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.thread_time()
        result = normalize(data)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    line = (
        f"median {statistics.median(times):6.1f} ms  p99 {_percentile(times, 99):6.1f}  "
        f"min {min(times):6.1f}  max {max(times):6.1f}  cpu {statistics.median(cpu):6.1f}  "
        f"in {len(data) / 1e6:4.1f} MB -> {result.width}x{result.height} "
        f"{len(result.jpeg) / 1e3:4.0f} kB  "
        f"peak RSS {peak_rss_mb():4.0f} MB "
        f"(before {rss_before_mb:3.0f})"
    )
    if threads > 1:
        count = n * threads
        t0 = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda _: normalize(data), range(count)))
        line += f"  | {threads} threads: {count / (time.perf_counter() - t0):5.1f} img/s"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=40, help="timed runs per scenario")
    parser.add_argument("--threads", type=int, default=2, help="parallel throughput check")
    parser.add_argument("--scenario", action="append", help="run only these (repeatable)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.n, args.threads)
        return
    inputs = build_inputs()
    wanted = args.scenario or list(inputs)
    print(f"normalize(): {args.n} runs per scenario, Pillow {Image.__version__}")
    for name in wanted:
        print(f"{name:26s} ", end="", flush=True)
        cmd = [sys.executable, __file__, "--worker", "-n", str(args.n)]
        cmd += ["--threads", str(args.threads if name == "jpeg-12mp" else 1)]
        subprocess.run(cmd, input=inputs[name], check=True)
    print(f"target: jpeg-12mp median < {TARGET_MS:.0f} ms")


if __name__ == "__main__":
    main()

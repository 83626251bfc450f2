"""Start-up of ``redeem-bot run`` until its first ``getUpdates`` (issue 9: <= 3 s CPU).

    .venv/bin/python bench/bench_startup.py [--only a,b,c] [--runs 3]

Each bot of bench_telegram.py's table ((a) wire, (b) PTB, (e) aiogram, (c) the bare aiogram echo bot for
reference) is started against the lean fake Bot API of bench_telegram.py, and the CPU seconds
of its process (user + system, child processes included) are read the moment the fake sees
its first ``getUpdates``; also the wall seconds and the resident memory then. (a) and (b)
start twice per run: on an empty database (every migration runs) and again on the same,
now current database (the usual restart). The median of ``--runs`` runs is printed. Then,
``--settle`` s after the first poll, the CPU the bot uses idle (no update) over ``--idle`` s
(child processes included: the OCR worker loads its models in the background meanwhile).

The CPU figure is sampled every 10 ms while waiting for the poll, so it may include up to
10 ms after it. Not a test; run it on a quiet machine (it prints the load average).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_telegram as bt  # noqa: E402  (the fake and the bots' command lines)


def _cpu_and_rss(pid: int) -> tuple[float, float]:
    import psutil

    process = psutil.Process(pid)
    cpu, rss = 0.0, 0.0
    for proc in [process, *process.children(recursive=True)]:
        try:
            times = proc.cpu_times()
            cpu += times.user + times.system
            rss += proc.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return cpu, rss / 2**20


async def start_once(
    label: str, tmp: Path, timeout: float, idle: float, settle: float = 2.0
) -> tuple[float, float, float, float]:
    """(CPU s, wall s, RSS MiB) of one start of bot ``label`` until its first getUpdates,
    and the CPU ms per second it then uses idle (no update) over ``idle`` seconds."""
    fake = bt.LeanFake()
    await fake.start()
    bot = bt.BotProcess(bt.BOTS[label], fake, tmp)
    try:
        started = time.perf_counter()
        bot.start()
        assert bot.proc is not None
        cpu, rss = 0.0, 0.0
        while fake.polls == 0:
            if bot.proc.poll() is not None or time.perf_counter() - started > timeout:
                raise RuntimeError(f"bot ({label}) did not poll:\n{bot.log()}")
            cpu, rss = _cpu_and_rss(bot.proc.pid)
            await asyncio.sleep(0.01)
        wall = time.perf_counter() - started
        cpu, rss = _cpu_and_rss(bot.proc.pid)
        await asyncio.sleep(settle)  # start-up work after the first poll (menu, OCR models)
        before = _cpu_and_rss(bot.proc.pid)[0]
        await asyncio.sleep(idle)
        idle_ms = (_cpu_and_rss(bot.proc.pid)[0] - before) * 1000 / idle
        return cpu, wall, rss, idle_ms
    finally:
        await bot.stop()
        await fake.stop()


async def bench(args: argparse.Namespace) -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    rows: dict[str, list[tuple[float, float, float, float]]] = {}
    for _ in range(args.runs):
        for label in args.only.split(","):
            with tempfile.TemporaryDirectory(prefix="bench-startup-") as name:
                tmp = Path(name)
                journey = bt.BOTS[label].journey
                first = await start_once(label, tmp, args.timeout, args.idle, args.settle)
                rows.setdefault(f"({label}) {'empty database' if journey else ''}", []).append(
                    first
                )
                if journey:
                    again = await start_once(label, tmp, args.timeout, args.idle, args.settle)
                    rows.setdefault(f"({label}) current database", []).append(again)
    print(f"load average after: {os.getloadavg()[0]:.2f}, median of {args.runs} runs\n")
    print("| bot | CPU s to first getUpdates | wall s | RSS MiB | idle CPU ms/s |")
    print("|---|---:|---:|---:|---:|")
    for name, values in rows.items():
        cpu, wall, rss, idle = (statistics.median(v[i] for v in values) for i in range(4))
        print(f"| {name.strip()} | {cpu:.2f} | {wall:.2f} | {rss:.0f} | {idle:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="a,b,c,e", help="which bots of bench_telegram.py")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to the first poll")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds measured idle after")
    parser.add_argument(
        "--settle", type=float, default=2.0, help="seconds after the first poll before --idle"
    )
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()

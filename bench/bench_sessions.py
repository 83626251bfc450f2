"""Session store throughput: 1,000 interleaved conversations, load + save per step.

    .venv/bin/python bench/bench_sessions.py [--conversations 1000] [--seconds 5] [--no-cache]
        [--cache-size 4096]

Every save is durably committed (group commit; WAL + synchronous=NORMAL) before the step
counts. Prints steps/s (one step = load + save), saves/s, loads/s and the batch sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from states.session import ConversationKey, Session  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.sessions import SqlSessionStore, StaleSession  # noqa: E402


async def _conversation(
    store: SqlSessionStore, key: ConversationKey, stop: float, counts: dict
) -> None:
    while time.perf_counter() < stop:
        t0 = time.perf_counter()
        session = await store.load(key) or Session(key)
        t1 = time.perf_counter()
        session.seq += 1
        session.remember(f"u{session.seq}")
        session.form("claim")["serial"] = f"AB12{session.seq:07d}"
        try:
            await store.save(session)
        except StaleSession:
            counts["stale"] += 1
            continue
        counts["steps"] += 1
        counts["load_s"] += t1 - t0
        counts["save_s"] += time.perf_counter() - t1


async def _load_only(store: SqlSessionStore, keys: list[ConversationKey], rounds: int) -> float:
    t0 = time.perf_counter()
    for _ in range(rounds):
        await asyncio.gather(*(store.load(k, fresh=True) for k in keys))
    return len(keys) * rounds / (time.perf_counter() - t0)


async def main(conversations: int, seconds: float, cache: int, path: str | None) -> None:
    directory = tempfile.mkdtemp(prefix="bench-sessions-")
    url = f"sqlite+aiosqlite:///{path or directory + '/bench.db'}"
    await upgrade(url)
    engine = make_engine(url)
    store = SqlSessionStore(engine, cache_size=cache)
    keys = [ConversationKey("telegram", str(1000 + i), str(1000 + i)) for i in range(conversations)]
    counts = {"steps": 0, "stale": 0, "load_s": 0.0, "save_s": 0.0}
    await asyncio.gather(
        *(_conversation(store, k, time.perf_counter() + 0.5, counts) for k in keys)
    )
    counts.update(steps=0, load_s=0.0, save_s=0.0)
    batches0, items0 = store.writer.batches, store.writer.items
    start, cpu0 = time.perf_counter(), time.process_time()
    stop = start + seconds
    await asyncio.gather(*(_conversation(store, k, stop, counts) for k in keys))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    steps = counts["steps"]
    batches = store.writer.batches - batches0
    print(f"conversations={conversations} cache={cache} seconds={elapsed:.1f}")
    print(f"steps/s={steps / elapsed:,.0f} (each: load + durable save); stale={counts['stale']}")
    print(f"CPU per step={cpu / max(steps, 1) * 1e3:.3f} ms (process CPU, every thread)")
    print(
        f"saves/s={steps / elapsed:,.0f}  mean batch={(store.writer.items - items0) / max(batches, 1):.0f}"
    )
    print(
        f"mean latency: load={counts['load_s'] / max(steps, 1) * 1e3:.2f} ms "
        f"save={counts['save_s'] / max(steps, 1) * 1e3:.2f} ms"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS={peak:,.0f} MiB (the cache holds up to {cache:,} sessions)")
    print(
        f"loads/s (database, no cache, {conversations} concurrent)={await _load_only(store, keys, 5):,.0f}"
    )
    await store.close()
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--no-cache", action="store_true", help="the same as --cache-size 0")
    parser.add_argument(
        "--cache-size", type=int, default=4096, help="SESSION_CACHE_SIZE (default 4096)"
    )
    parser.add_argument("--db", help="database file (default: a temporary directory)")
    args = parser.parse_args()
    asyncio.run(
        main(args.conversations, args.seconds, 0 if args.no_cache else args.cache_size, args.db)
    )

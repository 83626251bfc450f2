"""SQL statements and Python calls per step of the browse cycle (issue 9), in process.

    PYTHONPATH=. .venv/bin/python bench/count_statements.py [--calls] [--rounds 3]

One member signs up (demo mode), then plays ``bench_telegram.JOURNEY`` (the browse load's
22 steps) ``--rounds`` times through the engine (no Telegram, no network); per step: the SQL
statements run on each database (bot, backend) in the last round, and with ``--calls`` the
Python function calls the step made (cProfile). The Telegram side's own statements (the
check before each send: one link read per turn) come on top; tests/conversation/
test_statement_budget.py keeps a budget per step.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402


class Statements:
    """Counts the statements every engine of the process runs, by database file."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.texts: list[str] = []

    def __enter__(self) -> Statements:
        event.listen(Engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.counts[Path(str(conn.engine.url.database)).stem] += 1
        self.texts.append(" ".join(statement.split())[:160])


async def step(chat, kind: str, payload: str) -> None:
    """One step of the browse cycle (``JOURNEY``: a command, typed text or a tap)."""
    if kind == "cmd":
        await chat.command(payload)
    elif kind == "text":
        await chat.text(payload)
    else:
        await chat.tap(payload)


async def play(rounds: int, calls: bool, show_sql: bool) -> None:
    from bench.bench_telegram import JOURNEY
    from bot.app import build_app
    from tests.conftest import Chat, Clock, make_settings
    from tests.conversation.journeys import sign_up

    with tempfile.TemporaryDirectory() as tmp:
        app = await build_app(make_settings(Path(tmp)), clock=Clock())
        try:
            chat = Chat(app)
            await sign_up(chat)
            await chat.command("menu")
            total: Counter[str] = Counter()
            total_calls = 0
            for r in range(rounds):
                last = r == rounds - 1
                for kind, payload in JOURNEY:
                    profiler = cProfile.Profile() if calls and last else None
                    with Statements() as seen:
                        if profiler:
                            profiler.enable()
                        await step(chat, kind, payload)
                        if profiler:
                            profiler.disable()
                    if not last:
                        continue
                    n = pstats.Stats(profiler).total_calls if profiler else 0  # type: ignore[attr-defined]
                    total += seen.counts
                    total_calls += n
                    cells = " ".join(f"{db}={c}" for db, c in sorted(seen.counts.items()))
                    more = f" calls={n:,}" if profiler else ""
                    print(f"{kind:4} {payload[:26]:<26} {cells}{more}")
                    if show_sql:
                        for text in seen.texts:
                            print(f"       {text}")
            steps = len(JOURNEY)
            cells = " ".join(f"{db}={c / steps:.2f}" for db, c in sorted(total.items()))
            more = f" calls={total_calls / steps:,.0f}" if calls else ""
            print(f"per step over the cycle: {cells}{more}")
        finally:
            await app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--calls", action="store_true", help="count Python calls (cProfile)")
    parser.add_argument("--sql", action="store_true", help="print each statement")
    args = parser.parse_args()
    asyncio.run(play(args.rounds, args.calls, args.sql))


if __name__ == "__main__":
    main()

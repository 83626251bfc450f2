"""What a process pays for work that follows a wake-up: the same interpreter work, back to
back and right after a blocking round trip to another process on the same machine.

Why: issue 9's one-customer target asks that an update cost within 1.5x of its cost under
load. Alone, every update begins with a wake-up (the Bot API's answer arrives, the process
was asleep in ``epoll_wait``); in ``bench_telegram.py`` the fake Bot API and its customers,
Python processes on the same 2 cores, run in between. Under load the bot never sleeps. This
bench separates what the code does from what that does to it: a fixed piece of interpreter
work is timed

- back to back (a process under load);
- after a round trip to a peer process that works before it answers (what the fake Bot API
  and its customers do in the one-customer phase);
- after a round trip to a peer that sleeps 0.4 ms before it answers (a wake-up alone, nobody
  else's work in between: closer to a bot whose Bot API is on another machine).

Two kinds of piece: ``json`` (JSON in and out, dicts, strings, ~30 us: a small working set
reused) and ``heap`` (300 reads scattered over 100,000 objects, ~260 us: a turn-sized piece
over a bot-sized heap; its data is mostly out of cache in every mode, so what differs is the
code's and the interpreter's state). Reported per piece, each as a factor of back to back:
the CPU time inside the piece (the same bytecode each time) and the process's CPU (user and
system together: the split of ``getrusage`` is sampled, its total is not), which adds the
round trip's system calls and the wake-up. The rounds run the modes in turn; their spread is
shown, as it is large on a shared machine. No bot, no database.

    python bench/bench_idle.py [--pieces 5000] [--rounds 3] [--kind json,heap]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import socket
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

DOC = {
    "update_id": 1,
    "message": {
        "message_id": 5,
        "from": {"id": 7, "first_name": "Jamie", "language_code": "en"},
        "chat": {"id": 7, "type": "private"},
        "date": 1_700_000_000,
        "text": "K2203N0000001",
    },
}
MODES = ("back to back", "after a working peer", "after a sleeping peer")
HEAP_OBJECTS = 100_000
_rng = random.Random(9)
HEAP = [{"id": i, "name": f"n{i}", "keys": [i, i + 1]} for i in range(HEAP_OBJECTS)]
ORDER = _rng.sample(range(HEAP_OBJECTS), HEAP_OBJECTS)


def json_piece() -> int:
    """A small working set, reused: JSON in and out."""
    text = json.dumps(DOC)
    size = 0
    for _ in range(5):
        update = json.loads(text)
        size += len(json.dumps({**update, "reply": {"text": "Thanks", "keys": [1, 2, 3]}}))
    return size


def heap_piece(start: int = 0) -> int:
    """300 reads scattered over a bot-sized heap."""
    total = 0
    for j in range(start, start + 300):
        item = HEAP[ORDER[j % HEAP_OBJECTS]]
        total += item["id"] + len(item["name"]) + item["keys"][1]
    return total


PIECES: dict[str, Callable[[], int]] = {
    "json": json_piece,
    "heap": lambda: heap_piece(_rng.randrange(HEAP_OBJECTS)),
}
ABOUT = {"json": "a small working set, reused", "heap": "300 reads scattered over a bot-sized heap"}


def _peer(sock: socket.socket, working: bool, piece: Callable[[], int]) -> None:
    while sock.recv(1):
        if working:
            for _ in range(8):
                piece()
        else:
            time.sleep(0.0004)
        sock.send(b"x")


@dataclass(frozen=True)
class Cost:
    in_piece_us: float  # thread CPU inside the piece
    total_us: float  # the process's CPU per piece (round trip and wake-up included)


def _usage() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(mode: str, pieces: int, kind: str = "json") -> Cost:
    """``pieces`` pieces of ``kind`` in ``mode`` (one of MODES); a fifth more run first,
    unmeasured."""
    piece = PIECES[kind]
    ours, theirs = socket.socketpair()
    peer = 0
    if mode != MODES[0]:
        peer = os.fork()
        if peer == 0:  # the peer process: never returns into the caller's code
            code = 1
            try:
                ours.close()
                _peer(theirs, mode == MODES[1], piece)
                code = 0
            finally:
                os._exit(code)
    theirs.close()
    try:
        for _ in range(pieces // 5):  # warm-up
            piece()
            if peer:
                ours.send(b"x")
                ours.recv(1)
        inside = 0.0
        used = _usage()
        for _ in range(pieces):
            start = time.thread_time()
            piece()
            inside += time.thread_time() - start
            if peer:
                ours.send(b"x")
                ours.recv(1)
        used = _usage() - used
    finally:
        ours.close()
        status = os.waitpid(peer, 0)[1] if peer else 0
    if status != 0:
        raise RuntimeError(f"the peer process failed (status {status})")
    return Cost(inside * 1e6 / pieces, used * 1e6 / pieces)


def run(pieces: int, rounds: int, kind: str = "json") -> dict[str, list[Cost]]:
    """Each mode in turn, ``rounds`` times (the machine's drift weighs on all alike)."""
    costs: dict[str, list[Cost]] = {mode: [] for mode in MODES}
    for _ in range(rounds):
        for mode in MODES:
            costs[mode].append(measure(mode, pieces, kind))
    return costs


def report(costs: dict[str, list[Cost]]) -> list[str]:
    def median(mode: str, field: str) -> float:
        return statistics.median(getattr(c, field) for c in costs[mode])

    def spread(mode: str, field: str, base: float) -> str:
        values = [getattr(c, field) / base for c in costs[mode]]
        return f"{min(values):.2f}-{max(values):.2f}" if len(values) > 1 else ""

    base_in, base_total = median(MODES[0], "in_piece_us"), median(MODES[0], "total_us")
    lines = [f"{'':<24}{'in the piece':>28}{'process CPU per piece':>30}"]
    for mode in MODES:
        inside, total = median(mode, "in_piece_us"), median(mode, "total_us")
        lines.append(
            f"{mode:<24}{inside:>9.1f} us {inside / base_in:>5.2f}x {spread(mode, 'in_piece_us', base_in):>9}"
            f"{total:>11.1f} us {total / base_total:>5.2f}x {spread(mode, 'total_us', base_total):>9}"
        )
    lines.append(
        "(medians of the rounds, the rounds' range after them; the same bytecode in every "
        "mode: a factor above 1 is what the wake-up and the other process's work in between "
        "cost, not what the code does)"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kind", default="json,heap", help="which pieces: json, heap or both")
    args = parser.parse_args()
    kinds = args.kind.split(",")
    if unknown := [k for k in kinds if k not in PIECES]:
        parser.error(f"unknown --kind {', '.join(unknown)}: choose from {', '.join(PIECES)}")
    if args.pieces < 5 or args.rounds < 1:
        parser.error("--pieces must be at least 5 and --rounds at least 1")
    for kind in kinds:
        print(f"\n{kind} piece ({ABOUT[kind]})")
        print("\n".join(report(run(args.pieces, args.rounds, kind))))


if __name__ == "__main__":
    main()

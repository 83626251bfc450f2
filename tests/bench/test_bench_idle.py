"""bench/bench_idle.py, tiny and once: every mode runs (the peer process forks, answers and
exits) and the report shows each mode's factor against back to back. No timing asserted."""

from __future__ import annotations

import os

import pytest

from tests.bench.test_bench_telegram import load


@pytest.mark.parametrize("kind", ["json", "heap"])
def test_every_mode_runs_and_is_reported_against_back_to_back(kind: str) -> None:
    idle = load("bench_idle")
    children = set(_children())
    costs = idle.run(pieces=50, rounds=1, kind=kind)
    assert set(costs) == set(idle.MODES)
    for mode, runs in costs.items():
        (cost,) = runs
        assert cost.in_piece_us > 0 and cost.total_us > 0, (mode, cost)
    lines = idle.report(costs)
    assert lines[1].startswith("back to back") and "1.00x" in lines[1]
    assert [line.split("  ")[0] for line in lines[1:4]] == list(idle.MODES)
    assert set(_children()) == children  # each peer process was reaped


def test_a_piece_is_the_same_work_each_time() -> None:
    idle = load("bench_idle")
    assert len({idle.json_piece() for _ in range(3)}) == 1
    assert len({idle.heap_piece(7) for _ in range(3)}) == 1
    assert idle.heap_piece(0) != idle.heap_piece(1)  # scattered: each start reads others


def _children() -> list[str]:
    """This process's child processes (Linux), so that a leaked peer shows."""
    path = f"/proc/{os.getpid()}/task/{os.getpid()}/children"
    try:
        with open(path, encoding="ascii") as handle:
            return handle.read().split()
    except OSError:
        return []

"""bench/bench_idle.py, tiny and once: every mode runs (the peer process forks, answers and
is reaped) and the report shows each mode against back to back. No timing asserted."""

from __future__ import annotations

import os

import pytest

from tests.bench.test_bench_telegram import load


@pytest.mark.parametrize("kind", ["json", "heap"])
def test_every_mode_runs_and_is_reported_against_back_to_back(kind: str) -> None:
    idle = load("bench_idle")
    before = set(_children())
    costs = idle.run(pieces=50, rounds=2, kind=kind)
    assert set(costs) == set(idle.MODES)
    for mode, runs in costs.items():
        assert len(runs) == 2, mode
        assert all(c.in_piece_us > 0 and c.total_us >= c.in_piece_us * 0.5 for c in runs), runs
    lines = idle.report(costs)
    assert [line.split("  ")[0] for line in lines[1:4]] == list(idle.MODES)
    assert all(line.count("x") >= 2 for line in lines[1:4])  # a factor per column
    assert not set(_children()) - before  # each peer process was reaped


def test_a_failing_peer_fails_the_measure(monkeypatch: pytest.MonkeyPatch) -> None:
    """The peer runs in a forked child: its failure must not pass for a measure."""
    idle = load("bench_idle")

    def broken(sock: object, working: bool, piece: object) -> None:
        raise OSError("the peer broke")

    monkeypatch.setattr(idle, "_peer", broken)
    with pytest.raises((RuntimeError, OSError)):
        idle.measure(idle.MODES[1], 20)


@pytest.mark.parametrize(
    "argv", [["--kind", "jsno"], ["--pieces", "0"], ["--rounds", "0"], ["--kind", "json,"]]
)
def test_bad_arguments_get_a_clear_message(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    idle = load("bench_idle")
    monkeypatch.setattr("sys.argv", ["bench_idle.py", *argv])
    with pytest.raises(SystemExit) as exited:
        idle.main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


def _children() -> list[str]:
    """This process's child processes (Linux), so that a leaked peer shows."""
    path = f"/proc/{os.getpid()}/task/{os.getpid()}/children"
    try:
        with open(path, encoding="ascii") as handle:
            return handle.read().split()
    except OSError:
        return []

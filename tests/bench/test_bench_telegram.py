"""bench/bench_telegram.py's whole-journey load, tiny and once (no timing asserted: the bench's
own checks, one code per journey and all distinct, are what must hold), and the regression
check that compares a run with the figures the README records."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(300)


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_readme_records_the_figures_the_check_compares() -> None:
    regression = load("regression")
    figures = regression.recorded((ROOT / "README.md").read_text(encoding="utf-8"))
    for name in (
        "browse.a.cpu_ms_per_update",
        "journey.a.cpu_ms_per_journey",
        "journey.a.cpu_ms_per_update",
        "journey.e.cpu_ms_per_journey",
    ):
        assert figures.get(name, 0) > 0, (name, figures)


def test_a_figure_past_the_margin_is_a_regression_and_one_within_it_is_not() -> None:
    regression = load("regression")
    recorded = regression.recorded(
        "| figure | value |\n|---|---:|\n| `journey.a.cpu_ms_per_journey` | 1,200.5 | x |\n"
        "| `journey.a.journeys_per_s` | 4.0 | y |\n| `browse.a.cpu_ms_per_update` | 1.00 | z |\n"
    )
    assert recorded == {
        "journey.a.cpu_ms_per_journey": 1200.5,
        "journey.a.journeys_per_s": 4.0,
        "browse.a.cpu_ms_per_update": 1.0,
    }
    measured = {
        "journey.a.cpu_ms_per_journey": 1500.7,  # +25.0%: just past a 25% margin
        "journey.a.journeys_per_s": 3.3,  # lower is worse for a rate, within 25%
        "browse.a.cpu_ms_per_update": 0.5,  # better
        "journey.e.cpu_ms_per_journey": 9999.0,  # not recorded: not judged
    }
    verdicts = {v.name: v for v in regression.compare(recorded, measured, 0.25)}
    assert set(verdicts) == set(recorded)
    assert verdicts["journey.a.cpu_ms_per_journey"].regressed
    assert not verdicts["journey.a.journeys_per_s"].regressed
    assert not verdicts["browse.a.cpu_ms_per_update"].regressed
    slower = regression.compare(recorded, {"journey.a.journeys_per_s": 3.1}, 0.25)
    assert [v.regressed for v in slower] == [True]
    assert "REGRESSED" in verdicts["journey.a.cpu_ms_per_journey"].line()


def test_rounds_show_each_phase_of_its_median_round() -> None:
    bench = load("bench_telegram")

    def result(cpu: float) -> object:
        return bench.Result(1000 / cpu, 1.0, 2.0, 100, cpu, cpu, 0.1, 0, 0)

    def run(many: float, single: float) -> object:
        return bench.BotRun(bench.BOTS["e"], result(single), result(many), [1])

    rounds = [run(0.9, 1.1), run(0.5, 1.6), run(0.6, 1.3)]
    chosen = bench.median_run(rounds)
    assert chosen.many.bot_cpu_ms == 0.6 and chosen.single.bot_cpu_ms == 1.3
    assert bench.median_run(rounds[:2]).many.bot_cpu_ms == 0.5  # even: the lower middle
    assert bench.median_run(rounds[:1]) == rounds[0]


def test_whole_journey_load_two_customers_each_get_exactly_one_code(tmp_path: Path) -> None:
    argv = [
        sys.executable,
        str(ROOT / "bench" / "bench_telegram.py"),
        "--load",
        "journey",
        "--journey-bots",
        "a",
        "--journeys",
        "2",
        "--journey-flight",
        "2",
        "--start-timeout",
        "120",
        "--turn-timeout",
        "90",
        "--check-regression",
        str(ROOT / "README.md"),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "[PASS] (a) 2 of 2 customers got exactly one code" in out, out
    assert "2 distinct codes of 2 sent" in out, out
    assert "turns ending unlike calibration: 0; customers that gave up: 0" in out, out
    assert "FAILED" not in out, out
    assert "journey.a.cpu_ms_per_journey" in out, out  # compared with the README's figure

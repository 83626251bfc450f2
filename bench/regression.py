"""No regression from release to release: a run's figures against those the README records.

The README's performance section keeps a table of recorded figures, one per row, named in
backticks (``| `journey.a.cpu_ms_per_journey` | 123.4 | ... |``). ``bench_telegram.py
--check-regression README.md`` reads them, compares the same figures of its own run and says,
per figure, whether it regressed by more than ``--margin`` (default 25%). Only CPU figures are
recorded: on a shared machine wall-clock rates move with the load far more than with the code;
a figure named ``*_per_s`` would be compared the other way (lower is worse).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROW = re.compile(r"^\|\s*`([a-z0-9_.]+)`\s*\|\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*\|", re.M)


def recorded(text: str) -> dict[str, float]:
    """The figures a README records, by name."""
    return {name: float(value.replace(",", "")) for name, value in ROW.findall(text)}


@dataclass(frozen=True)
class Verdict:
    name: str
    recorded: float
    measured: float
    regressed: bool

    @property
    def change(self) -> float:
        """The measured figure against the recorded one: +0.30 is 30% more."""
        return self.measured / self.recorded - 1 if self.recorded else float("inf")

    def line(self) -> str:
        status = "REGRESSED" if self.regressed else "ok"
        return (
            f"  [{status}] {self.name}: {self.measured:,.2f} now, {self.recorded:,.2f} "
            f"recorded ({self.change:+.0%})"
        )


def higher_is_better(name: str) -> bool:
    return name.endswith("_per_s")


def compare(
    recorded_figures: dict[str, float], measured: dict[str, float], margin: float
) -> list[Verdict]:
    """A verdict for every recorded figure this run measured too."""
    verdicts = []
    for name, base in recorded_figures.items():
        if name not in measured:
            continue
        now = measured[name]
        if higher_is_better(name):
            regressed = now < base / (1 + margin)
        else:
            regressed = now > base * (1 + margin)
        verdicts.append(Verdict(name, base, now, regressed))
    return verdicts

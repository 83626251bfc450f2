"""A shutdown that does not end (``SHUTDOWN_TIMEOUT`` plus ``STUCK_AFTER``) logs where each
task waits: names, functions, files and lines, never a value. On events: no real time."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

import pytest

from bot.channels import telegram_runner as runner


def _spy(monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    fired = asyncio.Event()
    real = runner.log_stuck

    def spy() -> None:
        real()
        fired.set()

    monkeypatch.setattr(runner, "log_stuck", spy)
    monkeypatch.setattr(runner, "STUCK_AFTER", 0.0)
    return fired


async def _nothing(*_: Any) -> None:
    return None


async def _shut_down(drain: Any) -> None:
    """The runner's shutdown with stand-ins: no polling, no server; ``drain`` is the
    receiver's wait for the turns in progress."""
    settings = SimpleNamespace(shutdown_timeout=0.0)
    bridge = SimpleNamespace(gate=SimpleNamespace(close=lambda: None, abandoned=[]))
    receiver = SimpleNamespace(drain=drain)
    connector = SimpleNamespace(stop=_nothing)
    await runner._shut_down(settings, connector, bridge, receiver, None, None, None)  # type: ignore[arg-type]


async def test_a_shutdown_that_does_not_end_says_where_it_waits(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    release = asyncio.Event()

    async def waiting_for_the_outbox(*_: Any) -> int:
        secret = "tok-123456:SECRET"  # a value on the stack: never logged
        await release.wait()
        return len(secret) * 0

    fired = _spy(monkeypatch)
    caplog.set_level(logging.ERROR, logger=runner.__name__)
    stopping = asyncio.create_task(_shut_down(drain=waiting_for_the_outbox), name="the-shutdown")
    await asyncio.wait_for(fired.wait(), 30)  # (a hang guard, not a bound)
    assert "the shutdown has not ended" in caplog.text
    assert "the-shutdown" in caplog.text and "waiting_for_the_outbox" in caplog.text
    assert "test_shutdown_watch.py" in caplog.text
    assert "SECRET" not in caplog.text
    release.set()
    await stopping


async def test_a_shutdown_that_ends_logs_nothing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def nothing_left(*_: Any) -> int:
        return 0

    fired = _spy(monkeypatch)
    await _shut_down(drain=nothing_left)
    for _ in range(3):  # the watch, due at once, would have run by now
        await asyncio.sleep(0)
    assert not fired.is_set() and "has not ended" not in caplog.text

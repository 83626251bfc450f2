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


async def test_closing_the_app_is_watched_too_and_the_end_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The last step, the app's close (database threads, image and OCR processes), is watched
    like the others, and a shutdown that ended says so ("stopped"): a log that ends before it
    tells where the process hung."""
    import bot.app
    import bot.channels.telegram.speed

    release = asyncio.Event()

    async def closing_the_database() -> None:
        await release.wait()

    app = SimpleNamespace(start_housekeeping=lambda: None, close=closing_the_database)

    async def build_app(*_: Any, **__: Any) -> Any:
        return app

    def no_bridge(*_: Any) -> Any:
        raise RuntimeError("no bridge in this test")

    monkeypatch.setattr(bot.app, "build_app", build_app)
    monkeypatch.setattr(bot.channels.telegram.speed, "tune_gc", lambda: None)
    monkeypatch.setattr(runner, "_stop_on_signals", lambda stop: None)
    monkeypatch.setattr(runner, "_limits", no_bridge)  # the bridge's making fails
    fired = _spy(monkeypatch)
    caplog.set_level(logging.INFO, logger=runner.__name__)
    settings = SimpleNamespace(
        telegram_bot_token=SimpleNamespace(get_secret_value=lambda: "123:SECRET"),
        shutdown_timeout=0.0,
    )
    running = asyncio.create_task(runner.run_telegram(settings), name="the-run")  # type: ignore[arg-type]
    await asyncio.wait_for(fired.wait(), 30)  # (a hang guard, not a bound)
    assert "closing_the_database" in caplog.text and "stopped" not in caplog.text
    release.set()
    with pytest.raises(RuntimeError, match="no bridge"):
        await running
    assert caplog.records[-1].getMessage() == "stopped"
    assert "SECRET" not in caplog.text


async def test_the_run_command_arms_a_dump_of_every_thread_for_a_hanging_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After the run, only the interpreter's exit is left (it joins the threads): should it
    hang, every thread's stack is written out (faulthandler: functions, files, lines)."""
    import faulthandler

    from bot import cli

    armed: list[tuple[float, bool]] = []

    async def run_telegram(settings: Any) -> int:
        assert armed == []  # not while the bot runs
        return 0

    monkeypatch.setattr(runner, "run_telegram", run_telegram)
    monkeypatch.setattr(
        faulthandler, "dump_traceback_later", lambda t, exit=False: armed.append((t, exit))
    )
    settings = SimpleNamespace(telegram_bot_token="set")
    assert await cli.cmd_run(settings, SimpleNamespace()) == 0  # type: ignore[arg-type]
    assert armed == [(runner.STUCK_AFTER, True)]

    async def failing(settings: Any) -> int:  # a failed run leaves threads behind the likeliest
        raise RuntimeError("the database could not be opened")

    monkeypatch.setattr(runner, "run_telegram", failing)
    with pytest.raises(RuntimeError):
        await cli.cmd_run(settings, SimpleNamespace())  # type: ignore[arg-type]
    assert armed == [(runner.STUCK_AFTER, True)] * 2


async def test_the_stuck_log_writes_every_threads_stack_too(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A task waiting on a thread (a database worker's join) ends its chain at the hop: the
    threads' own stacks say where they are."""
    import threading

    release = threading.Event()

    def a_worker_stuck_in_its_join() -> None:
        release.wait(30)

    thread = threading.Thread(target=a_worker_stuck_in_its_join, daemon=True)
    thread.start()
    try:
        runner.log_stuck()
    finally:
        release.set()
        thread.join()
    assert "a_worker_stuck_in_its_join" in capfd.readouterr().err
    assert "the shutdown has not ended" in caplog.text

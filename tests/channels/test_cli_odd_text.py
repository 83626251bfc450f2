"""The command line's text (Python hands undecodable bytes over as lone surrogates) is made
valid before a command runs: ``support reply`` stores a valid answer, ``review reject`` too."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pytest

from bot import cli
from bot.app import build_app
from states import ConversationKey
from tests.conftest import make_settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name, value in {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "BACKEND_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'backend.db'}",
        "MEDIA_DIR": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield make_settings(tmp_path)
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
    root.setLevel(level)


async def open_ticket(settings) -> int:
    app = await build_app(settings)
    try:
        return (await app.support.open_ticket(ConversationKey("test", "1", "1"), text="help")).id
    finally:
        await app.close()


async def staff_messages(settings, ticket: int) -> list[tuple[str, str | None]]:
    app = await build_app(settings)
    try:
        return [
            (m.text, m.staff_name)
            for m in await app.support.messages(ticket)
            if m.sender == "staff"
        ]
    finally:
        await app.close()


def test_support_reply_with_undecodable_argv(env, capsys) -> None:
    import asyncio

    ticket = asyncio.run(open_ticket(env))
    assert (
        cli.main(
            ["support", "reply", str(ticket), "thanks", "\udcff\udcfe!", "--staff", "sam\udc80"]
        )
        == 0
    )
    assert f"Answer queued for #{ticket}" in capsys.readouterr().out
    assert asyncio.run(staff_messages(env, ticket)) == [("thanks !", "sam")]


def test_every_text_argument_is_made_valid_and_paths_are_kept() -> None:
    args = argparse.Namespace(
        text=["a\udc80", 3], staff="s\x00am", file=Path("in\udcffvoice.txt"), flag=True
    )
    cleaned = cli.valid_args(args)
    assert (cleaned.text, cleaned.staff, cleaned.file, cleaned.flag) == (
        ["a", 3],
        "sam",
        Path("in\udcffvoice.txt"),
        True,
    )

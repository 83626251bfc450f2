"""``redeem-bot support reply`` with undecodable bytes in its arguments (Python hands them over
as lone surrogates): the answer is stored as valid text, not a crash."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.app import build_app
from bot.cli import cmd_support
from states import ConversationKey
from tests.conftest import make_settings


async def test_support_reply_with_undecodable_argv(tmp_path: Path, capsys) -> None:
    settings = make_settings(tmp_path)
    app = await build_app(settings)
    try:
        ticket = await app.support.open_ticket(ConversationKey("test", "1", "1"), text="help")
    finally:
        await app.close()
    args = argparse.Namespace(support_cmd="reply", ticket=str(ticket.id), text=["thanks", "\udcff\udcfe!"],
                              staff="sam\udc80")
    assert await cmd_support(settings, args) == 0
    assert f"Answer queued for #{ticket.id}" in capsys.readouterr().out
    app = await build_app(settings)
    try:
        staff = [m for m in await app.support.messages(ticket.id) if m.sender == "staff"]
    finally:
        await app.close()
    assert [(m.text, m.staff_name) for m in staff] == [("thanks !", "sam")]

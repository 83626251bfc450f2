"""``redeem-bot support reply|close``: answers and closes a ticket, recorded with who did it
(the OS login as the id, ``--staff`` as the name)."""

from __future__ import annotations

import asyncio

from backend.staff_cli import login_name
from bot.app import build_app
from bot.cli import main
from states import ConversationKey
from tests.conftest import make_settings

KEY = ConversationKey("test", "1001", "1001")


def test_reply_and_close_are_recorded(tmp_path, monkeypatch, capsys) -> None:
    settings = make_settings(tmp_path)
    for name, value in (
        ("DATABASE_URL", settings.database_url),
        ("BACKEND_DATABASE_URL", settings.backend_database_url),
        ("MEDIA_DIR", str(settings.media_dir)),
        ("LOG_LEVEL", "WARNING"),
    ):
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)

    async def ticket() -> int:
        app = await build_app(settings)
        try:
            return (await app.support.open_ticket(KEY, text="Where is my code?")).id
        finally:
            await app.close()

    number = asyncio.run(ticket())
    assert main(["support", "reply", str(number), "On", "its", "way", "--staff", "ana"]) == 0
    assert main(["support", "close", str(number)]) == 0
    assert main(["support", "list"]) == 0

    async def history() -> list:
        app = await build_app(settings)
        try:
            return await app.support.history(number)
        finally:
            await app.close()

    login = login_name()
    assert [(a.action, a.actor_id, a.actor_name) for a in asyncio.run(history())] == [
        ("reply", f"os:{login}", "ana"),
        ("close", f"os:{login}", login),
    ]
    capsys.readouterr()

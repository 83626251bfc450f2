"""``redeem-bot run``'s aiogram connector (``telegram_runner.AiogramConnector``, issue 9):
aiogram is not imported until the bot receives (its import is most of the start-up's CPU),
the turns before that are served on the wire, and a call that needs aiogram loads it then.
The journeys through this connector are the ``aiogram-run`` harness of test_connectors.py,
test_review_cards.py and test_forum_bridge.py; the process is test_e2e*.py's ``aiogram``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.telegram.conftest import REPO

# A fresh interpreter: in this one the other tests imported aiogram long ago.
SCRIPT = r"""
import asyncio, json, sys
from pathlib import Path

from bot.app import build_app
from bot.channels.telegram.bridge import Bridge, BridgeOptions
from bot.channels.telegram_runner import AiogramConnector
from tests.conftest import jpeg, make_settings
from tests.telegram.conftest import aiogram_session, fake_wire
from tests.telegram.fake_bot_api import FakeBotApi

CUSTOMER = 4242


def aiogram_modules():
    return sorted(m for m in sys.modules if m.split(".")[0] == "aiogram")


def make_bot(fake):  # aiogram's Bot on the recording session (called once aiogram is loaded)
    from aiogram import Bot

    return Bot(fake.token, session=aiogram_session(fake))


async def main():
    fake = FakeBotApi()
    fake.add_user(CUSTOMER, "Jamie")
    app = await build_app(make_settings(Path(sys.argv[1])))
    bridge = Bridge(app, BridgeOptions(background=False))
    connector = AiogramConnector(
        app.settings, app, bridge, fake.token, wire=fake_wire(fake), make_bot=lambda: make_bot(fake)
    )
    out = {}
    try:
        await connector.prepare()
        await connector.start_polling()
        await connector.feed(json.loads(json.dumps(fake.send_command(CUSTOMER, "start", None))))
        out["started_with"] = aiogram_modules()
        out["answered"] = len(fake.sent(CUSTOMER))
        if sys.argv[2] == "warm":
            connector.warm()  # what the runner does once the first poll is sent
            await connector.loader.get()
        else:  # a photo: its download needs aiogram's Bot, loaded on this first need
            await connector.feed(json.loads(json.dumps(fake.send_photo(CUSTOMER, jpeg()))))
        out["then"] = "aiogram" in sys.modules and connector.loader.loaded
        out["downloads"] = fake.call_count("getFile")
        out["violations"] = len(fake.violations)
    finally:
        await connector.stop()
        await app.close()
    print(json.dumps(out))


asyncio.run(main())
"""


def _run(tmp_path: Path, how: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), how],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_start_up_and_the_first_turns_never_import_aiogram_warm_loads_it(tmp_path: Path) -> None:
    out = _run(tmp_path, "warm")
    assert out["started_with"] == []  # getMe, setMyCommands, deleteWebhook, a turn: no aiogram
    assert isinstance(out["answered"], int) and out["answered"] >= 1
    assert out["then"] is True
    assert out["violations"] == 0


def test_a_call_that_needs_aiogram_loads_it_on_first_need(tmp_path: Path) -> None:
    out = _run(tmp_path, "photo")
    assert out["started_with"] == []
    assert out["then"] is True
    assert out["downloads"] == 1  # the photo was fetched through aiogram's Bot
    assert out["violations"] == 0

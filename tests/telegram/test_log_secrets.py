"""End to end at ``LOG_LEVEL=DEBUG``: a whole journey on each framework (the real
``redeem-bot run`` against the fake Bot API), then the log is searched for every secret and
every piece of personal data the journey handled. The staff commands run at DEBUG too."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conversation.journeys import PASSWORD, demo_code, redeem, register_product, sign_up
from tests.logsecrets import leaks, secrets_of_the_journey
from tests.telegram.conftest import (
    CUSTOMER,
    REDEEM_BOT,
    STAFF_CHAT,
    BotProcess,
    RemoteChat,
    running_bot,
)
from tests.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.timeout(240)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        fake.add_user(CUSTOMER, "Jamie", username="jamie")
        fake.add_group(STAFF_CHAT, "Staff")
        fake.add_user(777, "Sam", username="sam_staff")
        fake.set_role(STAFF_CHAT, 777, "administrator")  # staff: an admin of the staff group
        yield fake


async def cli_at_debug(bot: BotProcess, *args: str) -> str:
    """A staff command at LOG_LEVEL=DEBUG; its output and its log, together."""
    proc = await asyncio.create_subprocess_exec(
        REDEEM_BOT,
        *args,
        env={**bot.env, "LOG_LEVEL": "DEBUG"},
        cwd=str(bot.tmp),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, (args, out.decode(), err.decode())
    return out.decode() + err.decode()


@pytest.mark.parametrize(
    ("framework", "libraries"), [("aiogram", "WARNING"), ("ptb", "WARNING"), ("ptb", "DEBUG")]
)
async def test_debug_log_of_a_whole_journey_holds_no_secret(
    api: FakeBotApi, tmp_path: Path, framework: str, libraries: str
) -> None:
    """Libraries at their default cap, and (PTB, which logs whole updates) opted in to DEBUG."""
    async with running_bot(
        api, tmp_path, framework, LOG_LEVEL="DEBUG", LOG_LIBRARY_LEVEL=libraries
    ) as bot:
        chat = RemoteChat(api)
        await sign_up(chat)
        email_code = demo_code(
            "\n".join(r.text for r in chat.history)
        )  # the sign-up code, shown in demo mode
        await register_product(chat)
        await redeem(chat)
        listing = await cli_at_debug(bot, "review", "list")
        claim_id = next(
            line.split()[0]
            for line in listing.splitlines()
            if line[:1].isalnum() and "-" in line.split()[0]
        )
        stock = await cli_at_debug(bot, "review", "stock", "levelup")
        before = chat.snapshot()
        if framework == "aiogram":
            staff = await cli_at_debug(bot, "review", "--staff", "sam", "approve", claim_id)
        else:
            staff = ""
            api.send_text(777, f"/approve {claim_id}", chat_id=STAFF_CHAT)
        reply = await chat.wait_for_text("activation code", timeout=15, before=before)
        code = next(word for word in reply.text.split() if word.startswith("DEMO-"))
        assert await bot.stop() == 0, bot.log()
    log = bot.log() + listing + stock + staff
    assert " INFO bot." in log, "the log was written"
    found = leaks(log, secrets_of_the_journey(PASSWORD, token=api.token, code=code))
    assert not found, f"in the {framework} log: {found}"
    assert not re.search(rf"(?<!\d){email_code}(?!\d)", log), (
        f"the email code is in the {framework} log"
    )

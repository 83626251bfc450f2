"""End to end, the receive path of the real ``redeem-bot run`` against the fake Bot API:

- SIGTERM or kill -9 with a backlog of one chat's messages: after the restart every one of
  them is answered (the offset moved past an update only once it was in the inbox);
- one chat flooding does not hold up another customer: the other is answered while the
  flooder still waits, and the flooder's excess is dropped with one "slow down" answer.

The bot's sending to a chat is paced (TELEGRAM_RATE_LIMITS) so a backlog exists; the checks
compare counts and orders, never durations; "all answered" is read from the bot's inbox
(empty once every stored update's turn is over), never from a quiet moment.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.telegram.conftest import CUSTOMER, BotProcess, RemoteChat, running_bot
from tests.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.timeout(300)
FRAMEWORKS = ["aiogram", "ptb"]
OTHER = 5151
BACKLOG = 40
PACED = "overall=1000/1,chat=4/1,group=1000/1"
SLOW_DOWN = "faster than I can answer"
WELCOME = "promotion assistant"


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        fake.add_user(CUSTOMER, "Jamie", username="jamie")
        fake.add_user(OTHER, "Sam")
        yield fake


def prompts(api: FakeBotApi) -> int:
    """/help is answered with the help, then the current step (the welcome): one per answer.
    A turn killed between its commit and its reply gets the current step again after the
    restart, so the step counts answers."""
    return sum(WELCOME in (m.get("text") or "") for m in api.sent(CUSTOMER))


@pytest.mark.parametrize("framework", [*FRAMEWORKS, "wire"])
@pytest.mark.parametrize("how", ["sigterm", "kill9"])
async def test_a_backlog_survives_sigterm_and_kill9(
    api: FakeBotApi, tmp_path: Path, framework: str, how: str
) -> None:
    bot = BotProcess(
        api, tmp_path, framework, TELEGRAM_RATE_LIMITS=PACED, TELEGRAM_CHAT_BACKLOG="100"
    )
    await bot.start()
    try:
        await bot.ready()
        chat = RemoteChat(api)
        await chat.command("help")
        assert prompts(api) == 1
        for _ in range(BACKLOG):
            api.send_command(CUSTOMER, "help")
        await api.wait_for(lambda: prompts(api) >= 6, 60, what="a few answers")
        if how == "sigterm":
            assert await bot.stop() == 0, bot.log()
        else:
            await bot.kill9()
        assert prompts(api) < BACKLOG + 1, f"no backlog left: the test proves nothing\n{bot.log()}"

        await bot.start()
        await bot.ready()
        await api.wait_for(lambda: prompts(api) >= BACKLOG + 1, 120, what="every message answered")
        await RemoteChat(api).until_handled()  # every turn over, its replies sent
        if how == "sigterm":  # each answered once, completely
            assert prompts(api) == BACKLOG + 1, bot.log()
            assert len(api.sent(CUSTOMER)) == 2 * (BACKLOG + 1), bot.log()
        else:  # at least once: the turn in progress at the kill may be shown its step twice
            assert prompts(api) <= BACKLOG + 2, bot.log()
        api.assert_no_violations()
        assert await bot.stop() == 0, bot.log()
    finally:
        if not bot.exited():
            await bot.stop()
    assert api.token not in bot.log()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_one_chat_flooding_holds_nobody_up(
    api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    async with running_bot(api, tmp_path, framework, TELEGRAM_RATE_LIMITS=PACED) as bot:
        flooder = RemoteChat(api)
        await flooder.command("help")
        per_help = len(api.sent(CUSTOMER))
        for _ in range(600):
            api.send_command(CUSTOMER, "help")
        other = RemoteChat(api, OTHER)
        await other.command("start")
        assert "promotion assistant" in other.text_all
        # answered while the flooder still waits for its own (it was behind ~500 of them)
        assert len(api.sent(CUSTOMER)) < per_help * 60
        await api.wait_for(
            lambda: any(SLOW_DOWN in (m.get("text") or "") for m in api.sent(CUSTOMER)),
            60,
            what="the slow-down answer",
        )
        await flooder.until_handled()  # the held ones answered (the rest were never stored)
        texts = [m.get("text") or "" for m in api.sent(CUSTOMER)]
        warned = sum(SLOW_DOWN in t for t in texts)
        held = (len(texts) - warned) // per_help - 1
        # 20 held (TELEGRAM_CHAT_BACKLOG, a few more if the flooder's turns ended between two
        # polls), one slow-down answer per flood, the rest dropped
        assert 20 <= held <= 40 and 1 <= warned <= 2, (held, warned)
        api.assert_no_violations()
        assert await bot.stop() == 0, bot.log()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_sigterm_with_a_stuck_turn_exits_at_the_bound_and_answers_after_restart(
    api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    bot = BotProcess(api, tmp_path, framework, SHUTDOWN_TIMEOUT="1")
    await bot.start()
    try:
        await bot.ready()
        await RemoteChat(api).command("help")
        assert prompts(api) == 1
        api.set_latency(100, "sendMessage")  # Telegram hangs on the reply (longer than stop's 45 s)
        api.send_command(CUSTOMER, "help")
        await api.wait_for_updates_consumed()  # stored and confirmed: the turn is under way
        assert await bot.stop() == 0, bot.log()  # at SHUTDOWN_TIMEOUT, not after the send
        api.clear_faults()
        await bot.start()
        await bot.ready()
        await api.wait_for(lambda: prompts(api) >= 2, 60, what="the answer after the restart")
        api.assert_no_violations()
        assert await bot.stop() == 0, bot.log()
    finally:
        if not bot.exited():
            await bot.stop()


async def test_a_turn_paced_over_seconds_is_read_whole(api: FakeBotApi, tmp_path: Path) -> None:
    """A turn's replies spread over seconds (a chat's sending pace of 1 a second: on a loaded
    machine any gap) are one turn to RemoteChat: it waits until the update is handled, not
    for a quiet moment (with a 0.15 s quiet moment it read the demo code message alone and
    the next step typed into the wrong prompt)."""
    from tests.conversation.journeys import PASSWORD, sign_up_to_password

    async with running_bot(
        api, tmp_path, "aiogram", TELEGRAM_RATE_LIMITS="overall=1000/1,chat=1/1,group=1000/1"
    ):
        chat = RemoteChat(api)
        await sign_up_to_password(chat)
        await chat.text(PASSWORD)
        got = await chat.text(PASSWORD)  # deleted, then the demo code, then its prompt: 1 s apart
        assert [r.text.split(":")[0][:12] for r in got] == ["🧪 DEMO MODE", "Type the 6-d"], [
            r.text for r in got
        ]

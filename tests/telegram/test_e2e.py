"""End to end: the real ``redeem-bot run`` process against the fake Bot API, per framework.

The customer is simulated through the fake (real HTTP on 127.0.0.1); every call the bot makes
is validated against the Bot API spec. Journeys come from ``tests/conversation/journeys.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.config import Settings
from handlers.i18n import Catalog
from states import ConversationKey
from storage.db import make_engine
from storage.links import LinkStore
from tests.conftest import jpeg
from tests.conversation import journeys_i18n
from tests.conversation.journeys import PASSWORD, demo_code, redeem, register_product, sign_up
from tests.telegram.conftest import (
    CUSTOMER,
    STAFF_CHAT,
    BotProcess,
    RemoteChat,
    free_port,
    running_bot,
)
from tests.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.timeout(240)
FRAMEWORKS = ["aiogram", "ptb"]
KEY = ConversationKey("telegram", str(CUSTOMER), str(CUSTOMER))


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        fake.add_user(CUSTOMER, "Jamie", username="jamie")
        fake.add_group(STAFF_CHAT, "Staff")
        fake.add_user(777, "Sam", username="sam_staff")
        fake.set_role(STAFF_CHAT, 777, "administrator")
        yield fake


def first_claim_id(listing: str) -> str:
    rows = [
        line.split()[0]
        for line in listing.splitlines()[1:]
        if line.strip() and "waiting" not in line
    ]
    assert rows, listing
    return rows[0]


async def is_blocked(tmp: Path, key: ConversationKey) -> bool:
    settings = Settings(_env_file=None, DATABASE_URL=f"sqlite+aiosqlite:///{tmp / 'bot.db'}")
    engine = make_engine(settings.database_url)
    links = LinkStore(engine)
    try:
        return await links.is_blocked(key)
    finally:
        await links.close()
        await engine.dispose()


@pytest.mark.parametrize("framework", [*FRAMEWORKS, "wire"])
async def test_whole_journey_sign_up_to_prize_code(
    api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    async with running_bot(api, tmp_path, framework) as bot:
        assert [c["command"] for c in api.commands()] == [
            "start",
            "menu",
            "status",
            "help",
            "cancel",
            "language",
        ]
        chat = RemoteChat(api)
        await sign_up(chat)
        await register_product(chat)
        await redeem(chat)
        claim_id = first_claim_id(await bot.cli("review", "list"))
        before = chat.snapshot()
        if framework == "aiogram":  # the embedded review desk on the command line
            await bot.cli("review", "--staff", "sam", "approve", claim_id)
        else:  # the staff group
            api.send_text(777, f"/approve {claim_id}", chat_id=STAFF_CHAT)
            await api.wait_for(
                lambda: any("✅" in (m.get("text") or "") for m in api.sent(STAFF_CHAT)),
                what="the staff group's confirmation",
            )
        reply = await chat.wait_for_text("activation code", timeout=15, before=before)
        assert "Congratulations" in reply.text
        assert len(api.calls_to("deleteMessage")) == 3, (
            "password messages and the emailed code deleted"
        )
        assert all(PASSWORD not in (m.get("text") or "") for m in api.sent(CUSTOMER))
        assert api.call_count("getFile") == 2
        api.assert_no_violations()
        api.assert_all_callbacks_answered()
        assert await bot.stop() == 0, bot.log()


class LocalRemoteChat(journeys_i18n.Localised, RemoteChat):
    """A Telegram customer whose client says ``language_code``; buttons found by our texts."""

    def __init__(self, fake: FakeBotApi, catalog: Catalog, locale: str) -> None:
        super().__init__(fake)
        self.catalog = catalog
        self._locale = locale

    @property
    def locale(self) -> str:
        return self._locale


LANGUAGE_CASES = {  # locale: (Telegram language_code, a region typed, a date typed)
    "de": ("de", "Deutschland", "01.10.2026"),
    "zh-Hant": ("zh-hant", "德國", "2026年10月1日"),
}


@pytest.mark.parametrize("locale", sorted(LANGUAGE_CASES))
@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_whole_journey_in_german_and_chinese(
    api: FakeBotApi, tmp_path: Path, framework: str, locale: str
) -> None:
    """language_code from the client picks the language; the command menu is set per language;
    sign-up to code, with a rejection and a second try, all in the customer's language."""
    code, region, date = LANGUAGE_CASES[locale]
    api.add_user(CUSTOMER, "Jamie", username="jamie", language_code=code)
    catalog = Catalog()
    async with running_bot(api, tmp_path, framework) as bot:
        await api.wait_for(
            lambda: len(api.commands(language_code=code[:2])) == 6, what="the menu in the language"
        )
        menu = {c["command"]: c["description"] for c in api.commands(language_code=code[:2])}
        assert menu["language"] == catalog.text(locale, "command.language")
        assert menu["start"] == catalog.text(locale, "command.start")
        chat = LocalRemoteChat(api, catalog, locale)
        await journeys_i18n.sign_up(chat, region)
        await journeys_i18n.register(chat, region, date)
        await journeys_i18n.redeem(chat)
        claim_id = first_claim_id(await bot.cli("review", "list"))
        before = chat.snapshot()
        await bot.cli(
            "review", "--staff", "sam", "reject", claim_id, "--reason", "invoice_missing_model"
        )
        reply = await chat.wait_for_text(
            catalog.text(locale, "reason.invoice_missing_model"), before=before
        )
        assert chat.fixed("notify.rejected") in reply.text
        await chat.tap_key("btn.redeem_again")
        await chat.photo(jpeg(1300, 1000, (90, 90, 90)))
        await chat.tap_key("btn.confirm")
        chat.said("redeem.submitted")
        before = chat.snapshot()
        await bot.cli("review", "--staff", "sam", "approve", claim_id)
        reply = await chat.wait_for_text(
            catalog.text(locale, "notify.activation_default"), before=before
        )
        assert chat.fixed("notify.success") in reply.text
        api.assert_no_violations()
        api.assert_all_callbacks_answered()
        assert await bot.stop() == 0, bot.log()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_faults_429_5xx_dropped_duplicate_403(
    api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    async with running_bot(api, tmp_path, framework) as bot:
        chat = RemoteChat(api)
        api.fail_next("sendMessage", 429, retry_after=1)
        await chat.command("start")
        assert "promotion assistant" in chat.text_all
        api.fail_next("sendMessage", 502, body="<html>502 Bad Gateway</html>")
        await chat.tap("Sign up")
        assert "email" in chat.text_all.lower()
        api.drop_connection_next("sendMessage")
        await chat.text("jamie@example.com")
        assert "first name" in chat.text_all.lower()

        before = chat.snapshot()
        update = api.send_text(CUSTOMER, "Jamie")
        await chat.settle(before)
        api.enqueue_update(update)  # the same update once more (polling restart, webhook retry)
        await chat.until_handled()  # confirmed, and out of the bot's inbox: handled
        asked = [m for m in api.sent(CUSTOMER) if "region / location" in (m.get("text") or "")]
        assert len(asked) == 1, api.transcript(CUSTOMER)  # the step after the first name

        api.add_user(5151, "Blocky")
        other = RemoteChat(api, 5151)
        await other.command("start")
        api.block_bot(5151)
        api.send_text(5151, "hello?")
        await api.wait_for(lambda: any("blocked" in d for _, d in api.api_errors), what="a 403")
        key = ConversationKey("telegram", "5151", "5151")
        await other.until_handled()  # the turn that met the 403 is over (no 5 s wall-clock bound)
        assert await is_blocked(tmp_path, key), "the customer who blocked the bot was not marked"

        await chat.text("Germany")  # nothing else broke
        assert "Please check your details" in chat.text_all, chat.text_all
        assert "jamie@example.com" in chat.text_all and "Jamie" in chat.text_all, chat.text_all
        assert api.delivered_update_ids.count(update["update_id"]) == 2
        api.assert_no_violations()
        api.assert_all_callbacks_answered()
        assert not bot.exited()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_kill9_mid_journey_then_restart(
    api: FakeBotApi, tmp_path: Path, framework: str
) -> None:
    bot = BotProcess(api, tmp_path, framework)
    await bot.start()
    try:
        await bot.ready()
        chat = RemoteChat(api)
        await chat.command("start")
        await chat.tap("Sign up")
        await chat.text("jamie@example.com")
        await chat.text("Jamie")
        await bot.kill9()
        before = chat.snapshot()
        api.send_text(CUSTOMER, "Germany")  # written while the bot is down
        await bot.start()
        await bot.ready()
        chat.replies = await chat.settle(before)  # the answer to the message sent while down
        assert "Please check your details" in chat.text_all
        assert "jamie@example.com" in chat.text_all and "Germany" in chat.text_all, (
            "answers before the crash kept"
        )
        await chat.tap("Contact number")
        await chat.text("+49 30 1234567")
        await chat.tap("I agree, continue")
        await chat.text(PASSWORD)
        await chat.text(PASSWORD)
        await chat.text(demo_code(chat.text_all))
        assert "Welcome to MSI" in chat.text_all
        api.assert_no_violations()
    finally:
        if not bot.exited():
            await bot.stop()
    assert api.token not in bot.log()


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_webhook_with_secret(api: FakeBotApi, tmp_path: Path, framework: str) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    secret = "s3cret_Token-1"
    env = {"WEBHOOK_URL": url, "WEBHOOK_LISTEN": f"127.0.0.1:{port}", "WEBHOOK_SECRET": secret}
    async with running_bot(api, tmp_path, framework, **env) as bot:
        await api.wait_for(lambda: api.webhook_url == url, what="setWebhook")
        assert api.calls_to("setWebhook")[-1]["secret_token"] == secret
        hook = api.calls_to("setWebhook")[-1]
        assert int(hook["max_connections"]) == 100  # min(100, TELEGRAM_CONCURRENCY)
        chat = RemoteChat(api)
        await chat.command("start")
        await chat.tap("Sign up")
        assert "email" in chat.text_all.lower()
        assert api.webhook_deliveries and all(
            d.secret_token == secret and d.status == 200 for d in api.webhook_deliveries
        )
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 1, "type": "private"},
                "text": "hi",
            },
        }
        async with aiohttp.ClientSession() as http:
            for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):
                async with http.post(url, json=update, headers=headers) as resp:
                    assert resp.status == 403
        api.assert_no_violations()
        assert await bot.stop() == 0, bot.log()

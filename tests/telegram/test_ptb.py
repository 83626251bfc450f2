"""What only the python-telegram-bot connector has (the shared scenarios run for both
frameworks in ``test_connectors.py``)."""

from __future__ import annotations

import asyncio

import pytest

from tests.telegram.conftest import CUSTOMER

# PTB itself reads its own deprecated ``RetryAfter.retry_after`` when building the error
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


# ----------------------------------------------------------------------------- PTB specifics
async def test_handlers_are_non_blocking(tg_app) -> None:
    from telegram.ext import ApplicationBuilder

    from bot.channels.telegram.ptb_app import add_handlers

    application = ApplicationBuilder().token("123:TEST").updater(None).build()
    add_handlers(application, tg_app)
    handlers = application.handlers[0]
    # message, edited_message, callback_query, my_chat_member
    assert len(handlers) == 4 and all(h.block is False for h in handlers)


async def test_mounts_into_a_shop_application(fake, tg_app, vtime) -> None:
    """A shop's own handlers keep their commands; the conversation takes everything else;
    the shop's post_init still runs before ours."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, CommandHandler

    from bot.channels.telegram.ptb_app import add_handlers
    from tests.telegram.conftest import make_bridge, ptb_request

    calls: list[str] = []

    async def shop_init(application) -> None:
        calls.append("shop")

    async def shop_command(update, context) -> None:
        await update.message.reply_text("Welcome to the shop")

    application = (
        ApplicationBuilder()
        .token(fake.token)
        .request(ptb_request(fake))
        .updater(None)
        .post_init(shop_init)
        .build()
    )
    application.add_handler(CommandHandler("shop", shop_command))
    bridge = add_handlers(application, tg_app, bridge=make_bridge(tg_app, vtime))
    await application.initialize()
    await application.post_init(application)
    assert calls == ["shop"] and fake.commands(), "shop's post_init, then the command menu"
    await application.start()
    for text in ("/shop", "/start"):
        await application.process_update(
            Update.de_json(fake.send_text(CUSTOMER, text), application.bot)
        )
        for _ in range(3):
            await asyncio.sleep(0)
        await bridge.gate.inflight.wait_idle(10)
    texts = [m["text"] for m in fake.sent(CUSTOMER)]
    assert texts[0] == "Welcome to the shop" and "promotion assistant" in texts[1]
    assert len(texts) == 2
    await application.stop()
    await application.post_stop(application)
    await application.shutdown()
    fake.assert_no_violations()


async def test_error_translation() -> None:
    import datetime as dt

    from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

    from bot.channels.telegram.common import Blocked, Rejected, RetryLater, Transient
    from bot.channels.telegram.ptb_app import translate

    retry = translate(RetryAfter(dt.timedelta(seconds=7)))
    assert isinstance(retry, RetryLater) and retry.seconds == 7
    assert isinstance(translate(Forbidden("blocked")), Blocked)
    assert isinstance(translate(BadRequest("bad")), Rejected)
    assert isinstance(translate(NetworkError("Bad Gateway")), Transient)
    assert isinstance(translate(TimedOut()), Transient)
    assert translate(ValueError("ours")) is None

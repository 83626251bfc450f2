"""What only the aiogram connector has (the shared scenarios run for both frameworks in
``test_connectors.py``)."""

from __future__ import annotations

import inspect

from tests.telegram.conftest import CUSTOMER


# ----------------------------------------------------------------------------- aiogram specifics
def test_router_has_only_async_catch_alls(tg_app) -> None:
    """No filters (aiogram runs sync ones in a thread), one coroutine handler per event type."""
    from bot.channels.telegram.aiogram_app import make_router

    router = make_router(tg_app)
    observers = (
        router.message,
        router.edited_message,
        router.callback_query,
        router.my_chat_member,
    )
    for observer in observers:
        assert len(observer.handlers) == 1
        handler = observer.handlers[0]
        assert not handler.filters
        assert inspect.iscoroutinefunction(handler.callback)
    assert set(router.resolve_used_update_types()) == {
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
    }


async def test_mounts_into_a_shop_dispatcher(fake, tg_app, vtime) -> None:
    """A shop's own handlers keep their commands; the conversation takes everything else."""
    from aiogram import Bot, Dispatcher, Router
    from aiogram.filters import Command
    from aiogram.types import Message, Update

    from bot.channels.telegram.aiogram_app import make_router
    from tests.telegram.conftest import aiogram_session, make_bridge

    shop = Router(name="shop")

    @shop.message(Command("shop"))
    async def shop_command(message: Message) -> None:
        await message.answer("Welcome to the shop")

    dp = Dispatcher()
    dp.include_router(shop)
    dp.include_router(make_router(tg_app, bridge=make_bridge(tg_app, vtime)))
    bot = Bot(fake.token, session=aiogram_session(fake))
    await dp.emit_startup(bot=bot, dispatcher=dp, bots=[bot])
    for text in ("/shop", "/start"):
        update = fake.send_text(CUSTOMER, text)
        await dp.feed_update(bot, Update.model_validate(update, context={"bot": bot}))
    texts = [m["text"] for m in fake.sent(CUSTOMER)]
    assert texts[0] == "Welcome to the shop" and "promotion assistant" in texts[1]
    assert len(texts) == 2
    await dp.emit_shutdown(bot=bot, dispatcher=dp, bots=[bot])
    fake.assert_no_violations()


async def test_error_translation() -> None:
    from aiogram.exceptions import (
        TelegramBadRequest,
        TelegramForbiddenError,
        TelegramNetworkError,
        TelegramRetryAfter,
        TelegramServerError,
    )
    from aiogram.methods import SendMessage

    from bot.channels.telegram.aiogram_errors import translate
    from bot.channels.telegram.common import Blocked, Rejected, RetryLater, Transient

    method = SendMessage(chat_id=1, text="x")
    assert isinstance(
        translate(TelegramRetryAfter(method=method, message="m", retry_after=7)), RetryLater
    )
    assert isinstance(translate(TelegramForbiddenError(method=method, message="blocked")), Blocked)
    assert isinstance(translate(TelegramServerError(method=method, message="500")), Transient)
    assert isinstance(translate(TelegramNetworkError(method=method, message="reset")), Transient)
    assert isinstance(translate(TelegramBadRequest(method=method, message="bad")), Rejected)
    assert translate(ValueError("ours")) is None

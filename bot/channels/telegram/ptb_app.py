"""The conversation on python-telegram-bot 22: handlers to add to any ``Application``.

    from telegram.ext import ApplicationBuilder
    from bot.app import build_app
    from bot.channels.telegram.ptb_app import add_handlers

    app = await build_app()
    application = ApplicationBuilder().token(TOKEN).build()
    application.add_handler(shop_handler)   # the shop's own handlers first ...
    add_handlers(application, app)          # ... then, in the same group, the conversation

Concurrency: the handlers are non-blocking (``block=False``): PTB runs each of them as a task
(tracked, and awaited by ``Application.stop``) whatever the application's
``concurrent_updates`` setting, while the shared bridge keeps each customer's updates in
order (a FIFO lock per chat, entered before the first await). PTB's default sequential
processing alone would make every customer wait for every other one's database writes and
uploads; ``concurrent_updates`` alone would not keep one customer's updates in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import httpx
from telegram import Bot, BotCommand, InputFile, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.app import App
from bot.channels.telegram.bridge import Bridge
from bot.channels.telegram.common import (
    Blocked,
    NotSent,
    Rejected,
    RetryLater,
    SendError,
    Transient,
    mapped_errors,
    retry_seconds,
    sent_nothing,
)
from bot.channels.telegram.keyboards import ptb_markup
from bot.channels.telegram.port import Rows, callback_in, member_in, message_in

T = TypeVar("T")
# httpx's errors of the connect phase (PTB raises them as NetworkError/TimedOut "from" these):
# the request never left, Telegram saw nothing
CONNECT_ERRORS: tuple[type[BaseException], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
MAX_IN_FLIGHT = 16  # Bot API calls at once per port (the runner's httpx pool has 64 connections)


def translate(exc: BaseException) -> SendError | None:
    """PTB's errors as the shared ones (None: not a Bot API failure)."""
    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, RetryAfter):
        return RetryLater(
            retry_seconds(getattr(exc, "_retry_after", None) or exc.retry_after), exc.message
        )
    if isinstance(exc, Forbidden):
        return Blocked(exc.message)
    if isinstance(exc, BadRequest):  # a subclass of NetworkError: test it first
        return Rejected(exc.message)
    if isinstance(exc, NetworkError):
        return (NotSent if sent_nothing(exc, CONNECT_ERRORS) else Transient)(exc.message)
    if isinstance(exc, TelegramError):
        return Rejected(exc.message)
    if isinstance(exc, (asyncio.TimeoutError, OSError)):
        return Transient(type(exc).__name__)
    return None


async def api_call(call: Awaitable[T]) -> T:
    """The framework's call, its failures as the shared errors."""
    return await mapped_errors(call, translate)


class PtbPort:
    """The Bot API calls of the shared code, on a PTB ``Bot``.

    At most ``max_in_flight`` calls at once; the others wait here, in order. Without the
    bound, a burst of customers (handlers run as tasks) queues hundreds of requests inside
    httpx's connection pool, whose bookkeeping is O(connections x waiting requests) per
    request and whose 1 s pool timeout fails the rest ("Pool timeout", retried seconds
    later): at 1,000 customers that was 12 ms of CPU per update and 18 s p99
    (bench/bench_telegram.py). Downloads are not counted (rare, and possibly long).
    """

    def __init__(self, bot: Bot, *, max_in_flight: int = MAX_IN_FLIGHT) -> None:
        self.bot = bot
        self._slots = asyncio.Semaphore(max_in_flight)

    async def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        async with self._slots:
            return await api_call(make())

    async def send_message(self, chat_id: int, text: str, rows: Rows) -> int:
        message = await self._call(
            lambda: self.bot.send_message(
                chat_id=chat_id, text=text, reply_markup=ptb_markup(rows), parse_mode=None
            )
        )
        return message.message_id

    async def send_photo(self, chat_id: int, photo: bytes, caption: str | None, rows: Rows) -> int:
        message = await self._call(
            lambda: self.bot.send_photo(
                chat_id=chat_id,
                photo=InputFile(photo, filename="picture.jpg"),
                caption=caption,
                reply_markup=ptb_markup(rows),
                parse_mode=None,
            )
        )
        return message.message_id

    async def edit_message(self, chat_id: int, message_id: int, text: str, rows: Rows) -> None:
        await self._call(
            lambda: self.bot.edit_message_text(
                text=text,
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=ptb_markup(rows),
                parse_mode=None,
            )
        )

    async def delete_message(self, chat_id: int, message_id: int) -> None:
        await self._call(lambda: self.bot.delete_message(chat_id=chat_id, message_id=message_id))

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        notice = text[:200] if text else None
        await self._call(
            lambda: self.bot.answer_callback_query(callback_query_id=callback_id, text=notice)
        )

    async def download(self, file_id: str) -> bytes:
        file = await api_call(self.bot.get_file(file_id))
        return bytes(await api_call(file.download_as_bytearray()))

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language: str | None = None
    ) -> None:
        menu = [BotCommand(name, text) for name, text in commands]
        await self._call(lambda: self.bot.set_my_commands(menu, language_code=language))

    async def username(self) -> str | None:
        try:
            return str(self.bot.username)  # from getMe at Application.initialize
        except RuntimeError:
            try:
                return (await self._call(self.bot.get_me)).username
            except SendError:
                return None

    async def get_chat_member(self, chat_id: int, user_id: int) -> str:
        member = await self._call(
            lambda: self.bot.get_chat_member(chat_id=chat_id, user_id=user_id)
        )
        return str(getattr(member.status, "value", member.status))


def _chain(
    application: Application, hook: str, extra: Callable[[Application], Awaitable[None]]
) -> None:
    """Run ``extra`` after the application's own ``post_init``/``post_stop`` (if any)."""
    previous = getattr(application, hook)

    async def chained(application: Application) -> None:
        if previous is not None:
            await previous(application)
        await extra(application)

    setattr(application, hook, chained)


def add_handlers(
    application: Application,
    app: App,
    *,
    bridge: Bridge | None = None,
    group: int = 0,
    set_commands: bool = True,
    lifecycle: bool = True,
    block: bool = False,
) -> Bridge:
    """Add the conversation's handlers to ``application`` (in handler ``group``).

    With ``lifecycle`` (default) the application's ``post_init`` starts the bridge (command
    menu, notifications) and ``post_stop`` stops it, as ``run_polling``/``run_webhook`` call
    them; when you drive the application yourself, call ``await bridge.start(PtbPort(bot))``
    and ``await bridge.stop()``. ``block=True`` makes ``Application.process_update`` return
    only when the turn is over (for a caller that runs updates concurrently itself, like
    ``redeem-bot run``'s receiver); with PTB's own polling keep the default.
    """
    bridge = bridge or Bridge(app)
    port = PtbPort(application.bot)

    async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await bridge.on_message(port, message_in(update.update_id, update.message))

    async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.edited_message is not None
        edit = message_in(update.update_id, update.edited_message, edited=True)
        await bridge.on_edited(port, edit)

    async def on_callback_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await bridge.on_callback(port, callback_in(update.update_id, update.callback_query))

    async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.my_chat_member is not None:
            await bridge.on_member_change(member_in(update.update_id, update.my_chat_member))

    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE, on_message, block=block), group
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edited, block=block), group
    )
    application.add_handler(CallbackQueryHandler(on_callback_query, block=block), group)
    application.add_handler(
        ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER, block=block), group
    )
    if lifecycle:

        async def start(application: Application) -> None:
            from bot.channels.telegram.forum_ptb import PtbForum  # (it imports this module)

            await bridge.start(port, set_commands=set_commands, forum=PtbForum(application.bot))

        async def stop(application: Application) -> None:
            await bridge.stop()

        _chain(application, "post_init", start)
        _chain(application, "post_stop", stop)
    return bridge


__all__ = ["PtbPort", "add_handlers", "api_call", "translate"]

"""The conversation on aiogram 3: a ``Router`` to mount into any ``Dispatcher``.

    from aiogram import Dispatcher
    from bot.app import build_app
    from bot.channels.telegram.aiogram_app import make_router

    app = await build_app()
    dp = Dispatcher()
    dp.include_router(shop_router)        # the shop's own handlers first
    dp.include_router(make_router(app))   # then the conversation: it takes everything left

One async catch-all handler per event type (message, callback query, ``my_chat_member``),
no filters: aiogram runs sync filters in a worker thread, which costs about half of the
time per update. The router's startup hook sets the command menu and starts the background
delivery of notifications; its shutdown hook waits for updates in progress.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, TypeVar

from aiogram import Bot, Router
from aiogram.methods.base import TelegramMethod
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    ChatMemberUpdated,
    Message,
    Update,
)

from bot.app import App
from bot.channels.telegram.aiogram_errors import api_call, translate
from bot.channels.telegram.bridge import Bridge
from bot.channels.telegram.common import SendError
from bot.channels.telegram.forum_aiogram import AiogramForum
from bot.channels.telegram.keyboards import aiogram_markup, json_markup
from bot.channels.telegram.port import Rows, callback_in, member_in, message_in
from bot.channels.telegram.speed import LeanCalls, response_models

T = TypeVar("T")


class ChatMemberStatus(TelegramMethod[dict[str, Any]]):
    """``getChatMember`` read as a plain object: only its ``status`` is used, so a field
    Telegram adds (or aiogram expects before the server sends it) cannot fail the check of
    who is staff."""

    __returning__ = dict[str, Any]
    __api_method__ = "getChatMember"

    chat_id: int
    user_id: int


class AiogramPort:
    """The Bot API calls of the shared code, on an aiogram ``Bot``."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.lean = LeanCalls(bot) if LeanCalls.usable(bot) else None

    async def send_message(self, chat_id: int, text: str, rows: Rows) -> int:
        if self.lean is not None:
            payload: dict[str, Any] = {"chat_id": chat_id, "text": text}
            markup = json_markup(rows)
            if markup:
                payload["reply_markup"] = markup
            return int((await self.lean.call("sendMessage", payload))["message_id"])
        message = await api_call(
            self.bot.send_message(
                chat_id=chat_id, text=text, reply_markup=aiogram_markup(rows), parse_mode=None
            )
        )
        return message.message_id

    async def send_photo(self, chat_id: int, photo: bytes, caption: str | None, rows: Rows) -> int:
        message = await api_call(
            self.bot.send_photo(
                chat_id=chat_id,
                photo=BufferedInputFile(photo, filename="picture.jpg"),
                caption=caption,
                reply_markup=aiogram_markup(rows),
                parse_mode=None,
            )
        )
        return message.message_id

    async def edit_message(self, chat_id: int, message_id: int, text: str, rows: Rows) -> None:
        if self.lean is not None:
            payload: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "text": text}
            markup = json_markup(rows)
            if markup:
                payload["reply_markup"] = markup
            await self.lean.call("editMessageText", payload)
            return
        await api_call(
            self.bot.edit_message_text(
                chat_id=chat_id,
                message_id=message_id,
                text=text,
                reply_markup=aiogram_markup(rows),
                parse_mode=None,
            )
        )

    async def delete_message(self, chat_id: int, message_id: int) -> None:
        await api_call(self.bot.delete_message(chat_id=chat_id, message_id=message_id))

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        if self.lean is not None:
            body = {"callback_query_id": callback_id} | ({"text": text[:200]} if text else {})
            await self.lean.call("answerCallbackQuery", body)
            return
        await api_call(
            self.bot.answer_callback_query(
                callback_query_id=callback_id, text=text[:200] if text else None
            )
        )

    async def download(self, file_id: str) -> bytes:
        buffer = io.BytesIO()
        await api_call(self.bot.download(file_id, destination=buffer, timeout=60))
        return buffer.getvalue()

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language: str | None = None
    ) -> None:
        menu = [BotCommand(command=name, description=text) for name, text in commands]
        await api_call(self.bot.set_my_commands(commands=menu, language_code=language))

    async def username(self) -> str | None:
        try:
            return (await api_call(self.bot.me())).username  # getMe, cached by aiogram
        except SendError:
            return None

    async def get_chat_member(self, chat_id: int, user_id: int) -> str:
        member = await api_call(self.bot(ChatMemberStatus(chat_id=chat_id, user_id=user_id)))
        return str(member.get("status", "")) if isinstance(member, dict) else ""


def make_router(
    app: App,
    *,
    bridge: Bridge | None = None,
    name: str = "redeem-bot",
    set_commands: bool = True,
) -> Router:
    """The conversation as an aiogram ``Router`` (include it last in your Dispatcher)."""
    bridge = bridge or Bridge(app)
    router = Router(name=name)
    router.response_models = response_models(ChatMemberStatus)  # type: ignore[attr-defined]  # kept alive with the router
    ports: dict[int, AiogramPort] = {}

    def port_for(bot: Bot) -> AiogramPort:
        port = ports.get(id(bot))
        if port is None:
            port = ports[id(bot)] = AiogramPort(bot)
        return port

    async def on_message(message: Message, bot: Bot, event_update: Update) -> None:
        await bridge.on_message(port_for(bot), message_in(event_update.update_id, message))

    async def on_edited(edited_message: Message, bot: Bot, event_update: Update) -> None:
        port = port_for(bot)
        await bridge.on_edited(
            port, message_in(event_update.update_id, edited_message, edited=True)
        )

    async def on_callback_query(
        callback_query: CallbackQuery, bot: Bot, event_update: Update
    ) -> None:
        await bridge.on_callback(port_for(bot), callback_in(event_update.update_id, callback_query))

    async def on_my_chat_member(my_chat_member: ChatMemberUpdated, event_update: Update) -> None:
        await bridge.on_member_change(member_in(event_update.update_id, my_chat_member))

    async def on_startup(bot: Bot) -> None:
        await bridge.start(port_for(bot), set_commands=set_commands, forum=AiogramForum(bot))

    async def on_shutdown() -> None:
        await bridge.stop()

    router.message.register(on_message)
    router.edited_message.register(on_edited)
    router.callback_query.register(on_callback_query)
    router.my_chat_member.register(on_my_chat_member)
    router.startup.register(on_startup)
    router.shutdown.register(on_shutdown)
    return router


__all__ = [
    "AiogramPort",
    "api_call",
    "make_router",
    "response_models",
    "translate",
]

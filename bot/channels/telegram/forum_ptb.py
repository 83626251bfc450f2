""":class:`~bot.channels.telegram.forum.ForumPort` on a python-telegram-bot ``Bot``."""

from __future__ import annotations

from telegram import Bot, InputFile, ReplyParameters

from bot.channels.telegram.forum import TOPIC_ICON_COLOR
from bot.channels.telegram.ptb_app import api_call


class PtbForum:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def is_forum(self, chat_id: int) -> bool:
        chat = await api_call(self.bot.get_chat(chat_id=chat_id))
        return bool(chat.is_forum)

    async def create_topic(self, chat_id: int, name: str) -> int:
        topic = await api_call(
            self.bot.create_forum_topic(chat_id=chat_id, name=name, icon_color=TOPIC_ICON_COLOR)
        )
        return topic.message_thread_id

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None:
        await api_call(
            self.bot.edit_forum_topic(chat_id=chat_id, message_thread_id=thread_id, name=name)
        )

    async def close_topic(self, chat_id: int, thread_id: int) -> None:
        await api_call(self.bot.close_forum_topic(chat_id=chat_id, message_thread_id=thread_id))

    async def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        await api_call(self.bot.reopen_forum_topic(chat_id=chat_id, message_thread_id=thread_id))

    async def send_text(self, chat_id: int, text: str, thread_id: int | None = None) -> int:
        message = await api_call(
            self.bot.send_message(
                chat_id=chat_id, text=text, message_thread_id=thread_id, parse_mode=None
            )
        )
        return message.message_id

    async def send_photo(
        self, chat_id: int, photo: bytes, caption: str | None, thread_id: int | None = None
    ) -> int:
        message = await api_call(
            self.bot.send_photo(
                chat_id=chat_id,
                photo=InputFile(photo, filename="picture.jpg"),
                caption=caption,
                message_thread_id=thread_id,
                parse_mode=None,
            )
        )
        return message.message_id

    async def copy(
        self,
        to_chat: int,
        from_chat: int,
        message_id: int,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> int:
        reply = (
            None
            if reply_to is None
            else ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
        )
        copied = await api_call(
            self.bot.copy_message(
                chat_id=to_chat,
                from_chat_id=from_chat,
                message_id=message_id,
                message_thread_id=thread_id,
                reply_parameters=reply,
            )
        )
        return copied.message_id

    async def edit_text(self, chat_id: int, message_id: int, text: str) -> None:
        await api_call(
            self.bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message_id, parse_mode=None
            )
        )

    async def edit_caption(self, chat_id: int, message_id: int, caption: str) -> None:
        await api_call(
            self.bot.edit_message_caption(
                chat_id=chat_id, message_id=message_id, caption=caption, parse_mode=None
            )
        )


__all__ = ["PtbForum"]

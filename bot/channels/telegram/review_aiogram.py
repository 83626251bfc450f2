""":class:`~bot.channels.telegram.review_port.ReviewPort` on an aiogram ``Bot``."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import (
    BufferedInputFile,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaLivePhoto,
    InputMediaPhoto,
    InputMediaVideo,
)

from bot.channels.telegram.aiogram_errors import api_call
from bot.channels.telegram.forum_aiogram import AiogramForum
from bot.channels.telegram.keyboards import aiogram_markup
from bot.channels.telegram.port import Rows


class AiogramReview(AiogramForum):
    async def send_card(self, chat_id: int, text: str, rows: Rows, thread_id: int | None) -> int:
        message = await api_call(
            self.bot.send_message(
                chat_id=chat_id,
                text=text,
                message_thread_id=thread_id,
                reply_markup=aiogram_markup(rows),
                parse_mode=None,
            )
        )
        return message.message_id

    async def send_album(
        self, chat_id: int, photos: Sequence[tuple[bytes, str]], thread_id: int | None
    ) -> list[int]:
        media: list[
            InputMediaAudio
            | InputMediaDocument
            | InputMediaLivePhoto
            | InputMediaPhoto
            | InputMediaVideo
        ] = [
            InputMediaPhoto(
                media=BufferedInputFile(data, filename=f"picture{i}.jpg"),
                caption=caption or None,
                parse_mode=None,
            )
            for i, (data, caption) in enumerate(photos)
        ]
        sent = await api_call(
            self.bot.send_media_group(chat_id=chat_id, media=media, message_thread_id=thread_id)
        )
        return [m.message_id for m in sent]

    async def send_photo_in(
        self, chat_id: int, photo: bytes, caption: str, thread_id: int | None
    ) -> int:
        return await self.send_photo(chat_id, photo, caption or None, thread_id)


__all__ = ["AiogramReview"]

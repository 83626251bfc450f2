""":class:`~bot.channels.telegram.review_port.ReviewPort` on a python-telegram-bot ``Bot``."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InputMediaPhoto

from bot.channels.telegram.forum_ptb import PtbForum
from bot.channels.telegram.keyboards import ptb_markup
from bot.channels.telegram.port import Rows
from bot.channels.telegram.ptb_app import api_call


class PtbReview(PtbForum):
    async def send_card(self, chat_id: int, text: str, rows: Rows, thread_id: int | None) -> int:
        message = await api_call(
            self.bot.send_message(
                chat_id=chat_id,
                text=text,
                message_thread_id=thread_id,
                reply_markup=ptb_markup(rows),
                parse_mode=None,
            )
        )
        return message.message_id

    async def send_album(
        self, chat_id: int, photos: Sequence[tuple[bytes, str]], thread_id: int | None
    ) -> list[int]:
        media = [
            InputMediaPhoto(media=data, caption=caption or None, filename=f"picture{i}.jpg")
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


__all__ = ["PtbReview"]

"""The staff forum's calls (:class:`~bot.channels.telegram.forum.ForumPort`) and the review
desk's (:class:`~bot.channels.telegram.review_port.ReviewPort`) on the ``wire`` connector:
the same Bot API methods the aiogram and PTB implementations call, posted as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.channels.telegram.forum import TOPIC_ICON_COLOR
from bot.channels.telegram.keyboards import json_markup
from bot.channels.telegram.port import Rows
from bot.channels.telegram.wire import Wire


def _in_thread(payload: dict[str, Any], thread_id: int | None) -> dict[str, Any]:
    if thread_id is not None:
        payload["message_thread_id"] = thread_id
    return payload


class WireForum:
    def __init__(self, wire: Wire) -> None:
        self.wire = wire

    async def _message_id(
        self, method: str, payload: dict[str, Any], files: Any | None = None
    ) -> int:
        return int((await self.wire.call(method, payload, files))["message_id"])

    async def is_forum(self, chat_id: int) -> bool:
        chat = await self.wire.call("getChat", {"chat_id": chat_id})
        return bool(isinstance(chat, dict) and chat.get("is_forum"))

    async def create_topic(self, chat_id: int, name: str) -> int:
        payload = {"chat_id": chat_id, "name": name, "icon_color": TOPIC_ICON_COLOR}
        topic = await self.wire.call("createForumTopic", payload)
        return int(topic["message_thread_id"])

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None:
        payload = {"chat_id": chat_id, "message_thread_id": thread_id, "name": name}
        await self.wire.call("editForumTopic", payload)

    async def close_topic(self, chat_id: int, thread_id: int) -> None:
        payload = {"chat_id": chat_id, "message_thread_id": thread_id}
        await self.wire.call("closeForumTopic", payload)

    async def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        payload = {"chat_id": chat_id, "message_thread_id": thread_id}
        await self.wire.call("reopenForumTopic", payload)

    async def send_text(self, chat_id: int, text: str, thread_id: int | None = None) -> int:
        return await self._message_id(
            "sendMessage", _in_thread({"chat_id": chat_id, "text": text}, thread_id)
        )

    async def send_photo(
        self, chat_id: int, photo: bytes, caption: str | None, thread_id: int | None = None
    ) -> int:
        payload = _in_thread({"chat_id": chat_id}, thread_id)
        if caption:
            payload["caption"] = caption
        return await self._message_id("sendPhoto", payload, {"photo": ("picture.jpg", photo)})

    async def copy(
        self,
        to_chat: int,
        from_chat: int,
        message_id: int,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> int:
        payload: dict[str, Any] = {
            "chat_id": to_chat,
            "from_chat_id": from_chat,
            "message_id": message_id,
        }
        _in_thread(payload, thread_id)
        if reply_to is not None:
            payload["reply_parameters"] = {
                "message_id": reply_to,
                "allow_sending_without_reply": True,
            }
        return await self._message_id("copyMessage", payload)

    async def edit_text(self, chat_id: int, message_id: int, text: str) -> None:
        payload = {"chat_id": chat_id, "message_id": message_id, "text": text}
        await self.wire.call("editMessageText", payload)

    async def edit_caption(self, chat_id: int, message_id: int, caption: str) -> None:
        payload = {"chat_id": chat_id, "message_id": message_id, "caption": caption}
        await self.wire.call("editMessageCaption", payload)


class WireReview(WireForum):
    async def send_card(self, chat_id: int, text: str, rows: Rows, thread_id: int | None) -> int:
        payload = _in_thread({"chat_id": chat_id, "text": text}, thread_id)
        if markup := json_markup(rows):
            payload["reply_markup"] = markup
        return await self._message_id("sendMessage", payload)

    async def send_photo_in(
        self, chat_id: int, photo: bytes, caption: str, thread_id: int | None
    ) -> int:
        return await self.send_photo(chat_id, photo, caption or None, thread_id)

    async def send_album(
        self, chat_id: int, photos: Sequence[tuple[bytes, str]], thread_id: int | None
    ) -> list[int]:
        media, files = [], {}
        for i, (data, caption) in enumerate(photos):
            item: dict[str, Any] = {"type": "photo", "media": f"attach://picture{i}"}
            if caption:
                item["caption"] = caption
            media.append(item)
            files[f"picture{i}"] = (f"picture{i}.jpg", data)
        payload = _in_thread({"chat_id": chat_id, "media": json.dumps(media)}, thread_id)
        sent = await self.wire.call("sendMediaGroup", payload, files)
        return [int(m["message_id"]) for m in sent]


__all__ = ["WireForum", "WireReview"]

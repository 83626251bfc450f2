"""Forum topics for the fake Bot API (issue 10): a forum supergroup, ``createForumTopic``,
``editForumTopic``, ``closeForumTopic``, ``reopenForumTopic``, ``copyMessage``,
``message_thread_id`` on sent and received messages, and edited messages from people.

A subclass, so the base fake stays as it is; every call still goes through the base's spec
check (``spec.py``) before it reaches a handler here. Behaviour follows Telegram's: a topic's
id is the id of its "forum_topic_created" service message; sending to a thread that does not
exist is "message thread not found"; closing a closed topic is "TOPIC_NOT_MODIFIED".
"""

from __future__ import annotations

import copy
import time
from typing import Any

from .fake_bot_api import JSON, ApiError, FakeBotApi, _Chat, _Entry

ICON_COLORS = (0x6FB9F0, 0xFFD67E, 0xCB86DB, 0x8EEE98, 0xFF93B2, 0xFB6F5F)
# what copyMessage carries over (everything but who sent it, when, and where)
COPIED = (
    "text",
    "entities",
    "photo",
    "document",
    "voice",
    "video",
    "sticker",
    "location",
    "audio",
    "animation",
    "video_note",
    "contact",
    "caption",
    "caption_entities",
)


class ForumFakeBotApi(FakeBotApi):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.topics: dict[int, dict[int, JSON]] = {}  # forum -> thread id -> {name, closed, ...}
        self._handlers.update(
            {
                "createForumTopic": self._create_forum_topic,
                "editForumTopic": self._edit_forum_topic,
                "closeForumTopic": self._close_forum_topic,
                "reopenForumTopic": self._reopen_forum_topic,
                "copyMessage": self._copy_message,
            }
        )

    # ------------------------------------------------------------------ set-up and people
    def add_forum(self, chat_id: int, title: str = "Support") -> JSON:
        """A supergroup with topics (``is_forum``), the bot an admin that manages topics."""
        chat = self.add_group(chat_id, title, type="supergroup")
        self._chats[chat_id].chat["is_forum"] = True
        self.topics.setdefault(chat_id, {})
        self.set_role(chat_id, self.bot_id, "administrator")
        return {**chat, "is_forum": True}

    def send_in_topic(
        self,
        user_id: int,
        chat_id: int,
        thread_id: int,
        text: str,
        *,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """Someone writes ``text`` in a topic of a forum."""
        if thread_id not in self.topics.get(chat_id, {}):
            raise AssertionError(f"no topic {thread_id} in {chat_id}")
        content: JSON = {"text": text, "message_thread_id": thread_id, "is_topic_message": True}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._inbound(
            user_id, chat_id, content, reply_to_message_id=reply_to_message_id or thread_id
        )  # Telegram: a topic message replies to the topic start

    def send_content(
        self,
        user_id: int,
        content: JSON,
        *,
        chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> JSON:
        """Any content kind (``{"location": {...}}``, ``{"sticker": {...}}``, a voice...)."""
        content = copy.deepcopy(content)
        if thread_id is not None:
            content |= {"message_thread_id": thread_id, "is_topic_message": True}
        return self._inbound(user_id, chat_id, content)

    def edit_sent(
        self,
        user_id: int,
        message_id: int,
        *,
        text: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> JSON:
        """A person edits a message they sent: ``edited_message`` with the new text."""
        chat = self._chats[chat_id if chat_id is not None else user_id]
        entry = chat.find(message_id)
        if entry is None or entry.outgoing:
            raise AssertionError(f"no message {message_id} of a person in {chat.id}")
        if text is not None:
            entry.message["text"] = text
        if caption is not None:
            entry.message["caption"] = caption
        entry.message["edit_date"] = int(time.time())
        return self.enqueue_update({"edited_message": copy.deepcopy(entry.message)})

    def in_topic(self, chat_id: int, thread_id: int) -> list[JSON]:
        """Every message in a topic, the bot's and people's, oldest first."""
        return [
            copy.deepcopy(e.message)
            for e in self._chats[chat_id].log
            if not e.deleted and e.message.get("message_thread_id") == thread_id
        ]

    # ------------------------------------------------------------------ methods
    def _forum(self, params: JSON) -> _Chat:
        chat = self._target(params)
        if not chat.chat.get("is_forum"):
            raise ApiError(400, "Bad Request: the chat is not a forum")
        return chat

    def _topic(self, params: JSON) -> tuple[_Chat, JSON]:
        chat = self._forum(params)
        topic = self.topics[chat.id].get(int(params["message_thread_id"]))
        if topic is None:
            raise ApiError(400, "Bad Request: message thread not found")
        return chat, topic

    async def _create_forum_topic(self, params: JSON) -> JSON:
        chat = self._forum(params)
        name = str(params["name"])
        if not 1 <= len(name) <= 128:
            raise ApiError(
                400,
                "Bad Request: TOPIC_TITLE_EMPTY"
                if not name
                else "Bad Request: TOPIC_TITLE_TOO_LONG",
            )
        color = params.get("icon_color", ICON_COLORS[0])
        if color not in ICON_COLORS:
            raise ApiError(400, "Bad Request: TOPIC_ICON_COLOR_INVALID")
        thread = chat.new_message_id()
        topic = {"message_thread_id": thread, "name": name, "icon_color": color}
        service: JSON = {
            "message_id": thread,
            "from": copy.deepcopy(self.bot_user),
            "chat": copy.deepcopy(chat.chat),
            "date": int(time.time()),
            "message_thread_id": thread,
            "is_topic_message": True,
            "forum_topic_created": {"name": name, "icon_color": color},
        }
        chat.log.append(_Entry(service, True))
        self.topics[chat.id][thread] = {**topic, "closed": False}
        return copy.deepcopy(topic)

    async def _edit_forum_topic(self, params: JSON) -> bool:
        _, topic = self._topic(params)
        name = params.get("name")
        if name is not None:
            if not 1 <= len(name) <= 128:
                raise ApiError(400, "Bad Request: TOPIC_TITLE_EMPTY")
            if name == topic["name"]:
                raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
            topic["name"] = name
        return True

    async def _close_forum_topic(self, params: JSON) -> bool:
        _, topic = self._topic(params)
        if topic["closed"]:
            raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic["closed"] = True
        return True

    async def _reopen_forum_topic(self, params: JSON) -> bool:
        _, topic = self._topic(params)
        if not topic["closed"]:
            raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
        topic["closed"] = False
        return True

    async def _copy_message(self, params: JSON) -> JSON:
        source = (
            self._chats.get(params["from_chat_id"])
            if isinstance(params["from_chat_id"], int)
            else None
        )
        entry = source.find(params["message_id"]) if source is not None else None
        if entry is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        if any(k in entry.message for k in ("forum_topic_created", "new_chat_members")):
            raise ApiError(400, "Bad Request: the message can't be copied")
        content = {k: copy.deepcopy(v) for k, v in entry.message.items() if k in COPIED}
        if "caption" in params:
            content["caption"] = params["caption"]
        chat = self._target(params)
        posted = self._post_outgoing(chat, content, {}, params)
        return {"message_id": posted["message_id"]}

    def _post_outgoing(self, chat: _Chat, content: JSON, raw: JSON, params: JSON) -> JSON:
        thread = params.get("message_thread_id")
        if thread is not None:
            if not chat.chat.get("is_forum"):
                thread = None  # Telegram ignores it outside forums
            elif int(thread) not in self.topics.get(chat.id, {}):
                raise ApiError(400, "Bad Request: message thread not found")
        message = super()._post_outgoing(chat, content, raw, params)
        if thread is not None:
            extra = {"message_thread_id": int(thread), "is_topic_message": True}
            chat.log[-1].message.update(extra)
            message.update(extra)
        return message


__all__ = ["ICON_COLORS", "ForumFakeBotApi"]

"""Forum topics in the staff group (issue 10): what the shared code needs from a framework to
give each customer a topic, and to relay messages 1:1 between the customer's chat and it.

:class:`ForumPort` is implemented on aiogram (:mod:`.forum_aiogram`) and PTB
(:mod:`.forum_ptb`); both raise only the errors of :mod:`bot.channels.telegram.common`.
"""

from __future__ import annotations

from typing import Protocol

TOPIC_ICON_COLOR = 0x6FB9F0  # one of the six colours createForumTopic accepts


class ForumPort(Protocol):
    async def is_forum(self, chat_id: int) -> bool:
        """``getChat``: whether the chat is a supergroup with topics (``is_forum``)."""
        ...

    async def create_topic(self, chat_id: int, name: str) -> int:
        """``createForumTopic``: the new topic's ``message_thread_id``."""
        ...

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None: ...

    async def close_topic(self, chat_id: int, thread_id: int) -> None: ...

    async def reopen_topic(self, chat_id: int, thread_id: int) -> None: ...

    async def send_text(self, chat_id: int, text: str, thread_id: int | None = None) -> int:
        """A plain text (no formatting), in ``thread_id`` when given: the new message id."""
        ...

    async def send_photo(
        self, chat_id: int, photo: bytes, caption: str | None, thread_id: int | None = None
    ) -> int:
        """A picture we hold (a support request's photo), in ``thread_id`` when given."""
        ...

    async def copy(
        self,
        to_chat: int,
        from_chat: int,
        message_id: int,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> int:
        """``copyMessage`` (any content kind, no "forwarded from"): the copy's message id;
        ``reply_to``: the copy answers that message of ``to_chat`` (sent anyway if it is
        gone)."""
        ...

    async def edit_text(self, chat_id: int, message_id: int, text: str) -> None: ...

    async def edit_caption(self, chat_id: int, message_id: int, caption: str) -> None: ...


__all__ = ["TOPIC_ICON_COLOR", "ForumPort"]

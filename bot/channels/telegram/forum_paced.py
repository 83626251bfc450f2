"""The staff forum's own posts within Telegram's limits (issue 10): the topic's lines,
customers' messages copied into their topics, the customer card and its edits, the SLA
reminders. :class:`PacedForum` wraps a :class:`~bot.channels.telegram.forum.ForumPort` so
each call goes through the shared :class:`~bot.channels.telegram.delivery.Messenger`: a
message waits for its slot in the group's 20 per minute (the same limiter the review cards
and every reply use), a 429 holds the group and is waited out, a 5xx is retried with
backoff. A burst of customers writing at once therefore queues instead of drawing a storm
of 429s; each customer's messages still go one after the other (their turn's lock), and
the limiter serves the group's waiters first come, first served.

Sends and copies are repeated after a failure that may have reached Telegram (at least
once, never lost); edits and topic changes only after a 429 or a request that surely never
left. What still fails after the retries propagates as before: the caller keeps the
customer's message (the conversation's ticket messages, posted later by the delivery loop).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.channels.telegram.delivery import Messenger
from bot.channels.telegram.forum import ForumPort

T = TypeVar("T")


class PacedForum:
    """A :class:`ForumPort` whose messages keep to the rate limits and ride out failures."""

    def __init__(self, forum: ForumPort, messenger: Messenger) -> None:
        self.inner, self.messenger = forum, messenger

    async def _message(
        self, chat_id: int, fn: Callable[[], Awaitable[T]], *, repeatable: bool
    ) -> T:
        return await self.messenger.call(chat_id, fn, repeatable=repeatable)

    async def _service(self, chat_id: int, fn: Callable[[], Awaitable[T]]) -> T:
        """A call Telegram's limits do not count (no message): retried, not paced."""
        return await self.messenger.call(chat_id, fn, counted=False, repeatable=False)

    async def is_forum(self, chat_id: int) -> bool:
        return await self.messenger.call(
            chat_id, lambda: self.inner.is_forum(chat_id), counted=False
        )

    async def create_topic(self, chat_id: int, name: str) -> int:
        return await self._service(chat_id, lambda: self.inner.create_topic(chat_id, name))

    async def rename_topic(self, chat_id: int, thread_id: int, name: str) -> None:
        await self._service(chat_id, lambda: self.inner.rename_topic(chat_id, thread_id, name))

    async def close_topic(self, chat_id: int, thread_id: int) -> None:
        await self._service(chat_id, lambda: self.inner.close_topic(chat_id, thread_id))

    async def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        await self._service(chat_id, lambda: self.inner.reopen_topic(chat_id, thread_id))

    async def send_text(self, chat_id: int, text: str, thread_id: int | None = None) -> int:
        return await self._message(
            chat_id, lambda: self.inner.send_text(chat_id, text, thread_id), repeatable=True
        )

    async def send_photo(
        self, chat_id: int, photo: bytes, caption: str | None, thread_id: int | None = None
    ) -> int:
        return await self._message(
            chat_id,
            lambda: self.inner.send_photo(chat_id, photo, caption, thread_id),
            repeatable=True,
        )

    async def copy(
        self,
        to_chat: int,
        from_chat: int,
        message_id: int,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> int:
        return await self._message(
            to_chat,
            lambda: self.inner.copy(to_chat, from_chat, message_id, thread_id, reply_to),
            repeatable=True,
        )

    async def edit_text(self, chat_id: int, message_id: int, text: str) -> None:
        await self._message(
            chat_id, lambda: self.inner.edit_text(chat_id, message_id, text), repeatable=False
        )

    async def edit_caption(self, chat_id: int, message_id: int, caption: str) -> None:
        await self._message(
            chat_id,
            lambda: self.inner.edit_caption(chat_id, message_id, caption),
            repeatable=False,
        )


__all__ = ["PacedForum"]

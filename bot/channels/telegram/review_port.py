"""What the review desk needs from a framework beyond :class:`BotPort`: to tell whether the
staff group is a forum (``getChat``), to create its "Review" topic, and to post in a topic:
the card with its buttons, the invoice and S/N photo as one album (``sendMediaGroup``),
plain texts. Implemented on aiogram and PTB over their forum ports (``forum_aiogram``,
``forum_ptb``); raises only the errors of :mod:`bot.channels.telegram.common`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.channels.telegram.port import BotPort, Rows


class ReviewPort(Protocol):
    async def is_forum(self, chat_id: int) -> bool: ...

    async def create_topic(self, chat_id: int, name: str) -> int: ...

    async def send_text(self, chat_id: int, text: str, thread_id: int | None = None) -> int: ...

    async def send_card(self, chat_id: int, text: str, rows: Rows, thread_id: int | None) -> int:
        """A text with inline buttons, in ``thread_id`` when given."""
        ...

    async def send_photo_in(
        self, chat_id: int, photo: bytes, caption: str, thread_id: int | None
    ) -> int: ...

    async def send_album(
        self, chat_id: int, photos: Sequence[tuple[bytes, str]], thread_id: int | None
    ) -> list[int]:
        """2-10 photos with captions as one media group; the messages' ids."""
        ...


def review_port(port: BotPort) -> ReviewPort | None:
    """The review port on the framework behind ``port`` (None for another kind of port)."""
    own = getattr(port, "review", None)  # a port that carries its own (aiogram_run's)
    if own is not None:
        return own
    bot: Any = getattr(port, "bot", None)
    kind = type(port).__name__
    if kind == "AiogramPort":
        from bot.channels.telegram.review_aiogram import AiogramReview

        return AiogramReview(bot)
    if kind == "PtbPort":
        from bot.channels.telegram.review_ptb import PtbReview

        return PtbReview(bot)
    if kind == "WirePort":
        from bot.channels.telegram.wire import WirePort
        from bot.channels.telegram.wire_forum import WireReview

        assert isinstance(port, WirePort)
        return WireReview(port.wire)
    return None


def thread_kwargs(thread_id: int | None) -> dict[str, Any]:
    return {} if thread_id is None else {"message_thread_id": thread_id}


__all__ = ["ReviewPort", "review_port", "thread_kwargs"]

"""What the shared Telegram code needs from a framework, and what it gets from one.

Each connector (aiogram, PTB) turns its update objects into the small frozen records below
and implements :class:`BotPort` on its ``Bot``; everything else (talking to the engine,
limits, retries, albums, staff group) is shared. A port raises only the errors of
:mod:`bot.channels.telegram.common` (``RetryLater``, ``Blocked``, ``Transient``, ``Rejected``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from handlers.io import Button

Rows = Sequence[Sequence[Button]]


@dataclass(frozen=True, slots=True)
class FileRef:
    """A photo or document the customer sent, not downloaded yet."""

    file_id: str
    size: int | None
    filename: str | None
    mime: str | None
    as_file: bool  # sent as a document rather than a compressed photo


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    update_id: int
    chat_id: int
    chat_type: str  # "private", "group", "supergroup", "channel"
    user_id: int
    message_id: int
    text: str | None = None
    file: FileRef | None = None
    media_group_id: str | None = None
    contact_phone: str | None = None
    language: str | None = None
    sender_name: str = ""  # @username or first name: only used in the staff group
    reply_to_message_id: int | None = None  # the message this one answers, in the same chat
    # "user"; "bot" (another bot); "chat": sent on behalf of a chat (an anonymous admin, the
    # group itself, a linked channel): then user_id is that chat's id
    sender_kind: str = "user"
    forwarded: bool = False  # forwarded from elsewhere: someone else wrote it (forward_origin)


def sender_of(message: Any) -> dict[str, Any]:
    """Who really sent an aiogram or PTB ``Message`` (same attribute names): a chat (an
    anonymous admin, the group itself, a linked channel, or no sender at all), a bot or a
    person; and whether it was forwarded (written by someone else). Fields of
    :class:`IncomingMessage`."""
    user, forwarded = message.from_user, message.forward_origin is not None
    if message.sender_chat is not None:
        return {"sender_kind": "chat", "user_id": message.sender_chat.id, "forwarded": forwarded}
    if user is None:
        return {"sender_kind": "chat", "user_id": message.chat.id, "forwarded": forwarded}
    return {"sender_kind": "bot" if user.is_bot else "user", "user_id": user.id, "forwarded": forwarded}


@dataclass(frozen=True, slots=True)
class IncomingCallback:
    update_id: int
    callback_id: str
    user_id: int
    chat_id: int | None  # None for buttons on inline-mode messages (not ours)
    chat_type: str | None
    message_id: int | None
    data: str | None
    editable_text: bool  # the message is a text message we may edit in place
    language: str | None = None


@dataclass(frozen=True, slots=True)
class MemberChange:
    """The bot's own membership in a chat changed (``my_chat_member``): blocked/unblocked."""

    update_id: int
    chat_id: int
    chat_type: str
    user_id: int
    status: str  # "member", "kicked", "left", ...


class BotPort(Protocol):
    """The Bot API calls the shared code makes. Send methods return the new message id."""

    async def send_message(self, chat_id: int, text: str, rows: Rows) -> int: ...

    async def send_photo(self, chat_id: int, photo: bytes, caption: str | None, rows: Rows) -> int: ...

    async def edit_message(self, chat_id: int, message_id: int, text: str, rows: Rows) -> None: ...

    async def delete_message(self, chat_id: int, message_id: int) -> None: ...

    async def answer_callback(self, callback_id: str) -> None: ...

    async def download(self, file_id: str) -> bytes: ...

    async def set_commands(self, commands: Sequence[tuple[str, str]], language: str | None = None) -> None: ...

    async def username(self) -> str | None:
        """The bot's own username (without "@"); None when it cannot be told."""
        ...

    async def get_chat_member(self, chat_id: int, user_id: int) -> str:
        """The user's status in the chat: creator, administrator, member, restricted, left, kicked."""
        ...

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

from bot.channels.telegram.common import DOWNLOAD_LIMIT
from handlers.io import Button

CHANNEL = "telegram"  # the channel of every ConversationKey made here
Rows = Sequence[Sequence[Button]]


@dataclass(frozen=True, slots=True)
class FileRef:
    """A photo or document the customer sent, not downloaded yet."""

    file_id: str
    size: int | None
    filename: str | None
    mime: str | None
    as_file: bool  # sent as a document rather than a compressed photo
    unique_id: str = ""  # Telegram's file_unique_id: the same file, whoever sends it again


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
    thread_id: int | None = None  # the forum topic it was written in (message_thread_id)
    caption: str | None = None  # a photo's, document's, video's... (staff in a topic)
    first_name: str = ""  # the sender's (a customer's topic is named after them)
    edited: bool = False  # an ``edited_message``: the new text/caption of ``message_id``


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
    sender_name: str = ""  # @username or first name: only used in the staff rooms


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

    async def send_photo(
        self, chat_id: int, photo: bytes, caption: str | None, rows: Rows
    ) -> int: ...

    async def edit_message(self, chat_id: int, message_id: int, text: str, rows: Rows) -> None: ...

    async def delete_message(self, chat_id: int, message_id: int) -> None: ...

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        """Stop the button's spinner; ``text``: a short notice shown to whoever pressed it."""
        ...

    async def download(self, file_id: str) -> bytes: ...

    async def set_commands(
        self, commands: Sequence[tuple[str, str]], language: str | None = None
    ) -> None: ...

    async def username(self) -> str | None:
        """The bot's own username (without "@"); None when it cannot be told."""
        ...

    async def get_chat_member(self, chat_id: int, user_id: int) -> str:
        """The user's status in the chat: creator, administrator, member, restricted, left, kicked."""
        ...


# ----------------------------------------------------------------------------- translation
# aiogram's and PTB's update objects use the same attribute names (the Bot API's): one
# translation serves both frameworks.
def _plain(value: Any) -> str:
    """A framework's string enum (chat type, member status) as its plain value."""
    return str(getattr(value, "value", value))


def sender_of(message: Any) -> dict[str, Any]:
    """Who really sent a ``Message``: a chat (an anonymous admin, the group itself, a linked
    channel, or no sender at all), a bot or a person; and whether it was forwarded (written
    by someone else). Fields of :class:`IncomingMessage`."""
    user, forwarded = message.from_user, message.forward_origin is not None
    if message.sender_chat is not None:
        return {"sender_kind": "chat", "user_id": message.sender_chat.id, "forwarded": forwarded}
    if user is None:
        return {"sender_kind": "chat", "user_id": message.chat.id, "forwarded": forwarded}
    return {
        "sender_kind": "bot" if user.is_bot else "user",
        "user_id": user.id,
        "forwarded": forwarded,
    }


def file_of(message: Any) -> FileRef | None:
    """The largest photo size Telegram will hand over (else the largest), or the document."""
    if message.photo:
        fitting = [p for p in message.photo if (p.file_size or 0) <= DOWNLOAD_LIMIT]
        photo = (fitting or list(message.photo))[-1]
        return FileRef(
            photo.file_id,
            photo.file_size,
            f"{photo.file_unique_id}.jpg",
            "image/jpeg",
            False,
            photo.file_unique_id or "",
        )
    document = message.document
    if document is not None:
        return FileRef(
            document.file_id,
            document.file_size,
            document.file_name,
            document.mime_type,
            True,
            document.file_unique_id or "",
        )
    return None


def message_in(update_id: int, message: Any, *, edited: bool = False) -> IncomingMessage:
    """An aiogram or PTB ``Message`` as the shared record (``edited``: it came as an
    ``edited_message``: its text or caption replaces what ``message_id`` said)."""
    user = message.from_user
    reply_to = message.reply_to_message
    return IncomingMessage(
        update_id=update_id,
        chat_id=message.chat.id,
        chat_type=_plain(message.chat.type),
        message_id=message.message_id,
        text=message.text,
        file=file_of(message),
        media_group_id=message.media_group_id,
        contact_phone=message.contact.phone_number if message.contact else None,
        language=user.language_code if user else None,
        sender_name=(f"@{user.username}" if user.username else user.first_name) if user else "",
        reply_to_message_id=reply_to.message_id if reply_to else None,
        thread_id=message.message_thread_id if message.is_topic_message else None,
        caption=message.caption,
        first_name=(user.first_name or "") if user else "",
        edited=edited,
        **sender_of(message),
    )


def callback_in(update_id: int, query: Any) -> IncomingCallback:
    """An aiogram or PTB ``CallbackQuery`` as the shared record."""
    message = query.message  # None, a Message, or an InaccessibleMessage (no text)
    user = query.from_user
    chat = message.chat if message is not None else None
    return IncomingCallback(
        update_id=update_id,
        callback_id=query.id,
        user_id=query.from_user.id,
        chat_id=chat.id if chat else None,
        chat_type=_plain(chat.type) if chat else None,
        message_id=message.message_id if message is not None else None,
        data=query.data,
        editable_text=getattr(message, "text", None) is not None,
        language=query.from_user.language_code,
        sender_name=f"@{user.username}" if user.username else user.first_name,
    )


def member_in(update_id: int, change: Any) -> MemberChange:
    """An aiogram or PTB ``ChatMemberUpdated`` (``my_chat_member``) as the shared record."""
    return MemberChange(
        update_id=update_id,
        chat_id=change.chat.id,
        chat_type=_plain(change.chat.type),
        user_id=change.from_user.id,
        status=_plain(change.new_chat_member.status),
    )

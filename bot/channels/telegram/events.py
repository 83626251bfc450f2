"""Telegram messages as the core's neutral events: text, ``/command args``, a phone number
shared as a contact, a photo or document as a lazily downloaded ``ImageIn``."""

from __future__ import annotations

from bot.channels.telegram.common import DOWNLOAD_LIMIT, RetryPolicy
from bot.channels.telegram.delivery import Messenger
from bot.channels.telegram.port import CHANNEL, BotPort, FileRef, IncomingMessage
from handlers.commands import parse_command
from handlers.io import Body, CommandIn, ImageIn, TextIn
from states import ConversationKey

SHORT = RetryPolicy(transient_attempts=3, first_delay=0.3)  # callback answers, downloads


class TooLarge(Exception):
    """Raised by ``ImageIn.fetch`` for files Telegram will not hand to a bot (over 20 MB)."""

    key = "image.too_large"

    def __init__(self) -> None:
        super().__init__("file over the Bot API download limit")
        self.params = {"max_mb": DOWNLOAD_LIMIT // (1024 * 1024)}


def key_for(chat_id: int, user_id: int) -> ConversationKey:
    return ConversationKey(CHANNEL, str(chat_id), str(user_id))


def body_of(port: BotPort, messenger: Messenger, message: IncomingMessage) -> Body | None:
    """The neutral event body for a message; None when it carries nothing we read."""
    if message.file is not None:
        return image_of(port, messenger, message.file)
    if message.text is not None:
        command = parse_command(message.text)
        return (
            CommandIn(command.name, command.args, raw=message.text)
            if command
            else TextIn(message.text)
        )
    if message.contact_phone:
        return TextIn(message.contact_phone)
    return None


def image_of(port: BotPort, messenger: Messenger, ref: FileRef) -> ImageIn:
    async def fetch() -> bytes:
        if ref.size is not None and ref.size > DOWNLOAD_LIMIT:
            raise TooLarge()
        return await messenger.call(
            None, lambda: port.download(ref.file_id), counted=False, policy=SHORT
        )

    return ImageIn(
        fetch=fetch,
        size=ref.size,
        filename=ref.filename,
        mime=ref.mime,
        as_file=ref.as_file,
        unique_id=ref.unique_id,
    )

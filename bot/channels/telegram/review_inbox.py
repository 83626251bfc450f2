"""Messages the review room takes (issue 10), before the staff side sees them:

- the answer to a question a card's button asked ("Other" reason, tracking note): the
  presser's next message in that chat and topic; ``/cancel`` leaves the claim as it was;
  another command is not an answer (it goes on to the staff side, the question stays);
- ``/import PROMO`` as the caption of a ``.txt``/``.csv`` file, anywhere in the room's chat
  (the file is downloaded with ``getFile``; codes are counted, never logged nor echoed);
- ``/import`` with the codes in the text and ``/stats`` in the review chat or topic.

Everything passes the same staff check as the buttons (``ReviewCards.refusal``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.channels.telegram.common import SendError
from bot.channels.telegram.port import BotPort, IncomingMessage
from bot.channels.telegram.staff import identity_of
from handlers.commands import addressee
from handlers.io import Reply
from handlers.review_pool import MAX_IMPORT_BYTES
from storage.review_desk import Prompt

if TYPE_CHECKING:
    from bot.channels.telegram.review_cards import ReviewRoom

log = logging.getLogger(__name__)


def command_of(text: str) -> tuple[str, str]:
    """("/import", "rest of the text") with any "@botname" dropped; ("", text) otherwise."""
    if not text.startswith("/"):
        return "", text
    head, _, rest = text.partition(" ")
    first, _, after = head.partition("\n")
    rest = f"{after}\n{rest}" if after else rest
    return first.split("@", 1)[0].lower(), rest


async def take(room: ReviewRoom, port: BotPort, message: IncomingMessage) -> bool:
    if message.chat_id != room.chat_id:
        return False
    with room.gate.inflight:  # counted from the first look (a shutdown waits for it)
        return await _take(room, port, message)


async def _take(room: ReviewRoom, port: BotPort, message: IncomingMessage) -> bool:
    text = message.text if message.text is not None else (message.caption or "")
    command, args = command_of(text.strip())
    bot = addressee(text)
    if command and bot is not None and bot != await _username(port):
        return False  # "/import@OtherBot": not ours
    in_place = not room.forum or (room.thread is not None and message.thread_id == room.thread)
    prompt = await room.desk_store.pending(room.room, str(message.user_id))
    if prompt is not None and prompt.thread_id != str(message.thread_id or ""):
        prompt = None  # asked in another topic: this message is about something else
    if prompt is not None and command not in ("", "/cancel"):
        prompt = None  # a command is not an answer; the question stays
    wants_file = command == "/import" and message.file is not None
    mine = prompt is not None or wants_file or (in_place and command in ("/import", "/stats"))
    if not mine:
        return False
    async with room.outgoing.serial(room.key):
        if room.gate.left(message.update_id) or not await room.gate.first_time(message.update_id):
            return True
        if prompt is not None:
            await answer(room, port, message, prompt, command, text)
        else:
            await room.say(await run(room, port, message, command, args))
    room.poke()
    return True


async def answer(
    room: ReviewRoom,
    port: BotPort,
    message: IncomingMessage,
    prompt: Prompt,
    command: str,
    text: str,
) -> None:
    cards = room.cards
    if command == "/cancel":
        if await room.desk_store.answered(prompt):
            await room.say([Reply(cards.t("review.cancelled", claim=prompt.claim_id))])
        return
    if not text.strip():
        await room.say([Reply(cards.t("review.answer_empty"))])
        return
    if not await room.desk_store.answered(prompt):
        return  # answered meanwhile (a redelivery, another replica)
    pressed = await cards.answer(prompt.op, prompt.claim_id, text, identity_of(message))
    replies = [Reply(pressed.notice)] if pressed.notice else []
    if pressed.card is not None and prompt.card_message_id is not None:
        await room.outgoing.messenger.deliver(
            port,
            None,
            room.chat_id,
            [Reply(pressed.card.text, pressed.card.buttons, replace=True, key=pressed.card.key)],
            edit_message_id=prompt.card_message_id,
        )
    await room.say(replies + pressed.posts)


async def run(
    room: ReviewRoom, port: BotPort, message: IncomingMessage, command: str, args: str
) -> list[Reply]:
    who = identity_of(message)
    refused = await room.cards.refusal(command.lstrip("/"), who)
    if refused is not None:
        return [Reply(refused)]
    pool = room.cards.pool
    if command == "/stats":
        if room.stats is None:
            return [Reply(room.cards.t("workspace.stats_off"))]
        return [Reply(await room.stats(), key="workspace.stats")]
    file = message.file
    if file is None:
        return await pool.import_codes(args, who)
    data = None
    if (file.size or 0) <= MAX_IMPORT_BYTES:
        try:
            data = await room.outgoing.messenger.call(
                None, lambda: port.download(file.file_id), counted=False
            )
        except SendError as exc:
            log.warning("could not download a file of codes: %s", type(exc).__name__)
    return await pool.import_file(args, who, data, file.filename or "")


async def _username(port: BotPort) -> str | None:
    try:
        return ((await port.username()) or "").lower() or None
    except SendError:
        return None


__all__ = ["answer", "command_of", "run", "take"]

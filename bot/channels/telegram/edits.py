"""A customer edits a message they sent (``edited_message``) that was not relayed to staff
(a relayed one's copy is edited by the forum desk): the conversation does not re-read sent
messages, so the customer gets a short hint instead of silence: send the answer again, or
use the summary's Edit buttons. Once per edited message (the update log), in the chat's
order and within its limits; the console channel has no edits at all."""

from __future__ import annotations

from bot.channels.telegram.events import key_for
from bot.channels.telegram.gate import Gate
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.port import BotPort, IncomingMessage
from bot.engine import Engine
from handlers.i18n import Catalog
from handlers.io import Reply

HINT = "edit.hint"


class EditHints:
    def __init__(self, engine: Engine, catalog: Catalog, outgoing: Outgoing, gate: Gate) -> None:
        self.engine, self.catalog, self.outgoing, self.gate = engine, catalog, outgoing, gate

    async def on_edited(self, port: BotPort, message: IncomingMessage) -> None:
        if message.chat_type != "private":
            return
        key = key_for(message.chat_id, message.user_id)
        with self.gate.inflight:
            async with self.outgoing.serial(key):
                if self.gate.left(message.update_id):
                    return
                if not await self.gate.first_time(message.update_id):
                    return
                session = await self.engine.sessions.load(key)
                if session is None:
                    return  # never talked to us: nothing to correct
                text = self.catalog.text(session.locale, HINT)
                await self.outgoing.send(port, key, message.chat_id, [Reply(text=text, key=HINT)])


__all__ = ["HINT", "EditHints"]

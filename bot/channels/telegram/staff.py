"""The staff group (``STAFF_CHAT_ID``) on Telegram: a thin adapter over the channel-neutral
staff journey (``handlers/staff.py``): messages in the group go to it, its replies come back,
and customers' new support messages are posted to the group as they arrive."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.channels.telegram.port import BotPort, IncomingMessage
from handlers.staff import StaffRoom as StaffJourney
from states import ConversationKey

if TYPE_CHECKING:
    from bot.channels.telegram.bridge import Bridge

log = logging.getLogger(__name__)


class StaffRoom:
    """The staff group: translates its messages for the staff journey and renders the answers."""

    def __init__(self, app: Any, bridge: Bridge, chat_id: int) -> None:
        self.app = app
        self.bridge = bridge
        self.chat_id = chat_id
        self.key = ConversationKey("telegram", str(chat_id), "staff")
        self.journey = StaffJourney(app.desk, app.support, app.catalog)

    async def handle(self, port: BotPort, message: IncomingMessage) -> None:
        staff = message.sender_name or f"tg:{message.user_id}"
        replies = await self.journey.handle(message.text or "", staff, message.reply_to_text)
        if replies:
            await self.bridge.send(port, self.key, self.chat_id, replies)
            self.bridge.poke()

    async def forward_customer_messages(self) -> None:
        """Pass customers' new support messages to the group (marked once sent)."""
        port = self.bridge.port
        support = self.app.support
        if port is None or not hasattr(support, "take_undelivered"):
            return
        lease = await support.take_undelivered(("customer",), limit=10)  # a group gets 20/min
        delivered: set[int] = set()
        try:
            for message in lease.messages:
                if not lease.live():
                    return
                async with self.bridge.serial(self.key):
                    delivery = await self.bridge.messenger.deliver(
                        port, None, self.chat_id, [self.journey.forward(message)]
                    )
                if not delivery.ok:
                    log.warning("could not forward support #%s to the staff group", message.ticket_id)
                    return  # the rest next round, in order
                await support.mark_delivered([message.id])
                delivered.add(message.id)
        finally:  # whatever was not forwarded is given back at once
            await support.release(lease, [m.id for m in lease.messages if m.id not in delivered])

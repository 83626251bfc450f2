"""What the staff forum says to customers (issue 10): staff answers relayed from a topic,
/faq answers, the close notice with its rating buttons, the "we'll answer from ..." notice.

All of it goes the way every other message to a customer goes (:class:`Outgoing`): within
the rate limits, a 429 waited out, a 5xx retried with backoff, and what still cannot go is
kept in the outbox and sent by the delivery loop later. A staff answer copied 1:1
(``copyMessage``: a photo, a voice note...) is kept as the copy to make (the staff message
stays in the topic); once made it is paired with the staff message, so edits follow it.
A 429 or an outage therefore delays a staff answer; it never loses it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from bot.channels.telegram.common import Blocked, Rejected, RetryLater, Transient
from bot.channels.telegram.forum import ForumPort
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.port import BotPort
from bot.delivery import FAILED, SENT, SETTLED, Attempt
from handlers.io import Reply
from states import ConversationKey

if TYPE_CHECKING:
    from storage.links import OutboxItem

log = logging.getLogger(__name__)

COPY_KIND = "telegram.copy"  # an outbox item: a staff message still to copy to its customer
Paired = Callable[[int, tuple[str, str], tuple[str, str]], Awaitable[None]]


class ForumMail:
    """The forum desk's messages to customers, through ``outgoing`` (limits, retries,
    outbox); ``paired(topic id, (customer chat, copy), (room, staff message))`` records a
    copy made later from the outbox."""

    def __init__(self, outgoing: Outgoing, forum: ForumPort, port: BotPort, paired: Paired) -> None:
        self.outgoing, self.forum, self.port, self.paired = outgoing, forum, port, paired

    async def say(self, key: ConversationKey, replies: Sequence[Reply]) -> list[int]:
        """Replies to the customer of ``key``: the ids of the messages sent now (what could
        not go now is in the outbox)."""
        if not replies:
            return []
        if await self.outgoing.kept.waiting(key):  # behind what waits for this customer
            await self.outgoing.kept.keep(key, replies)
            return []
        delivery = await self.outgoing.send(self.port, key, int(key.chat_id), replies)
        return delivery.message_ids

    async def copy(
        self,
        key: ConversationKey,
        topic_id: int,
        staff: tuple[int, int],
        reply_to: int | None,
    ) -> int | None:
        """The staff message ``staff`` (room, message id) copied to the customer: the copy's
        id; None when it waits in the outbox (or the customer blocked the bot). An answer
        never overtakes one still waiting in the outbox: it waits behind it."""
        payload = {
            "kind": COPY_KIND,
            "topic": topic_id,
            "staff": [staff[0], staff[1]],
            "reply_to": reply_to,
        }
        if await self.outgoing.kept.waiting(key):
            await self.outgoing.kept.put(key, payload)
            return None
        try:
            return await self._copy(int(key.chat_id), staff, reply_to)
        except Blocked:
            await self.outgoing.links.mark_blocked(key)
            return None
        except (Transient, RetryLater) as exc:
            log.warning("a staff answer waits in the outbox: %s", type(exc).__name__)
            await self.outgoing.kept.put(key, payload)
            return None

    async def resend(self, item: OutboxItem) -> Attempt[None]:
        """A kept copy (an outbox item of :data:`COPY_KIND`), made now and paired."""
        payload = item.payload
        room, message = int(payload["staff"][0]), int(payload["staff"][1])
        reply_to = payload.get("reply_to")
        try:
            copy_id = await self._copy(int(item.key.chat_id), (room, message), reply_to)
        except (Blocked, Rejected) as exc:  # blocked, or the staff message is gone
            log.info("a kept staff answer cannot be copied: %s", type(exc).__name__)
            return SETTLED
        except (Transient, RetryLater):
            return FAILED
        await self.paired(
            int(payload["topic"]), (item.key.chat_id, str(copy_id)), (str(room), str(message))
        )
        return SENT

    async def _copy(self, chat: int, staff: tuple[int, int], reply_to: int | None) -> int:
        return await self.outgoing.messenger.call(
            chat, lambda: self.forum.copy(chat, staff[0], staff[1], reply_to=reply_to)
        )


__all__ = ["COPY_KIND", "ForumMail"]

"""Replies that could not be sent (an outage, the shutdown bound), kept in ``App.outbox`` and
sent again later by the delivery loop (bot/delivery.py), only to a chat still logged in as
the member they were for."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any

from bot.channels.telegram.delivery import Delivery
from bot.channels.telegram.port import CHANNEL
from bot.delivery import FAILED, SENT, SETTLED, Attempt, Lease
from handlers.io import Button, Reply
from states import ConversationKey

if TYPE_CHECKING:
    from storage.links import LinkStore, Outbox, OutboxItem

log = logging.getLogger(__name__)

OUTBOX_KIND = "telegram.replies"
Resend = Callable[[ConversationKey, list[Reply], "str | None"], Awaitable[Delivery]]
SendKept = Callable[["OutboxItem"], Awaitable[Attempt[None]]]  # another kind of kept item


def reply_to_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "buttons": [[[b.label, b.data] for b in row] for row in reply.buttons],
        "image": reply.image,
        "key": reply.key,
    }


def reply_from_json(data: dict[str, Any]) -> Reply:
    rows = tuple(
        tuple(Button(label, value) for label, value in row) for row in data.get("buttons", [])
    )
    return Reply(
        text=data.get("text", ""), buttons=rows, image=data.get("image"), key=data.get("key", "")
    )


class KeptReplies:
    """The Telegram replies in the outbox: ``keep`` puts them there; as a delivery
    :class:`~bot.delivery.Source` they are sent again (``resend``: to the chat, re-checking
    the member before each message), at most every ``interval`` seconds. Other kinds of
    Telegram items (``put``; a staff answer still to copy) are sent by the function
    registered for their kind in ``kinds``."""

    def __init__(
        self, outbox: Outbox | None, links: LinkStore, resend: Resend, *, interval: float = 30.0
    ) -> None:
        self.outbox = outbox
        self.links = links
        self.resend = resend
        self.interval = interval
        self.due_at = 0.0  # monotonic time of the next sweep
        self.kinds: dict[str, SendKept] = {}  # payload kind -> how to send it

    def due(self) -> bool:
        return time.monotonic() >= self.due_at

    def sweep_now(self) -> None:
        self.due_at = 0.0

    async def keep(self, key: ConversationKey, replies: Sequence[Reply]) -> None:
        if self.outbox is None:
            log.error(
                "%d replies to %s could not be sent and there is no outbox", len(replies), key
            )
            return
        member = await self.links.member_for(key)  # they go out later only to this log-in
        payload = {
            "kind": OUTBOX_KIND,
            "replies": [reply_to_json(r) for r in replies],
            "member": member,
        }
        await self.put(key, payload)
        log.warning("%d replies to %s kept in the outbox for a later try", len(replies), key)

    async def waiting(self, key: ConversationKey) -> bool:
        """Something for ``key`` is still in the outbox (what is sent now would overtake it)."""
        return self.outbox is not None and await self.outbox.pending(key) > 0

    async def put(self, key: ConversationKey, payload: dict[str, Any]) -> None:
        """Keep an item of another kind (one in ``kinds``) for the next sweep."""
        if self.outbox is None:
            log.error("a %s item for %s is lost: there is no outbox", payload.get("kind"), key)
            return
        await self.outbox.put(key, payload)
        self.sweep_now()

    # ------------------------------------------------------------------ a delivery Source
    async def lease(self) -> Lease[OutboxItem]:
        self.due_at = time.monotonic() + self.interval
        if self.outbox is None:
            return Lease()
        items = await self.outbox.take_due(50)
        # someone else's are left alone: the lease runs out and they get them back
        mine = {OUTBOX_KIND, *self.kinds}
        return Lease(
            [i for i in items if i.key.channel == CHANNEL and i.payload.get("kind") in mine]
        )

    def lane(self, item: OutboxItem) -> Hashable | None:
        return item.key  # one chat's kept items in order: a failure holds back the rest

    async def send(self, item: OutboxItem) -> Attempt[None]:
        other = self.kinds.get(str(item.payload.get("kind")))
        if other is not None:
            return await other(item)
        replies = [reply_from_json(r) for r in item.payload.get("replies", [])]
        delivery = await self.resend(item.key, replies, item.payload.get("member"))
        if delivery.ok:
            return SENT
        if delivery.blocked or delivery.withdrawn:  # withdrawn: not theirs now
            return SETTLED
        return FAILED

    async def mark(self, item: OutboxItem, receipt: None) -> None:
        assert self.outbox is not None
        await self.outbox.mark_sent([item.id])

    async def release(self, lease: Lease[OutboxItem], unsent: list[OutboxItem]) -> None:
        assert self.outbox is not None
        await self.outbox.retry_later([i.id for i in unsent], dt.timedelta(seconds=self.interval))
        self.due_at = time.monotonic() + self.interval

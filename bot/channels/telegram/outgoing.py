"""Everything the bot says on Telegram goes out here: turn replies, notifications, staff
messages. One chat's messages go out one list at a time (``serial``, shared with the turns:
a notification never cuts into a turn's replies), within the rate limits and with retries
(``Messenger``); what cannot be sent now is kept in the outbox (``kept``) for later, and
anything meant for a member is checked again right before each send (``logged_in_guard``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.channels.telegram.common import RateLimiter, RateLimits, RetryPolicy
from bot.channels.telegram.delivery import Delivery, Guard, Messenger
from bot.channels.telegram.outbox import KeptReplies
from bot.channels.telegram.port import CHANNEL, BotPort
from bot.keyed import KeyedSerial
from handlers.io import Reply
from handlers.ports import MediaPort
from states import ConversationKey

if TYPE_CHECKING:
    from storage.links import LinkStore, Outbox

log = logging.getLogger(__name__)


class Outgoing:
    def __init__(
        self,
        links: LinkStore,
        outbox: Outbox | None,
        *,
        media: MediaPort | None = None,
        limits: RateLimits | None = None,
        policy: RetryPolicy | None = None,
        outbox_interval: float = 30.0,
    ) -> None:
        self.links = links
        self.limiter = RateLimiter(limits)
        self.messenger = Messenger(
            limiter=self.limiter, policy=policy or RetryPolicy(), media=media, links=links
        )
        self.serial: KeyedSerial[ConversationKey] = KeyedSerial()
        self.kept = KeptReplies(outbox, links, self._resend, interval=outbox_interval)
        self.port: BotPort | None = None  # for sends outside a turn (the first bot seen wins)

    def attach(self, port: BotPort) -> None:
        if self.port is None:
            self.port = port

    async def send(
        self,
        port: BotPort,
        key: ConversationKey,
        chat_id: int,
        replies: Sequence[Reply],
        *,
        edit_message_id: int | None = None,
        guard: Guard | None = None,
    ) -> Delivery:
        """Send direct replies; what cannot be sent now goes to the outbox for later."""
        delivery = await self.messenger.deliver(
            port, key, chat_id, replies, edit_message_id=edit_message_id, guard=guard
        )
        if delivery.remaining and not delivery.blocked:
            await self.kept.keep(key, delivery.remaining)
        return delivery

    async def notify(self, key: ConversationKey, replies: list[Reply]) -> bool:
        """The ``send`` callback of ``Engine.deliver_notifications``."""
        if key.channel != CHANNEL or self.port is None:
            return False
        try:
            int(key.chat_id)
        except ValueError:
            return False
        # the member the engine checked (else the chat's now): asked again right before each send
        member = next((r.for_member for r in replies if r.for_member), None)
        return (await self._to_chat(key, replies, member, check_now=True)).ok

    async def _resend(
        self, key: ConversationKey, replies: list[Reply], member: str | None
    ) -> Delivery:
        """A kept list of replies, again: only to a chat still logged in as ``member``."""
        return await self._to_chat(key, replies, member, check_now=False)

    async def _to_chat(
        self, key: ConversationKey, replies: list[Reply], member: str | None, *, check_now: bool
    ) -> Delivery:
        assert self.port is not None
        guard = await self.logged_in_guard(key, member) if member or check_now else None
        async with self.serial(key):
            return await self.messenger.deliver(
                self.port, key, int(key.chat_id), replies, guard=guard
            )

    async def logged_in_guard(
        self, key: ConversationKey, member_id: str | None = None
    ) -> Guard | None:
        """ "Is ``key`` still logged in as ``member_id`` (default: its member now)?", for
        :meth:`Messenger.deliver` to ask right before each send: a chat logged out meanwhile
        (password changed or reset, "Log out everywhere") gets nothing meant for the member.
        ``None`` for a chat with no member (a guest's support answers go out as before)."""
        links = self.links
        expected = member_id if member_id is not None else await links.member_for(key)
        if not expected:
            return None

        async def still_theirs() -> bool:
            return await links.member_for(key) == expected

        return still_theirs

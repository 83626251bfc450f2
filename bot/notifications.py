"""The engine's notifications to customers, as :class:`bot.delivery.Source`\\ s: claim status
changes (leased by the backend) and staff answers (leased by the support store). The channel
sends them through a ``Send`` callback that re-checks the chat's member before each message.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import TYPE_CHECKING, cast

from backend.port import ClaimEvent, Promotion, RedemptionBackend
from bot.delivery import FAILED, SENT, SETTLED, Attempt, Lease
from handlers.i18n import Catalog
from handlers.io import Reply
from handlers.notify import render_event, render_staff_answer, render_support_closed
from states import ConversationKey

if TYPE_CHECKING:  # storage types only for the checker: the engine gets them from the app
    from storage.links import LinkStore, SupportLease, SupportStore, TicketMessage
    from storage.sessions import SessionStore

log = logging.getLogger(__name__)

Send = Callable[[ConversationKey, list[Reply]], Awaitable[bool]]


class Locales:
    """The locale each conversation speaks (its session's; else the default)."""

    def __init__(self, sessions: SessionStore, default: str) -> None:
        self.sessions = sessions
        self.default = default

    async def of(self, key: ConversationKey) -> str:
        session = await self.sessions.load(key)
        return session.locale if session else self.default


class ClaimEvents:
    """Claim status changes, to every chat still logged in as the claim's member. An event
    for a member with no reachable chat is settled: it stays in their redeem history, and
    must not hold up everyone else's."""

    def __init__(
        self,
        backend: RedemptionBackend,
        links: LinkStore,
        catalog: Catalog,
        locales: Locales,
        send: Send,
        *,
        member_id: str | None = None,
        limit: int = 100,
    ) -> None:
        self.backend, self.links, self.catalog, self.locales = backend, links, catalog, locales
        self.send_to = send
        self.member_id, self.limit = member_id, limit
        self._promotions: dict[str, Promotion | None] = {}

    async def lease(self) -> Lease[ClaimEvent]:
        return Lease(await self.backend.undelivered_events(self.member_id, limit=self.limit))

    def lane(self, item: ClaimEvent) -> Hashable | None:
        return None  # each event stands alone

    async def send(self, item: ClaimEvent) -> Attempt[None]:
        keys = await self.links.keys_for_member(item.member_id)
        if not keys:  # logged out everywhere, or blocked the bot: "My claims" has the news
            return SETTLED
        promotion = await self._promotion_of(item)
        attempt = FAILED
        for key in keys:
            if await self.links.member_for(key) != item.member_id:
                continue  # logged out since (password changed elsewhere): not theirs now
            reply = render_event(self.catalog, await self.locales.of(key), item, promotion)
            if reply is None:
                attempt = SETTLED if attempt is FAILED else attempt
                continue
            if await self.send_to(key, [dataclasses.replace(reply, for_member=item.member_id)]):
                attempt = SENT
        return attempt

    async def mark(self, item: ClaimEvent, receipt: None) -> None:
        await self.backend.mark_delivered([item.id])

    async def release(self, lease: Lease[ClaimEvent], unsent: list[ClaimEvent]) -> None:
        """Nothing to do: the backend's lease runs out and the events come back."""

    async def _promotion_of(self, event: ClaimEvent) -> Promotion | None:
        cache = self._promotions
        try:
            claim = await self.backend.get_claim(event.member_id, event.claim_id)
            if claim.promotion not in cache:
                cache[claim.promotion] = await self.backend.get_promotion(claim.promotion)
            return cache[claim.promotion]
        except Exception:  # a missing promotion must not block the customer's news
            log.warning("no promotion for claim event %s", event.id)
            return None


class StaffAnswers:
    """Staff answers and "closed" notices, in order per ticket: a conversation whose message
    could not be sent gets nothing later this round."""

    def __init__(
        self,
        support: SupportStore,
        links: LinkStore,
        catalog: Catalog,
        locales: Locales,
        send: Send,
    ) -> None:
        self.support, self.links, self.catalog, self.locales = support, links, catalog, locales
        self.send_to = send

    async def lease(self) -> Lease[TicketMessage]:
        taken = await self.support.take_undelivered(("staff", "system"))
        return Lease(taken.messages, taken.live, taken)

    def lane(self, item: TicketMessage) -> Hashable | None:
        return item.ticket_id

    async def send(self, item: TicketMessage) -> Attempt[None]:
        member = item.member_id
        if member and await self.links.member_for(item.key) != member:
            # asked as a member, and the chat is no longer logged in as them (password
            # changed or reset, "Log out everywhere"): the answer is not this chat's
            log.info("staff answer on ticket %s withheld: the chat logged out", item.ticket_id)
            return SETTLED
        locale = await self.locales.of(item.key)
        if item.sender == "system":
            reply = render_support_closed(self.catalog, locale)
        else:
            reply = render_staff_answer(self.catalog, locale, item.text)
        ok = await self.send_to(item.key, [dataclasses.replace(reply, for_member=member)])
        return SENT if ok else FAILED

    async def mark(self, item: TicketMessage, receipt: None) -> None:
        await self.support.mark_delivered([item.id])

    async def release(self, lease: Lease[TicketMessage], unsent: list[TicketMessage]) -> None:
        await self.support.release(cast("SupportLease", lease.holder), [m.id for m in unsent])


__all__ = ["ClaimEvents", "Locales", "Send", "StaffAnswers"]

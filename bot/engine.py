"""The engine: load the session -> route the event -> save -> hand replies to the channel.

One event per customer at a time (a per-key lock here; an optimistic version check in the
session store for several replicas), redelivered events dropped, every step committed
before its replies are sent. Status changes and staff answers are delivered through
``deliver_notifications`` (at least once; the outbox is marked only after sending).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable

from backend.port import Promotion, RedemptionBackend
from bot.keyed import KeyedSerial
from handlers.i18n import Catalog
from handlers.io import Event, Outcome, Reply
from handlers.notify import render_event, render_staff_answer, render_support_closed
from handlers.router import Conversation
from states import ConversationKey, Session
from storage.sessions import SessionStore, StaleSession

log = logging.getLogger(__name__)

Send = Callable[[ConversationKey, list[Reply]], Awaitable[bool]]


class Engine:
    MAX_ATTEMPTS = 3

    def __init__(
        self,
        conversation: Conversation,
        sessions: SessionStore,
        catalog: Catalog,
        backend: RedemptionBackend,
        links,
        support=None,
        default_locale: str = "en",
    ) -> None:
        self.conversation = conversation
        self.sessions = sessions
        self.catalog = catalog
        self.backend = backend
        self.links = links
        self.support = support
        self.default_locale = default_locale
        self._serial: KeyedSerial[ConversationKey] = KeyedSerial()

    async def handle(self, event: Event) -> Outcome:
        async with self._serial(event.key):
            for _ in range(self.MAX_ATTEMPTS):
                session = await self.sessions.load(event.key) or self.new_session(event.key, event.locale)
                if session.seen(event.event_id):  # the secret's deletion may not have happened
                    return Outcome(duplicate=True, delete_input=session.held_secret(event.event_id))
                outcome = await self.conversation.handle(session, event.body)
                session.remember(event.event_id, secret=outcome.delete_input)
                try:
                    await self.sessions.save(session)
                except StaleSession:  # another replica moved this conversation on: redo
                    log.info("stale session %s, retrying", event.key)
                    continue
                outcome.member_id = session.member_id  # channels re-check it before sending
                return outcome
            raise RuntimeError(f"could not save session {event.key} after {self.MAX_ATTEMPTS} attempts")

    def new_session(self, key: ConversationKey, locale_hint: str | None = None) -> Session:
        locale = self.catalog.resolve_locale(locale_hint) if locale_hint else self.default_locale
        return Session(key=key, locale=locale)

    async def current_prompt(self, key: ConversationKey, locale: str | None = None) -> list[Reply]:
        """Where the customer is, shown again unchanged (a new session starts at the welcome)."""
        async with self._serial(key):
            for _ in range(self.MAX_ATTEMPTS):
                session = await self.sessions.load(key) or self.new_session(key, locale)
                outcome = await self.conversation.show_current(session)
                try:
                    await self.sessions.save(session)
                except StaleSession:
                    continue
                return outcome.replies
            raise RuntimeError(f"could not save session {key}")

    # ------------------------------------------------------------------ notifications
    async def deliver_notifications(self, send: Send, *, member_id: str | None = None, limit: int = 100) -> int:
        """Send claim status changes and staff answers to linked chats; returns messages sent.

        Events are leased by the backend while this runs (so replicas never send one twice)
        and marked delivered only once sent; an event for a member with no reachable chat is
        marked too: it stays in their redeem history, and must not hold up everyone else's."""
        sent = 0
        events = await self.backend.undelivered_events(member_id, limit=limit)
        delivered: list[str] = []
        promos: dict[str, Promotion | None] = {}
        for event in events:
            keys = await self.links.keys_for_member(event.member_id)
            if not keys:  # logged out everywhere, or blocked the bot: "My claims" has the news
                delivered.append(event.id)
                continue
            promotion = await self._promotion_of(event, promos)
            ok = False
            for key in keys:
                if await self.links.member_for(key) != event.member_id:
                    continue  # logged out since (password changed elsewhere): not theirs now
                session = await self.sessions.load(key)
                locale = session.locale if session else self.default_locale
                reply = render_event(self.catalog, locale, event, promotion)
                if reply is None:
                    ok = True
                    continue
                if await send(key, [dataclasses.replace(reply, for_member=event.member_id)]):
                    ok = True
                    sent += 1
            if ok:
                delivered.append(event.id)
        if delivered:
            await self.backend.mark_delivered(delivered)
        if self.support is not None:
            sent += await self._deliver_staff_answers(send)
        return sent

    async def _promotion_of(self, event, cache: dict[str, Promotion | None]) -> Promotion | None:
        try:
            claim = await self.backend.get_claim(event.member_id, event.claim_id)
            if claim.promotion not in cache:
                cache[claim.promotion] = await self.backend.get_promotion(claim.promotion)
            return cache[claim.promotion]
        except Exception:  # a missing promotion must not block the customer's news
            log.warning("no promotion for claim event %s", event.id)
            return None

    async def _deliver_staff_answers(self, send: Send) -> int:
        """Staff answers and "closed" notices, leased to this replica while it sends them; a
        conversation whose message could not be sent gets nothing later this round (order),
        and whatever was not sent is given back at once, whatever happens."""
        sent = 0
        failed: set[int] = set()
        delivered: set[int] = set()
        lease = await self.support.take_undelivered(("staff", "system"))
        try:
            for message in lease.messages:
                if message.ticket_id in failed or not lease.live():
                    continue
                member = message.member_id
                if member and await self.links.member_for(message.key) != member:
                    # asked as a member, and the chat is no longer logged in as them (password
                    # changed or reset, "Log out everywhere"): the answer is not this chat's
                    log.info("staff answer on ticket %s withheld: the chat logged out", message.ticket_id)
                    await self.support.mark_delivered([message.id])
                    delivered.add(message.id)
                    continue
                session = await self.sessions.load(message.key)
                locale = session.locale if session else self.default_locale
                if message.sender == "system":
                    reply = render_support_closed(self.catalog, locale)
                else:
                    reply = render_staff_answer(self.catalog, locale, message.text)
                if await send(message.key, [dataclasses.replace(reply, for_member=member)]):
                    await self.support.mark_delivered([message.id])
                    delivered.add(message.id)
                    sent += 1
                else:
                    failed.add(message.ticket_id)
        finally:
            await self.support.release(lease, [m.id for m in lease.messages if m.id not in delivered])
        return sent

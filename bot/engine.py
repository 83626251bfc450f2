"""The engine: load the session -> route the event -> save -> hand replies to the channel.

One event per customer at a time (a per-key lock here; an optimistic version check in the
session store for several replicas), redelivered events dropped, every step committed
before its replies are sent. Status changes and staff answers are delivered through
``deliver_notifications`` (at least once; the outbox is marked only after sending).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from backend.port import RedemptionBackend
from bot.delivery import deliver
from bot.keyed import KeyedSerial
from bot.notifications import ClaimEvents, Locales, Send, StaffAnswers
from handlers.i18n import Catalog
from handlers.io import Event, Outcome, Reply
from handlers.router import Conversation
from states import ConversationKey, Session
from storage.sessions import SessionStore, StaleSession

if TYPE_CHECKING:
    from storage.links import LinkStore, SupportStore

log = logging.getLogger(__name__)


class Engine:
    MAX_ATTEMPTS = 3

    def __init__(
        self,
        conversation: Conversation,
        sessions: SessionStore,
        catalog: Catalog,
        backend: RedemptionBackend,
        links: LinkStore,
        support: SupportStore | None = None,
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
                session = await self.sessions.load(event.key) or self.new_session(
                    event.key, event.locale
                )
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
            raise RuntimeError(
                f"could not save session {event.key} after {self.MAX_ATTEMPTS} attempts"
            )

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
    async def deliver_notifications(
        self, send: Send, *, member_id: str | None = None, limit: int = 100
    ) -> int:
        """Send claim status changes and staff answers to linked chats; returns how many
        notifications went out. Each kind is leased while it is sent (replicas never send
        one twice) and marked only once sent (bot/delivery.py)."""
        locales = Locales(self.sessions, self.default_locale)
        sent = await deliver(
            ClaimEvents(
                self.backend,
                self.links,
                self.catalog,
                locales,
                send,
                member_id=member_id,
                limit=limit,
            )
        )
        if self.support is not None:
            sent += await deliver(
                StaffAnswers(self.support, self.links, self.catalog, locales, send)
            )
        return sent

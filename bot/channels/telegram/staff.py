"""The staff group (``STAFF_CHAT_ID``) on Telegram: a thin adapter over the channel-neutral
staff journey (``handlers/staff.py``): messages in the group go to it with who sent them,
its replies come back, and customers' new support messages are posted to the group as they
arrive (each post paired with its ticket in the support store, so only a reply to it answers
that customer).

Who is staff is decided in the core (``StaffPolicy``); this adapter only tells it what the
group says about a person: :class:`ChatRoles` asks ``getChatMember`` and trusts the answer
for ``STAFF_ROLE_CACHE_SECONDS`` (a demoted admin loses their rights within that time).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.channels.telegram.common import Rejected, RetryPolicy, SendError
from bot.channels.telegram.port import BotPort, IncomingMessage
from handlers.staff import RoleUnavailable, StaffIdentity, StaffPolicy
from handlers.staff import StaffRoom as StaffJourney
from states import ConversationKey

if TYPE_CHECKING:
    from bot.channels.telegram.bridge import Bridge

log = logging.getLogger(__name__)

CHANNEL = "telegram"
ROLE_POLICY = RetryPolicy(transient_attempts=2, first_delay=0.3)
MAX_CACHED = 1024  # people whose role is remembered at once (a big group cannot grow it)


class ChatRoles:
    """``getChatMember`` for the staff chat, each answer kept for ``ttl`` seconds.

    Per bridge (per process), not global; after ``ttl`` the chat is asked again, so taking
    someone's admin rights away takes effect within ``ttl``. Refusals are cached too, so a
    member flooding the group with commands costs one Bot API call per ``ttl``.
    """

    def __init__(
        self, bridge: Bridge, *, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.bridge = bridge
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[tuple[str, str], tuple[float, str]] = {}  # (room, user) -> (until, role)

    async def role(self, who: StaffIdentity) -> str:
        key = (who.room, who.user_id)
        now = self.clock()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        role = await self._ask(who)
        if len(self._cache) >= MAX_CACHED:
            self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
            if len(self._cache) >= MAX_CACHED:
                self._cache.clear()
        self._cache[key] = (now + self.ttl, role)
        return role

    async def _ask(self, who: StaffIdentity) -> str:
        port = self.bridge.port
        if port is None:
            raise RoleUnavailable("no bot yet")
        chat_id, user_id = int(who.room), int(who.user_id)
        try:
            return await self.bridge.messenger.call(
                None, lambda: port.get_chat_member(chat_id, user_id), counted=False, policy=ROLE_POLICY
            )
        except SendError as exc:
            if isinstance(exc, Rejected):  # e.g. "user not found": not in the chat, not staff
                return "left"
            log.warning("could not ask the staff chat for a member's role: %s", type(exc).__name__)
            raise RoleUnavailable(type(exc).__name__) from exc


def identity_of(message: IncomingMessage) -> StaffIdentity:
    kind = message.sender_kind if message.sender_kind in ("user", "bot", "chat") else "chat"
    return StaffIdentity(
        channel=CHANNEL,
        user_id=str(message.user_id),
        display=message.sender_name or f"tg:{message.user_id}",
        room=str(message.chat_id),
        kind=kind,  # type: ignore[arg-type]
    )


class StaffRoom:
    """The staff group: translates its messages for the staff journey and renders the answers."""

    def __init__(self, app: Any, bridge: Bridge, chat_id: int) -> None:
        self.app = app
        self.bridge = bridge
        self.chat_id = chat_id
        self.room = str(chat_id)
        self.key = ConversationKey("telegram", str(chat_id), "staff")
        settings = app.settings
        self.roles = ChatRoles(bridge, ttl=float(getattr(settings, "staff_role_cache_seconds", 60.0)))
        policy = StaffPolicy(
            room=self.room,
            allowed=settings.staff_ids() if hasattr(settings, "staff_ids") else frozenset(),
            authority=getattr(settings, "staff_authority", "auto"),
        )
        staff_locale = app.catalog.resolve_locale(getattr(settings, "staff_locale", None))
        self.journey = StaffJourney(
            app.desk, app.support, app.catalog, staff_locale, policy=policy, roles=self.roles
        )
        self._username: str | None = None  # ours, once known

    async def handle(self, port: BotPort, message: IncomingMessage) -> None:
        if await self.for_another_bot(port, message.text):
            return  # "/approve@SomeOtherBot 12": not ours to run, nor to refuse
        replies = await self.journey.handle(
            message.text or "", identity_of(message), message.reply_to_message_id, forwarded=message.forwarded
        )  # a photo's caption is not read: neither a command nor an answer
        if replies:
            await self.bridge.send(port, self.key, self.chat_id, replies)
            self.bridge.poke()

    async def for_another_bot(self, port: BotPort, text: str | None) -> bool:
        """A command addressed to a bot by name that is not us. While our own name cannot be
        told (getMe failing), any addressed command is taken as another bot's: not run."""
        head = text.split(maxsplit=1)[0] if text and text.startswith("/") else ""
        if "@" not in head:
            return False
        if self._username is None:
            self._username = ((await port.username()) or "").lower() or None
        return self._username is None or head.split("@", 1)[1].lower() != self._username

    async def forward_customer_messages(self) -> None:
        """Pass customers' new support messages to the group (marked once sent, with the
        pairing of the posted messages to their ticket)."""
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
                await support.mark_forwarded(self.room, delivery.message_ids, message)
                delivered.add(message.id)
        finally:  # whatever was not forwarded is given back at once
            await support.release(lease, [m.id for m in lease.messages if m.id not in delivered])

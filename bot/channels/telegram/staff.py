"""The staff side: the staff group (``STAFF_CHAT_ID``) on Telegram, a thin adapter over the
channel-neutral staff journey (``handlers/staff.py``): messages in the group go to it with
who sent them, its replies come back, and customers' new support messages are posted to the
group as they arrive (each post paired with its ticket in the support store, so only a reply
to it answers that customer).

Who is staff is decided in the core (``StaffPolicy``); this adapter only tells it what the
group says about a person: :class:`ChatRoles` asks ``getChatMember`` and trusts the answer
for ``STAFF_ROLE_CACHE_SECONDS`` (a demoted admin loses their rights within that time).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Protocol, cast

from backend.port import StaffDesk
from bot.channels.telegram.common import Rejected, RetryPolicy, SendError
from bot.channels.telegram.gate import Gate
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.port import CHANNEL, BotPort, IncomingMessage
from bot.config import Settings
from bot.delivery import Attempt, Lease, Outcome, deliver
from handlers.commands import addressee
from handlers.i18n import Catalog
from handlers.staff import RoleUnavailable, StaffIdentity, StaffPolicy, StaffRoom
from states import ConversationKey

if TYPE_CHECKING:
    from storage.links import SupportLease, SupportStore, TicketMessage

log = logging.getLogger(__name__)

ROLE_POLICY = RetryPolicy(transient_attempts=2, first_delay=0.3)
MAX_CACHED = 1024  # people whose role is remembered at once (a big group cannot grow it)
FORWARDS_AT_ONCE = 10  # a group gets 20 messages a minute


class ChatRoles:
    """``getChatMember`` for the staff chat, each answer kept for ``ttl`` seconds.

    Per bridge (per process), not global; after ``ttl`` the chat is asked again, so taking
    someone's admin rights away takes effect within ``ttl``. Refusals are cached too, so a
    member flooding the group with commands costs one Bot API call per ``ttl``.
    """

    def __init__(
        self, outgoing: Outgoing, *, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.outgoing = outgoing
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
        port = self.outgoing.port
        if port is None:
            raise RoleUnavailable("no bot yet")
        chat_id, user_id = int(who.room), int(who.user_id)
        try:
            return await self.outgoing.messenger.call(
                None,
                lambda: port.get_chat_member(chat_id, user_id),
                counted=False,
                policy=ROLE_POLICY,
            )
        except SendError as exc:
            if isinstance(exc, Rejected):  # e.g. "user not found": not in the chat, not staff
                return "left"
            log.warning("could not ask the staff chat for a member's role: %s", type(exc).__name__)
            raise RoleUnavailable(type(exc).__name__) from exc


class TopicMessages(Protocol):
    async def staff_message(self, message: IncomingMessage) -> bool: ...


def identity_of(message: IncomingMessage) -> StaffIdentity:
    kind = message.sender_kind if message.sender_kind in ("user", "bot", "chat") else "chat"
    return StaffIdentity(
        channel=CHANNEL,
        user_id=str(message.user_id),
        display=message.sender_name or f"tg:{message.user_id}",
        room=str(message.chat_id),
        kind=kind,  # type: ignore[arg-type]
    )


class StaffGroup:
    """The staff group: translates its messages for the staff journey and renders the answers."""

    def __init__(
        self,
        settings: Settings,
        desk: StaffDesk,
        support: SupportStore,
        catalog: Catalog,
        outgoing: Outgoing,
        gate: Gate,
        chat_id: int,
        *,
        poke: Callable[[], None] = lambda: None,
    ) -> None:
        self.outgoing = outgoing
        self.gate = gate
        self.chat_id = chat_id
        self.room = str(chat_id)
        self.key = ConversationKey(CHANNEL, str(chat_id), "staff")
        self.poke = poke
        self.roles = ChatRoles(outgoing, ttl=settings.staff_role_cache_seconds)
        policy = StaffPolicy(
            room=self.room, allowed=settings.staff_ids(), authority=settings.staff_authority
        )
        staff_locale = catalog.resolve_locale(settings.staff_locale)
        self.journey = StaffRoom(
            desk, support, catalog, staff_locale, policy=policy, roles=self.roles
        )
        self.forwards = StaffForwards(support, self)
        self.topics: TopicMessages | None = None  # the forum's topics (set by the bridge)
        self._username: str | None = None  # ours, once known

    async def on_message(self, port: BotPort, message: IncomingMessage) -> None:
        with self.gate.inflight:
            async with self.outgoing.serial(self.key):
                if self.gate.left(message.update_id):
                    return
                if await self.gate.first_time(message.update_id):
                    await self.handle(port, message)

    async def handle(self, port: BotPort, message: IncomingMessage) -> None:
        if await self.for_another_bot(port, message.text):
            return  # "/approve@SomeOtherBot 12": not ours to run, nor to refuse
        if self.topics is not None and await self.topics.staff_message(message):
            return  # in a customer's topic (a forum staff chat)
        replies = await self.journey.handle(
            message.text or "",
            identity_of(message),
            message.reply_to_message_id,
            forwarded=message.forwarded,
        )  # a photo's caption is not read: neither a command nor an answer
        if replies:
            await self.outgoing.send(port, self.key, self.chat_id, replies)
            self.poke()

    async def for_another_bot(self, port: BotPort, text: str | None) -> bool:
        """A command addressed to a bot by name that is not us. While our own name cannot be
        told (getMe failing), any addressed command is taken as another bot's: not run."""
        bot = addressee(text)
        if bot is None:
            return False
        if self._username is None:
            self._username = ((await port.username()) or "").lower() or None
        return self._username is None or bot != self._username

    async def forward_customer_messages(self) -> int:
        """Pass customers' new support messages to the group (bot/delivery.py)."""
        if self.outgoing.port is None:
            return 0
        return await deliver(self.forwards)


class StaffForwards:
    """Customers' support messages, posted to the staff group in order (a failure holds back
    the rest), each marked with the pairing of the posted messages to its ticket."""

    def __init__(self, support: SupportStore, group: StaffGroup) -> None:
        self.support = support
        self.group = group

    async def lease(self) -> Lease[TicketMessage]:
        taken = await self.support.take_undelivered(("customer",), limit=FORWARDS_AT_ONCE)
        return Lease(taken.messages, taken.live, taken)

    def lane(self, item: TicketMessage) -> Hashable | None:
        return self.group.chat_id  # one chat: in order, all of it

    async def send(self, item: TicketMessage) -> Attempt[list[int]]:
        group, outgoing = self.group, self.group.outgoing
        assert outgoing.port is not None
        async with outgoing.serial(group.key):
            delivery = await outgoing.messenger.deliver(
                outgoing.port, None, group.chat_id, [group.journey.forward(item)]
            )
        if not delivery.ok:
            log.warning("could not forward support #%s to the staff group", item.ticket_id)
            return Attempt(Outcome.FAILED)  # the rest next round, in order
        return Attempt(Outcome.SENT, delivery.message_ids)

    async def mark(self, item: TicketMessage, receipt: list[int] | None) -> None:
        await self.support.mark_forwarded(self.group.room, receipt or [], item)

    async def release(self, lease: Lease[TicketMessage], unsent: list[TicketMessage]) -> None:
        await self.support.release(cast("SupportLease", lease.holder), [m.id for m in unsent])

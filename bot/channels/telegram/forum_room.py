"""The staff forum wired into the running bot (issue 10): when ``STAFF_CHAT_ID`` is a forum
supergroup (``getChat`` says ``is_forum``), each customer's support talk happens in their
own topic (:class:`~bot.channels.telegram.topics.ForumDesk`); a group that is not a forum
keeps the flat stream with ticket numbers (``StaffGroup``/``StaffForwards``).

What goes where in forum mode:

- a customer whose conversation is in the open support request (``SUPPORT_OPEN``) and who
  writes anything but a command: the message itself is copied into their topic
  (``copyMessage``: text, photo, document, voice, video, sticker, location...), paired with
  its copy for edits; replies to earlier messages stay replies (the copy of the message
  replied to, when we have it);
- what the conversation itself takes in for support (the request's first words, a picture
  offered from the menu: ticket messages in the support store) is posted in the topic by
  the delivery loop (:class:`TopicForwards`), in order, like the flat group's forwards;
- a message in a customer's topic: the topic desk (commands without ticket numbers,
  anything else an answer relayed 1:1); the General topic and topics made by hand stay the
  flat staff room's;
- an edit (``edited_message``) of a relayed message on either side edits its copy;
- SLA reminders are posted by the delivery loop (:meth:`ForumRoom.remind`);
- a request the customer ends ("Close request", "Cancel request", a typed /cancel) is told
  in its topic at once, and the topic closed (:meth:`ForumRoom.watch`);
- what the desk says to customers goes through ``Outgoing`` (:mod:`.forum_mail`): a 429 or
  an outage delays a staff answer, never loses it.

Whether the chat is a forum is asked once per process (again after a failed ask).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import TYPE_CHECKING, cast

from bot.app import App
from bot.channels.telegram.common import Rejected, SendError
from bot.channels.telegram.events import key_for
from bot.channels.telegram.forum import ForumPort
from bot.channels.telegram.forum_mail import COPY_KIND
from bot.channels.telegram.gate import Gate
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.port import BotPort, IncomingMessage
from bot.channels.telegram.staff import FORWARDS_AT_ONCE, StaffGroup, identity_of
from bot.channels.telegram.topics import ForumDesk
from bot.delivery import FAILED, SETTLED, Attempt, Lease, Outcome, deliver
from bot.keyed import KeyedSerial
from bot.notifications import Send
from handlers.commands import parse_command
from handlers.faq import HANDOFF
from handlers.io import Reply
from handlers.workspace.commands import TopicDesk
from states import ConversationKey, State

if TYPE_CHECKING:
    from storage.links import OutboxItem, SupportLease, TicketMessage

log = logging.getLogger(__name__)


class ForumRoom:
    """The forum side of the staff chat; inactive (every method says "not mine") while the
    chat is not a forum, or before the bot has started."""

    def __init__(
        self,
        app: App,
        staff: StaffGroup,
        outgoing: Outgoing,
        gate: Gate,
        *,
        poke: Callable[[], None] = lambda: None,
    ) -> None:
        self.app, self.staff, self.outgoing, self.gate, self.poke = app, staff, outgoing, gate, poke
        self.forum: ForumPort | None = None
        self.port: BotPort | None = None
        self.desk: ForumDesk | None = None
        self.flat = False  # the chat said it is not a forum
        self.forwards = TopicForwards(self)
        # one delivery of the request lines at a time: a customer's next message waits for a
        # round in progress (it may be posting their request's first words) instead of finding
        # them leased and overtaking them
        self._forwarding = asyncio.Lock()
        # a staff message is relayed (copied, then paired with its copy) before an edit of it
        # is looked at: an edit that came while the copy was on its way found no pair yet and
        # was lost (the staff chat's id and the message's id: an edit keeps the id)
        self._relaying: KeyedSerial[tuple[int, int]] = KeyedSerial()
        outgoing.kept.kinds[COPY_KIND] = self.resend_copy  # staff answers kept in the outbox

    def attach(self, port: BotPort, forum: ForumPort | None) -> None:
        self.port, self.forum = port, forum

    async def active(self) -> ForumDesk | None:
        """The desk when the staff chat is a forum; None otherwise."""
        if self.desk is not None or self.flat:
            return self.desk
        workspace, forum, port = self.app.workspace, self.forum, self.port
        if workspace is None or forum is None or port is None:
            return None
        try:
            is_forum = await forum.is_forum(self.staff.chat_id)
        except Rejected as exc:  # not a chat we are in: no topics to make there
            log.warning("the staff chat cannot be read (%s): no forum topics", exc.description)
            is_forum = False
        except SendError as exc:
            log.warning("could not tell whether the staff chat is a forum: %s", type(exc).__name__)
            return None
        if not is_forum:
            self.flat = True
            log.info("the staff chat is not a forum: one stream with ticket numbers")
            return None
        desk = TopicDesk(workspace, self.staff.journey, backend=self.app.backend)
        self.desk = ForumDesk(
            workspace,
            desk,
            forum,
            port,
            self.staff.chat_id,
            catalog=self.app.catalog,
            outgoing=self.outgoing,
            backend=self.app.backend,
            signature=self.app.settings.staff_signature,
            media=self.app.ports.media,
            step_of=self.step_of,
        )
        log.info("the staff chat is a forum: a topic per customer")
        return self.desk

    async def step_of(self, key: ConversationKey) -> str | None:
        """The step of the conversation the customer is on (for their card)."""
        session = await self.app.engine.sessions.load(key)
        return None if session is None else str(session.state)

    def refreshing(self, send: Send) -> Send:
        """``send`` for claim notifications, refreshing the customer's card once one
        reached them (a claim changed: its status on the card)."""

        async def sent(key: ConversationKey, replies: list[Reply]) -> bool:
            ok = await send(key, replies)
            if ok and self.desk is not None:
                topic = await self.desk.ws.topics.for_customer(key)
                if topic is not None and topic.thread_id is not None:
                    try:
                        await self.desk.post_card(topic)
                    except SendError as exc:
                        log.info("the customer card was not refreshed: %s", type(exc).__name__)
            return ok

        return sent

    # ------------------------------------------------------------------ customers
    async def divert(self, message: IncomingMessage) -> bool:
        """Under the customer's lock (``Turns.divert``): copy their message into their topic
        when their support request is open; False: the conversation takes it (not in
        support, a command, not a forum). Before a request's first words, their topic is
        made (named after them); the words come by the delivery loop."""
        if message.chat_type != "private" or message.edited or _is_command(message.text):
            return False
        desk = await self.active()
        if desk is None:
            return False
        session = await self.app.engine.sessions.load(key_for(message.chat_id, message.user_id))
        if session is not None and session.state == State.SUPPORT_COMPOSE.value:
            await self._prepare(desk, message, session.locale, session.member_id)
            return False
        if session is None or session.state != State.SUPPORT_OPEN.value:
            return False
        if not await self.gate.first_time(message.update_id):
            return True  # redelivered: relayed already
        try:
            await self._deliver_forwards()  # their request's first words before what follows
            await desk.customer_message(
                message,
                display=_display(message),
                locale=session.locale,
                member_id=session.member_id,
            )
        except SendError as exc:  # the conversation keeps it: posted when Telegram answers
            log.warning("could not copy a customer's message to their topic: %s", exc)
            return False
        self.poke()
        return True

    async def _prepare(
        self, desk: ForumDesk, message: IncomingMessage, locale: str, member_id: str | None
    ) -> None:
        """The topic made before a request's first words, so it carries the customer's name."""
        try:
            await desk.open_topic(
                message, display=_display(message), locale=locale, member_id=member_id
            )
        except SendError as exc:  # the delivery loop makes it later
            log.warning("could not open a customer's topic yet: %s", type(exc).__name__)

    async def watch(self, key: ConversationKey, turn: Callable[[], Awaitable[None]]) -> None:
        """Run a customer's turn that may end their open support request (a button press:
        "Close request", "Cancel request"; a typed command: /cancel); when it did, their
        topic is told and closed at once (no SLA reminder left for it). A typed command's
        turn runs under the customer's lock already, so their messages keep their order."""
        with self.gate.inflight:
            had = await self.app.support.has_open(key) and await self.active() is not None
            await turn()
            if had and self.desk is not None and not await self.app.support.has_open(key):
                try:
                    await self.desk.withdrawn(key)
                except SendError as exc:
                    log.warning("could not tell the topic of a withdrawn request: %s", exc)

    async def resend_copy(self, item: OutboxItem) -> Attempt[None]:
        """A staff answer kept in the outbox (Telegram was down or kept saying 429): copied
        to its customer now, paired for edits."""
        desk = await self.active()
        if desk is None:  # not a forum (any more): nothing to copy from
            return SETTLED if self.flat else FAILED
        return await desk.mail.resend(item)

    # ------------------------------------------------------------------ staff
    async def staff_message(self, message: IncomingMessage) -> bool:
        """A message in a customer's topic (False: not a forum, not such a topic)."""
        if message.thread_id is None:
            return False
        async with self._relaying((message.chat_id, message.message_id)):
            desk = await self.active()
            return desk is not None and await desk.staff_message(message, identity_of(message))

    # ------------------------------------------------------------------ edits
    async def edited(self, message: IncomingMessage) -> bool:
        """An edit of a relayed message (customer's or staff's): its copy is edited."""
        with self.gate.inflight:  # in flight while it waits for the relay, too
            async with self._relaying((message.chat_id, message.message_id)):
                desk = await self.active()
                return desk is not None and await desk.edited(message)

    # ------------------------------------------------------------------ the delivery loop
    async def forward_customer_messages(self) -> int:
        """The conversation's support messages: into topics in forum mode, else to the
        flat group."""
        if await self.active() is None:
            return await self.staff.forward_customer_messages()
        return await self._deliver_forwards()

    async def _deliver_forwards(self) -> int:
        async with self._forwarding:
            return await deliver(self.forwards)

    async def remind(self) -> int:
        """The SLA reminders that are due, in their topics; a request found closed by the
        customer meanwhile (a replica that did not see it end) is told as withdrawn instead.
        How many were posted."""
        desk = await self.active()
        if desk is None:
            return 0
        sent = 0
        for topic, reply in await desk.ws.reminders():
            if topic.thread_id is None:
                continue
            if await self.app.support.has_open(topic.key):
                await desk.forum.send_text(desk.chat_id, reply.text, int(topic.thread_id))
            else:
                await desk.withdrawn(topic.key)
            sent += 1
        return sent


class TopicForwards:
    """Support messages taken in by the conversation, posted in their customer's topic in
    order (a failure holds back the rest; the next round tries again)."""

    def __init__(self, room: ForumRoom) -> None:
        self.room = room
        self.support = room.app.support

    async def lease(self) -> Lease[TicketMessage]:
        taken = await self.support.take_undelivered(("customer",), limit=FORWARDS_AT_ONCE)
        return Lease(taken.messages, taken.live, taken)

    def lane(self, item: TicketMessage) -> Hashable | None:
        return self.room.staff.chat_id  # one chat: in order, all of it

    async def send(self, item: TicketMessage) -> Attempt[list[int]]:
        desk = self.room.desk
        assert desk is not None
        session = await self.room.app.engine.sessions.load(item.key)
        locale = session.locale if session is not None else "en"
        photo = await self.picture(item.media_ref)
        try:
            handoff = session.scratch.get(HANDOFF) if session is not None else None
            posted = await desk.ticket_message(
                item,
                display=await self.display(item),
                locale=locale,
                photo=photo,
                faq_question=handoff == item.text,
            )
        except SendError as exc:
            log.warning(
                "could not post support #%s in its topic: %s", item.ticket_id, type(exc).__name__
            )
            return Attempt(Outcome.FAILED)
        return Attempt(Outcome.SENT, posted)

    async def picture(self, ref: str | None) -> bytes | None:
        media = self.room.app.ports.media
        if ref is None or media is None:
            return None
        try:
            return await media.get(ref)
        except Exception:  # a missing picture must not cost staff the words
            log.warning("cannot read the picture of a support message")
            return None

    async def display(self, item: TicketMessage) -> str:
        """The customer's first name (a member's), else their chat."""
        if item.member_id is not None:
            try:
                member = await self.room.app.backend.get_member(item.member_id)
                if member.first_name:
                    return member.first_name
            except Exception:
                log.info("the topic name goes without the member's name")
        return f"tg:{item.key.chat_id}"

    async def mark(self, item: TicketMessage, receipt: list[int] | None) -> None:
        await self.support.mark_forwarded(self.room.staff.room, receipt or [], item)

    async def release(self, lease: Lease[TicketMessage], unsent: list[TicketMessage]) -> None:
        await self.support.release(cast("SupportLease", lease.holder), [m.id for m in unsent])


def _is_command(text: str | None) -> bool:
    return text is not None and parse_command(text) is not None


def _display(message: IncomingMessage) -> str:
    name = message.first_name or message.sender_name.removeprefix("@")
    return name or f"tg:{message.chat_id}"


__all__ = ["ForumRoom", "TopicForwards"]

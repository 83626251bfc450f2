"""A forum topic per customer in the staff group (issue 10), on Telegram: the thin connector
over the channel-neutral workspace (:mod:`handlers.workspace`).

- A customer's support message: their topic (created once, named by the core, opened with a
  customer card), reopened when it was closed, the message copied 1:1 (``copyMessage``: any
  content kind) and the pair recorded; the customer told when to expect an answer.
- A message in a topic: the core's :class:`TopicDesk` (commands without ticket numbers,
  anything else an answer, the staff policy first); answers copied to the customer (no staff
  name unless ``STAFF_SIGNATURE``), notices and buttons sent, the topic closed on /close, the
  card edited in place when it changed.
- An edit on either side: the paired copy is edited too.
- SLA reminders posted in their topics (:meth:`ForumDesk.remind`, from a delivery loop).
- Every post in the forum (the lines above, the card and its edits) within the group's 20
  messages a minute, 429s waited out, 5xx retried (:class:`PacedForum`).

The card's message is remembered as a pair ("card", topic id) <-> (room, message): no column
of its own; when housekeeping has pruned it, a changed card is posted anew.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from backend.port import RedemptionBackend
from bot.channels.telegram.common import Rejected
from bot.channels.telegram.events import key_for
from bot.channels.telegram.forum import ForumPort
from bot.channels.telegram.forum_mail import ForumMail
from bot.channels.telegram.forum_paced import PacedForum
from bot.channels.telegram.outgoing import Outgoing
from bot.channels.telegram.port import BotPort, IncomingMessage
from bot.channels.telegram.topic_card import CARD, CustomerCard, StepOf
from handlers.i18n import Catalog
from handlers.io import Reply
from handlers.ports import MediaPort
from handlers.staff import StaffIdentity
from handlers.workspace.commands import TopicDesk
from handlers.workspace.desk import CreateTopic, Inbound, Workspace
from states import ConversationKey
from states.audit import StaffNote
from storage.links import TicketMessage
from storage.workspace import Topic

log = logging.getLogger(__name__)


class ForumDesk:
    def __init__(
        self,
        workspace: Workspace,
        desk: TopicDesk,
        forum: ForumPort,
        port: BotPort,
        chat_id: int,
        *,
        catalog: Catalog,
        outgoing: Outgoing,
        backend: RedemptionBackend | None = None,
        signature: bool = False,
        media: MediaPort | None = None,
        step_of: StepOf | None = None,
    ) -> None:
        self.ws, self.desk, self.port = workspace, desk, port
        # the forum's own posts keep to the group's limits and ride out failures; what goes
        # to customers goes through ``mail`` (the outbox), on the port itself
        self.forum: ForumPort = PacedForum(forum, outgoing.messenger)
        self.chat_id, self.room = chat_id, str(chat_id)
        self.catalog, self.backend, self.signature = catalog, backend, signature
        self.cards = CustomerCard(self, media=media, step_of=step_of)
        self.mail = ForumMail(outgoing, forum, port, self._paired_later)

    def t(self, key: str, **params: object) -> str:
        return self.catalog.text(self.ws.staff_locale, key, **params)

    # ------------------------------------------------------------------ customers
    async def customer_message(
        self,
        message: IncomingMessage,
        *,
        display: str,
        locale: str,
        member_id: str | None,
        ask_a_person: str | None = None,
    ) -> Topic:
        """A customer's message for support (``ask_a_person``: the FAQ question handed over:
        the topic also shows the closest FAQ entries)."""
        key = _key(message)
        text = (message.text or message.caption or "") if ask_a_person is None else ask_a_person
        inbound, thread = await self._inbound(
            key, display, locale, member_id, text, ask=ask_a_person is not None
        )
        if inbound.relay:
            copy_id = await self.forum.copy(
                self.chat_id,
                message.chat_id,
                message.message_id,
                thread,
                reply_to=await self._reply_to(message, self.room),
            )
            await self.ws.paired(
                inbound.topic,
                "in",
                (str(message.chat_id), str(message.message_id)),
                (self.room, str(copy_id)),
            )
        await self.mail.say(key, inbound.customer)
        return inbound.topic

    async def open_topic(
        self, message: IncomingMessage, *, display: str, locale: str, member_id: str | None
    ) -> Topic:
        """The customer's topic made now (with its card), named after them, before the
        conversation takes their request's first words (which come by the delivery loop)."""
        create, made = self._creator()
        topic = await self.ws.topic_for(
            _key(message), display=display, locale=locale, member_id=member_id, create=create
        )
        if made:
            await self.post_card(topic)
        return topic

    async def ticket_message(
        self,
        item: TicketMessage,
        *,
        display: str,
        locale: str,
        photo: bytes | None = None,
        faq_question: bool = False,
    ) -> list[int]:
        """A support message the conversation took in (the request's first words, a picture
        offered to support, a question the FAQ could not answer: ``faq_question``): posted
        in the customer's topic as text, ``photo`` beside it.
        The ids of the messages posted (none: the customer is banned)."""
        inbound, thread = await self._inbound(
            item.key, display, locale, item.member_id, item.text, ask=faq_question
        )
        posted = []
        if inbound.relay:
            text = self.t("topics.request", text=item.text)
            if photo is not None:
                posted.append(await self.forum.send_photo(self.chat_id, photo, text, thread))
            else:
                posted.append(await self.forum.send_text(self.chat_id, text, thread))
        await self.mail.say(item.key, inbound.customer)
        return posted

    async def _inbound(
        self,
        key: ConversationKey,
        display: str,
        locale: str,
        member_id: str | None,
        text: str,
        *,
        ask: bool,
    ) -> tuple[Inbound, int]:
        """What the workspace says of a customer's message, its topic made (with the card) or
        reopened, and the workspace's lines for staff posted there first; and the thread."""
        create, made = self._creator()
        if ask:  # "Ask a person" after the FAQ: the closest entries shown too
            inbound = await self.ws.ask_a_person(
                key,
                display=display,
                locale=locale,
                member_id=member_id,
                create=create,
                question=text,
            )
        else:
            inbound = await self.ws.customer_message(
                key, display=display, locale=locale, member_id=member_id, create=create, text=text
            )
        topic, thread = inbound.topic, _thread(inbound.topic)
        if made:
            await self.post_card(topic)
        if inbound.reopened:
            await self._quietly(self.forum.reopen_topic(self.chat_id, thread))
        for reply in inbound.staff:
            await self.forum.send_text(self.chat_id, reply.text, thread)
        return inbound, thread

    def _creator(self) -> tuple[CreateTopic, list[int]]:
        """``createForumTopic`` for the workspace, and the threads it made (none: the topic
        was there, or another task made it)."""
        made: list[int] = []

        async def create(name: str) -> str:
            thread = await self.forum.create_topic(self.chat_id, name)
            made.append(thread)
            return str(thread)

        return create, made

    # ------------------------------------------------------------------ staff in a topic
    async def staff_message(self, message: IncomingMessage, who: StaffIdentity) -> bool:
        """A message in a topic of the staff forum; False when the topic is not a customer's
        (the General topic, one made by hand): the flat staff room handles it then."""
        if message.thread_id is None:
            return False
        topic = await self.ws.topics.for_thread(self.room, message.thread_id)
        if topic is None:
            return False
        media = message.text is None
        out = await self.desk.handle(
            (message.caption or "") if media else (message.text or ""),
            who,
            topic,
            forwarded=message.forwarded,
            media=media,
        )
        thread = _thread(topic)
        for reply in out.staff:
            await self.forum.send_text(self.chat_id, reply.text, thread)
        if out.relay:
            await self.relay_answer(message, who, topic)
        else:
            await self.mail.say(topic.key, out.customer)
        if out.close_topic:
            await self._quietly(self.forum.close_topic(self.chat_id, thread))
        if out.card_changed:
            fresh = await self.ws.topics.get(topic.id)
            await self.post_card(fresh or topic)
        return True

    async def relay_answer(
        self, message: IncomingMessage, who: StaffIdentity, topic: Topic
    ) -> None:
        """The staff message, copied to the customer as it is (with ``STAFF_SIGNATURE`` a
        text carries the staff member's name) and paired with its copy; through the
        outbox's retry (:class:`ForumMail`): a copy that waits there is paired when made."""
        customer = str(topic.key.chat_id)
        if self.signature and message.text is not None:
            signed = self.t("topics.signed", text=message.text, name=who.display)
            ids = await self.mail.say(topic.key, [Reply(text=signed, key="topics.signed")])
            copy_id = ids[0] if ids else None
        else:
            copy_id = await self.mail.copy(
                topic.key,
                topic.id,
                (message.chat_id, message.message_id),
                await self._reply_to(message, customer),
            )
        if copy_id is not None:
            await self.ws.paired(
                topic, "out", (customer, str(copy_id)), (self.room, str(message.message_id))
            )

    async def _paired_later(
        self, topic_id: int, customer: tuple[str, str], staff: tuple[str, str]
    ) -> None:
        await self.ws.pairs.pair(topic_id, "out", customer, staff)

    async def withdrawn(self, key: ConversationKey) -> bool:
        """The customer closed their request themselves: the topic is told and closed (no
        rating asked, no SLA reminder left); False when their topic was not open."""
        topic = await self.ws.topics.for_customer(key)
        if topic is None or topic.thread_id is None or topic.status != "open":
            return False
        note = StaffNote("withdrawn", f"{key.channel}:{key.user_id}", "customer")
        if not await self.ws.topics.close_topic(topic.id, note):
            return False
        thread = _thread(topic)
        await self.forum.send_text(self.chat_id, self.t("topics.cancelled"), thread)
        await self._quietly(self.forum.close_topic(self.chat_id, thread))
        fresh = await self.ws.topics.get(topic.id)
        await self.post_card(fresh or topic)
        return True

    # ------------------------------------------------------------------ edits, reminders
    async def edited(self, message: IncomingMessage) -> bool:
        """An edited message whose copy we sent: the copy is edited too (False: no copy)."""
        pair = await self.ws.pairs.find_pair(message.chat_id, message.message_id)
        if pair is None:
            return False
        if pair.customer_chat == str(message.chat_id) and await self._banned(pair.topic_id):
            return True  # a banned customer's edit reaches nobody (nor earns a hint)
        target = pair.copy_of(str(message.chat_id), str(message.message_id))
        chat, copy_id = int(target[0]), int(target[1])
        if message.text is not None:
            await self._quietly(self.forum.edit_text(chat, copy_id, message.text))
        elif message.caption is not None:
            await self._quietly(self.forum.edit_caption(chat, copy_id, message.caption))
        return True

    async def _banned(self, topic_id: int) -> bool:
        topic = await self.ws.topics.get(topic_id)
        return topic is not None and topic.banned

    async def remind(self) -> int:
        """Post the SLA reminders that are due in their topics; how many."""
        sent = 0
        for topic, reply in await self.ws.reminders():
            if topic.thread_id is not None:
                await self.forum.send_text(self.chat_id, reply.text, _thread(topic))
                sent += 1
        return sent

    # ------------------------------------------------------------------ the customer card
    async def post_card(self, topic: Topic) -> None:
        """The card at the top of the topic, or the same message edited in place."""
        await self.cards.post(topic)

    async def _reply_to(self, message: IncomingMessage, to_chat: str) -> int | None:
        """The copy in ``to_chat`` of the message this one replies to (None: not a reply, or
        to a message without a copy there, like the topic's start or the card)."""
        if message.reply_to_message_id is None:
            return None
        target = await self.ws.copy_of(message.chat_id, message.reply_to_message_id)
        return int(target[1]) if target is not None and target[0] == to_chat else None

    async def _quietly(self, call: Awaitable[None]) -> None:
        """A topic call whose refusal changes nothing (already open/closed, not modified)."""
        try:
            await call
        except Rejected as exc:
            log.info("forum call refused: %s", exc)


def _key(message: IncomingMessage) -> ConversationKey:
    return key_for(message.chat_id, message.user_id)


def _thread(topic: Topic) -> int:
    if topic.thread_id is None:
        raise ValueError(f"topic {topic.id} has no thread on the channel")
    return int(topic.thread_id)


__all__ = ["CARD", "ForumDesk"]

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
from bot.channels.telegram.port import BotPort, IncomingMessage
from bot.channels.telegram.topic_card import CARD, CustomerCard, StepOf
from handlers.i18n import Catalog
from handlers.ports import MediaPort
from handlers.staff import StaffIdentity
from handlers.workspace.commands import TopicDesk
from handlers.workspace.desk import Workspace
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
        backend: RedemptionBackend | None = None,
        signature: bool = False,
        media: MediaPort | None = None,
        step_of: StepOf | None = None,
    ) -> None:
        self.ws, self.desk, self.forum, self.port = workspace, desk, forum, port
        self.chat_id, self.room = chat_id, str(chat_id)
        self.catalog, self.backend, self.signature = catalog, backend, signature
        self.cards = CustomerCard(self, media=media, step_of=step_of)

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
        made: list[int] = []

        async def create(name: str) -> str:
            thread = await self.forum.create_topic(self.chat_id, name)
            made.append(thread)
            return str(thread)

        key, inbound = _key(message), None
        if ask_a_person is not None:
            inbound = await self.ws.ask_a_person(
                key,
                display=display,
                locale=locale,
                member_id=member_id,
                create=create,
                question=ask_a_person,
            )
        else:
            inbound = await self.ws.customer_message(
                key,
                display=display,
                locale=locale,
                member_id=member_id,
                create=create,
                text=message.text or message.caption or "",
            )
        topic, thread = inbound.topic, _thread(inbound.topic)
        if made:
            await self.post_card(topic)
        if inbound.reopened:
            await self._quietly(self.forum.reopen_topic(self.chat_id, thread))
        for reply in inbound.staff:
            await self.forum.send_text(self.chat_id, reply.text, thread)
        if inbound.relay:
            copy_id = await self.forum.copy(
                self.chat_id,
                message.chat_id,
                message.message_id,
                thread,
                reply_to=await self._reply_to(message, self.room),
            )
            await self.ws.paired(
                topic,
                "in",
                (str(message.chat_id), str(message.message_id)),
                (self.room, str(copy_id)),
            )
        for reply in inbound.customer:
            await self.port.send_message(message.chat_id, reply.text, reply.buttons)
        return topic

    async def open_topic(
        self, message: IncomingMessage, *, display: str, locale: str, member_id: str | None
    ) -> Topic:
        """The customer's topic made now (with its card), named after them, before the
        conversation takes their request's first words (which come by the delivery loop)."""
        made: list[int] = []

        async def create(name: str) -> str:
            thread = await self.forum.create_topic(self.chat_id, name)
            made.append(thread)
            return str(thread)

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
        made: list[int] = []

        async def create(name: str) -> str:
            thread = await self.forum.create_topic(self.chat_id, name)
            made.append(thread)
            return str(thread)

        if faq_question:  # "Ask a person" after the FAQ: the closest entries shown too
            inbound = await self.ws.ask_a_person(
                item.key,
                display=display,
                locale=locale,
                member_id=item.member_id,
                create=create,
                question=item.text,
            )
        else:
            inbound = await self.ws.customer_message(
                item.key,
                display=display,
                locale=locale,
                member_id=item.member_id,
                create=create,
                text=item.text,
            )
        topic, thread, posted = inbound.topic, _thread(inbound.topic), []
        if made:
            await self.post_card(topic)
        if inbound.reopened:
            await self._quietly(self.forum.reopen_topic(self.chat_id, thread))
        for reply in inbound.staff:
            await self.forum.send_text(self.chat_id, reply.text, thread)
        if inbound.relay:
            text = self.t("topics.request", text=item.text)
            if photo is not None:
                posted.append(await self.forum.send_photo(self.chat_id, photo, text, thread))
            else:
                posted.append(await self.forum.send_text(self.chat_id, text, thread))
        chat = int(item.key.chat_id)
        for reply in inbound.customer:
            await self.port.send_message(chat, reply.text, reply.buttons)
        return posted

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
        thread, customer = _thread(topic), int(topic.key.chat_id)
        for reply in out.staff:
            await self.forum.send_text(self.chat_id, reply.text, thread)
        if out.relay:
            copy_id = await self.relay_answer(message, who, customer)
            await self.ws.paired(
                topic, "out", (str(customer), str(copy_id)), (self.room, str(message.message_id))
            )
        else:
            for reply in out.customer:
                await self.port.send_message(customer, reply.text, reply.buttons)
        if out.close_topic:
            await self._quietly(self.forum.close_topic(self.chat_id, thread))
        if out.card_changed:
            fresh = await self.ws.topics.get(topic.id)
            await self.post_card(fresh or topic)
        return True

    async def relay_answer(
        self, message: IncomingMessage, who: StaffIdentity, customer: int
    ) -> int:
        """The staff message, copied to the customer as it is; with ``STAFF_SIGNATURE`` a
        text carries the staff member's name."""
        if self.signature and message.text is not None:
            signed = self.t("topics.signed", text=message.text, name=who.display)
            return await self.forum.send_text(customer, signed)
        return await self.forum.copy(
            customer,
            message.chat_id,
            message.message_id,
            reply_to=await self._reply_to(message, str(customer)),
        )

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
        target = await self.ws.copy_of(message.chat_id, message.message_id)
        if target is None:
            return False
        chat, copy_id = int(target[0]), int(target[1])
        if message.text is not None:
            await self._quietly(self.forum.edit_text(chat, copy_id, message.text))
        elif message.caption is not None:
            await self._quietly(self.forum.edit_caption(chat, copy_id, message.caption))
        return True

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

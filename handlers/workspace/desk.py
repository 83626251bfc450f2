"""The staff workspace, customer side and lifecycle, channel-neutral: a topic per customer
(created once, see :mod:`storage.workspace.topics`), what a customer's message does (relayed,
reopening a closed topic; a banned customer told once), when to expect an answer (support
hours), the rating after a close, SLA reminders, and the pairs of relayed messages.

A connector gives :meth:`Workspace.topic_for` a ``create`` function that makes the topic on
its channel (Telegram: ``createForumTopic``) and returns its id; it relays what
:meth:`Workspace.customer_message` says to relay, and records each copy with
:meth:`Workspace.paired` so edits find their copies.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from handlers.i18n import Catalog
from handlers.io import Action, Button, Kind, Reply, valid_text
from handlers.targets import Target
from handlers.workspace import faq as faqs
from states import ConversationKey
from states.support_hours import DAYS, SupportHours
from storage.workspace import FaqStore, Pair, PairStore, Topic, TopicStore

CreateTopic = Callable[[str], Awaitable[str]]  # topic name -> the channel's topic (thread) id
Pause = Callable[[], Awaitable[None]]
RATE = Kind.RATE  # the action of a rating button: value "STARS.TOPIC"
NAME_LEN = 128  # Telegram's limit for a forum topic's name
WAIT_POLL = 0.05  # seconds between looks while another task or replica creates the topic


async def _pause() -> None:
    await asyncio.sleep(WAIT_POLL)


@dataclass(frozen=True, slots=True)
class Inbound:
    """What to do with a customer's message."""

    topic: Topic
    relay: bool  # pass it on into the topic
    reopened: bool  # the topic was closed: reopen it on the channel too
    customer: list[Reply] = field(default_factory=list)  # say this to the customer
    staff: list[Reply] = field(default_factory=list)  # post this in the topic first


class Workspace:
    def __init__(
        self,
        topics: TopicStore,
        faq: FaqStore,
        catalog: Catalog,
        *,
        pairs: PairStore,
        room: str,
        hours: SupportHours,
        sla: dt.timedelta,
        now: Callable[[], dt.datetime],
        staff_locale: str = "en",
        pause: Pause = _pause,
    ) -> None:
        self.topics, self.faq, self.pairs, self.catalog = topics, faq, pairs, catalog
        self.room, self.hours, self.sla, self.now = str(room), hours, sla, now
        self.staff_locale = staff_locale
        self.pause = pause

    def t(self, locale: str, key: str, /, **params: object) -> str:
        return self.catalog.text(locale, key, **params)

    # ---------------------------------------------------------------- the topic
    def topic_name(
        self, display: str, key: ConversationKey, member_id: str | None, locale: str
    ) -> str:
        who = member_id or f"{key.channel}:{key.chat_id}"
        name = self.t(
            self.staff_locale,
            "workspace.topic_name",
            name=valid_text(display).strip() or "?",
            who=who,
            language=locale,
        )
        return " ".join(name.split())[:NAME_LEN]

    async def topic_for(
        self,
        key: ConversationKey,
        *,
        display: str,
        locale: str,
        member_id: str | None,
        create: CreateTopic,
    ) -> Topic:
        """The customer's topic, created on the channel exactly once: concurrent first
        messages (tasks or replicas) wait for the one creating it."""
        name = self.topic_name(display, key, member_id, locale)
        while True:
            claim = await self.topics.claim(
                key, room=self.room, name=name, locale=locale, member_id=member_id
            )
            if claim.kind == "ready":
                return claim.topic
            if claim.kind == "busy":
                await self.pause()
                continue
            assert claim.token is not None
            try:
                thread_id = await create(claim.topic.name)
            except BaseException:
                await self.topics.abandon(claim.topic.id, claim.token)
                raise
            topic = await self.topics.created(claim.topic.id, claim.token, thread_id)
            if topic is not None:
                return topic  # else: our lease ran out and another took over; read theirs

    # ---------------------------------------------------------------- customer messages
    async def customer_message(
        self,
        key: ConversationKey,
        *,
        display: str,
        locale: str,
        member_id: str | None,
        create: CreateTopic,
        text: str = "",
    ) -> Inbound:
        topic = await self.topic_for(
            key, display=display, locale=locale, member_id=member_id, create=create
        )
        turn = await self.topics.customer_wrote(topic.id, valid_text(text).strip())
        customer: list[Reply] = []
        if turn.tell_banned:
            customer.append(self.banned(locale))
        elif turn.wait_started:
            customer.append(self.expectation(locale))
        staff = (
            [Reply(text=self.t(self.staff_locale, "workspace.reopened"), key="workspace.reopened")]
            if turn.reopened
            else []
        )
        return Inbound(turn.topic, turn.relay, turn.reopened, customer, staff)

    async def ask_a_person(
        self,
        key: ConversationKey,
        *,
        display: str,
        locale: str,
        member_id: str | None,
        create: CreateTopic,
        question: str,
    ) -> Inbound:
        """Free text the FAQ could not answer, handed to a person: the topic also shows the
        entries that came closest."""
        inbound = await self.customer_message(
            key, display=display, locale=locale, member_id=member_id, create=create, text=question
        )
        if not inbound.relay:
            return inbound
        near = faqs.closest(await self.faq.entries(self.staff_locale), question)
        lines = [
            self.t(self.staff_locale, "workspace.handoff", question=valid_text(question).strip())
        ]
        lines += [
            self.t(self.staff_locale, "workspace.handoff_near", n=i.id, question=i.question)
            for i in near
        ]
        if not near:
            lines.append(self.t(self.staff_locale, "workspace.handoff_none"))
        note = Reply(text="\n".join(lines), key="workspace.handoff")
        return Inbound(
            inbound.topic, True, inbound.reopened, inbound.customer, [*inbound.staff, note]
        )

    def expectation(self, locale: str) -> Reply:
        """When the customer can expect an answer: soon while support is open, else from the
        next opening ("we'll answer from Monday 09:00"); with a button that cancels the
        request while nobody has answered."""
        now = self.now()
        cancel = Button(
            label=self.t(locale, "btn.cancel_request"),
            data=Action(Kind.MENU, Target.CLOSE_SUPPORT.value).encode(),
        )
        key, params = "workspace.answer_soon", {}
        if not self.hours.is_open(now):
            opening = self.hours.next_opening(now)
            params = {"time": f"{opening:%H:%M}"}
            if opening.date() == now.astimezone(opening.tzinfo).date():
                key = "workspace.answer_today"
            else:
                key = "workspace.answer_from"
                params["day"] = self.t(locale, f"workspace.day.{DAYS[opening.weekday()]}")
        return Reply(text=self.t(locale, key, **params), buttons=((cancel,),), key=key)

    def banned(self, locale: str) -> Reply:
        return Reply(text=self.t(locale, "workspace.banned"), key="workspace.banned")

    async def refused(self, key: ConversationKey, locale: str) -> list[Reply] | None:
        """None: the customer may write to support. A customer staff banned: nothing of
        theirs is taken; the polite notice the first time (else nothing is said)."""
        topic = await self.topics.for_customer(key)
        if topic is None or not topic.banned:
            return None
        turn = await self.topics.customer_wrote(topic.id)
        if turn.relay:  # unbanned meanwhile
            return None
        return [self.banned(locale)] if turn.tell_banned else []

    # ---------------------------------------------------------------- close and rate
    def closed_notice(self, topic: Topic) -> Reply:
        """Told to the customer when staff close their topic, with 1-5 rating buttons."""
        row = tuple(
            Button(label="⭐" * s, data=Action(RATE, f"{s}.{topic.id}").encode())
            for s in range(1, 6)
        )
        return Reply(
            text=self.t(topic.locale, "workspace.closed"),
            buttons=(row[:3], row[3:]),
            key="workspace.closed",
        )

    async def rate(self, key: ConversationKey, value: str) -> Reply:
        """A rating button tapped (``value`` "STARS.TOPIC"): stored once, for this customer's
        own topic only."""
        stars, _, topic_id = value.partition(".")
        topic = await self.topics.for_customer(key)
        locale = topic.locale if topic else "en"
        if (
            topic is None
            or not stars.isdigit()
            or topic_id != str(topic.id)
            or not 1 <= int(stars) <= 5
        ):
            return Reply(
                text=self.t(locale, "workspace.rate_invalid"), key="workspace.rate_invalid"
            )
        if not await self.topics.rate(topic.id, int(stars)):
            return Reply(
                text=self.t(locale, "workspace.rated_already"), key="workspace.rated_already"
            )
        return Reply(text=self.t(locale, "workspace.rated", stars=stars), key="workspace.rated")

    # ---------------------------------------------------------------- SLA
    async def reminders(self, limit: int = 50) -> list[tuple[Topic, Reply]]:
        """Topics whose customer waits longer than the SLA, each reminded once (across
        replicas); none while support is closed (they come at the next opening)."""
        if not self.hours.is_open(self.now()):
            return []
        due = []
        for wait in await self.topics.overdue(self.sla, limit):
            if await self.topics.mark_reminded(wait.id):
                minutes = int((self.now() - wait.asked_at).total_seconds() // 60)
                text = self.t(self.staff_locale, "workspace.sla_reminder", minutes=minutes)
                due.append((wait.topic, Reply(text=text, key="workspace.sla_reminder")))
        return due

    # ---------------------------------------------------------------- pairs
    async def paired(
        self, topic: Topic, direction: str, customer: tuple[str, str], staff: tuple[str, str]
    ) -> None:
        """Record a relayed message and its copy ((chat, message id) on each side)."""
        await self.pairs.pair(topic.id, "in" if direction == "in" else "out", customer, staff)

    async def copy_of(self, chat: str | int, message: str | int) -> tuple[str, str] | None:
        """Where the copy of (``chat``, ``message``) is, from either side: to edit it too."""
        pair: Pair | None = await self.pairs.find_pair(chat, message)
        return None if pair is None else pair.copy_of(str(chat), str(message))


__all__ = ["RATE", "CreateTopic", "Inbound", "Workspace"]

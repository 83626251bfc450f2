"""Staff in a customer's topic: commands need no ticket number (the topic says whose), and
anything else a staff member writes there is an answer for the customer.

    /close · /take · /ban · /unban · /faq [N|NAME] · /save NAME text · /learn [N] · /stats

One parser (:func:`parse_topic_command`, typed, on top of :func:`handlers.staff.parse_command`);
commands it does not know (/queue, /show ...) go to the staff room as before. Every command
and every answer is checked against the staff policy first (:meth:`StaffRoom.refusal`:
the same rule, refusal text and quiet period as the rest of the staff chat) and audited.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from backend.port import BackendError, RedemptionBackend
from handlers.commands import parse_command
from handlers.io import Reply, valid_text
from handlers.staff import RoleUnavailable, StaffIdentity, StaffRoom, staff_note
from handlers.workspace import faq as faqs
from handlers.workspace.desk import Workspace
from storage.workspace import Topic

log = logging.getLogger(__name__)

Name = Literal["close", "take", "ban", "unban", "faq", "save", "learn", "stats"]
NAMES: tuple[Name, ...] = ("close", "take", "ban", "unban", "faq", "save", "learn", "stats")
SAVED_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True, slots=True)
class TopicCommand:
    name: Name
    number: int | None = None  # /faq N, /learn N
    word: str = ""  # /faq NAME, /save NAME
    text: str = ""  # /save NAME text


@dataclass(frozen=True, slots=True)
class Usage:
    """A topic command written wrongly: ``key`` says how to write it."""

    name: Name
    key: str


def parse_topic_command(text: str) -> TopicCommand | Usage | None:
    """A topic command; :class:`Usage` when it is one but malformed; None for anything else
    (not a command, or one of the staff room's)."""
    parsed = parse_command(text)
    if parsed is None or parsed[0] not in NAMES:
        return None
    name: Name = parsed[0]
    args = parsed[1]
    if name in ("close", "take", "ban", "unban", "stats"):
        return TopicCommand(name)
    if name in ("faq", "learn"):
        if not args:
            return TopicCommand(name)
        if args.isdigit():
            return TopicCommand(name, number=int(args))
        if name == "faq" and SAVED_NAME.match(args.lower()):
            return TopicCommand(name, word=args.lower())
        return Usage(name, f"workspace.usage_{name}")
    word, _, body = args.partition(" ")
    if not SAVED_NAME.match(word.lower()) or not body.strip():
        return Usage("save", "workspace.usage_save")
    return TopicCommand("save", word=word.lower(), text=body.strip())


@dataclass(frozen=True, slots=True)
class TopicOutcome:
    """What the connector does: post ``staff`` in the topic, send ``customer`` to the
    customer; ``relay``: copy the staff message itself to the customer (any content kind,
    then pair the copy); close (or not) the channel's topic; refresh the customer card."""

    staff: list[Reply] = field(default_factory=list)
    customer: list[Reply] = field(default_factory=list)
    relay: bool = False
    close_topic: bool = False
    card_changed: bool = False


StatsText = Callable[[], Awaitable[str]]


class TopicDesk:
    def __init__(
        self,
        workspace: Workspace,
        room: StaffRoom,
        *,
        backend: RedemptionBackend | None = None,
        stats: StatsText | None = None,
    ) -> None:
        self.ws, self.room, self.backend, self.stats_text = workspace, room, backend, stats
        self.faq = workspace.faq
        self.topics = workspace.topics

    def say(self, key: str, **params: object) -> TopicOutcome:
        return TopicOutcome(
            staff=[Reply(text=self.ws.t(self.ws.staff_locale, key, **params), key=key)]
        )

    async def handle(
        self,
        text: str,
        who: StaffIdentity,
        topic: Topic,
        *,
        replied_text: str | None = None,
        forwarded: bool = False,
        media: bool = False,
    ) -> TopicOutcome:
        """One message a person wrote in ``topic`` (``media``: a photo, document, voice,
        sticker... with ``text`` its caption). ``replied_text``: the text of the message it
        replies to (``/learn`` as a reply to a staff answer learns that answer). A message
        ``forwarded`` from elsewhere is neither a command nor an answer, whoever sends it."""
        text = valid_text(text or "").strip()
        if forwarded or not (text or media):
            return TopicOutcome()
        command = None if media else parse_topic_command(text)
        if command is None and text.startswith("/") and not media:
            return TopicOutcome(staff=await self.room.handle(text, who))  # /queue, /show ...
        if command is None:
            refused = await self.answer_refusal(who)
            return (
                TopicOutcome(staff=refused)
                if refused is not None
                else await self.answer(text, who, topic, media=media)
            )
        refused = await self.room.refusal(command.name, who)
        if refused is not None:
            return TopicOutcome(staff=refused)
        if isinstance(command, Usage):
            return self.say(command.key)
        try:
            return await self.run(command, who, topic, replied_text)
        except BackendError as exc:
            return self.say(exc.key, **exc.params)
        except Exception:
            log.exception("topic command /%s failed", command.name)
            return self.say("staff.failed", command=command.name)

    async def answer_refusal(self, who: StaffIdentity) -> list[Reply] | None:
        """None when ``who`` may answer customers (the staff policy, as for commands); else
        what to tell them (once per quiet period; every attempt is logged)."""
        try:
            if await self.room.policy.permits(who, self.room.roles):
                return None
            key = "workspace.not_relayed"
            log.warning(
                "topic answer not passed on: %s:%s (%s) is not staff",
                who.channel,
                who.user_id,
                who.kind,
            )
        except RoleUnavailable:
            key = "staff.check_failed"
            log.warning(
                "topic answer from %s:%s not passed on: could not check their role",
                who.channel,
                who.user_id,
            )
        return self.say(key).staff if self.room.may_answer(who) else []

    async def run(
        self, c: TopicCommand, who: StaffIdentity, topic: Topic, replied: str | None
    ) -> TopicOutcome:
        if c.name == "close":
            return await self.close(who, topic)
        if c.name in ("take", "ban", "unban"):
            return await self.assign_or_ban(c.name, who, topic)
        if c.name == "faq":
            return await self.send_faq(c, who, topic)
        if c.name == "save":
            return await self.save(c, who)
        if c.name == "learn":
            return await self.learn(c, who, topic, replied)
        return (
            self.say("workspace.stats_off")
            if self.stats_text is None
            else TopicOutcome(staff=[Reply(text=await self.stats_text(), key="workspace.stats")])
        )

    # ---------------------------------------------------------------- answers
    async def answer(
        self, text: str, who: StaffIdentity, topic: Topic, *, media: bool = False
    ) -> TopicOutcome:
        """A staff member's message for the customer (the first ends the customer's wait):
        ``relay`` it; ``customer`` holds its words for a channel that sends text instead."""
        blocked = self.blocked(topic)
        if blocked is not None:
            return blocked
        note = staff_note("answer", who.actor, "media" if media else "")
        await self.topics.staff_answered(topic.id, text, note)
        words = [Reply(text=text, key="workspace.staff_answer")] if text else []
        return TopicOutcome(customer=words, relay=True)

    def blocked(self, topic: Topic) -> TopicOutcome | None:
        """Why nothing may go to this customer now (banned, or the topic closed), or None."""
        if topic.banned:
            return self.say("workspace.is_banned")
        if topic.status != "open":
            return self.say("workspace.not_open_answer")
        return None

    async def close(self, who: StaffIdentity, topic: Topic) -> TopicOutcome:
        if not await self.topics.close_topic(topic.id, staff_note("close", who.actor)):
            return self.say("workspace.not_open")
        done = self.say("workspace.closed_by", name=who.actor.name)
        return TopicOutcome(
            staff=done.staff,
            customer=[self.ws.closed_notice(topic)],
            close_topic=True,
            card_changed=True,
        )

    async def assign_or_ban(self, name: str, who: StaffIdentity, topic: Topic) -> TopicOutcome:
        note = staff_note(name, who.actor)
        if name == "take":
            await self.topics.take(topic.id, note)
            return TopicOutcome(
                staff=self.say("workspace.taken", name=who.actor.name).staff, card_changed=True
            )
        changed = await self.topics.set_banned(topic.id, name == "ban", note)
        key = {"ban": "workspace.banned_staff", "unban": "workspace.unbanned"}[name]
        key = key if changed else f"workspace.already_{name}ned"
        return TopicOutcome(staff=self.say(key, name=who.actor.name).staff, card_changed=changed)

    # ---------------------------------------------------------------- FAQ and saved replies
    async def send_faq(self, c: TopicCommand, who: StaffIdentity, topic: Topic) -> TopicOutcome:
        if c.number is None and not c.word:
            return await self.faq_list()
        blocked = self.blocked(topic)
        if blocked is not None:
            return blocked
        if c.number is not None:
            item = await self.faq.entry(c.number, topic.locale)
            if item is None:
                return self.say("workspace.no_faq", n=c.number)
            text, what = faqs.render_answer(self.ws.catalog, topic.locale, item), f"faq {c.number}"
        else:
            saved = await self.faq.saved(c.word)
            if saved is None:
                return self.say("workspace.no_saved", name=c.word)
            text, what = faqs.fill(saved.text, await self.params(topic)), f"saved {saved.name}"
        await self.topics.staff_answered(topic.id, text, staff_note("answer", who.actor, what))
        return TopicOutcome(
            staff=self.say("workspace.faq_sent", what=what).staff,
            customer=[Reply(text=text, key="workspace.staff_answer")],
        )

    async def faq_list(self) -> TopicOutcome:
        items = await self.faq.entries(self.ws.staff_locale)
        saved = await self.faq.saved_replies()
        t, loc = self.ws.t, self.ws.staff_locale
        lines = [t(loc, "workspace.faq_title", count=len(items))]
        lines += [t(loc, "workspace.faq_line", n=i.id, question=i.question) for i in items]
        lines.append(t(loc, "workspace.saved_title", count=len(saved)))
        lines += [t(loc, "workspace.saved_line", name=s.name, text=s.text[:60]) for s in saved]
        return TopicOutcome(staff=[Reply(text="\n".join(lines), key="workspace.faq_title")])

    async def save(self, c: TopicCommand, who: StaffIdentity) -> TopicOutcome:
        unknown = faqs.unknown_params(c.text)
        if unknown:
            return self.say(
                "workspace.save_unknown",
                names=", ".join(unknown),
                allowed=", ".join("{" + p + "}" for p in faqs.PARAMS),
            )
        await self.faq.save_reply(c.word, c.text, staff_note("save", who.actor, c.word))
        return self.say("workspace.saved", name=c.word)

    async def learn(
        self, c: TopicCommand, who: StaffIdentity, topic: Topic, replied: str | None
    ) -> TopicOutcome:
        question = topic.last_question
        if not question:
            return self.say("workspace.learn_nothing")
        if c.number is not None:
            if await self.faq.entry(c.number) is None:
                return self.say("workspace.no_faq", n=c.number)
            added = await self.faq.add_phrasing(
                c.number, topic.locale, question, staff_note("learn", who.actor, f"faq {c.number}")
            )
            return self.say("workspace.learned" if added else "workspace.learned_known", n=c.number)
        answer = valid_text(replied or "").strip() or topic.last_answer
        if not answer:
            return self.say("workspace.learn_no_answer")
        entry_id = await self.faq.add_entry(
            question, answer, topic.locale, staff_note("learn", who.actor, "new")
        )
        return self.say("workspace.learned_new", n=entry_id)

    async def params(self, topic: Topic) -> dict[str, str]:
        """The values of a saved reply's parameters for this customer."""
        values = {
            "first_name": self.ws.t(topic.locale, "workspace.customer_fallback"),
            "claim": "-",
        }
        if self.backend is None or topic.member_id is None:
            return values
        try:
            member = await self.backend.get_member(topic.member_id)
            claims = await self.backend.list_claims(topic.member_id)
        except BackendError:
            return values
        if member.first_name:
            values["first_name"] = member.first_name
        if claims:
            values["claim"] = max(claims, key=lambda cl: cl.updated_at).id
        return values


__all__ = ["NAMES", "TopicCommand", "TopicDesk", "TopicOutcome", "Usage", "parse_topic_command"]

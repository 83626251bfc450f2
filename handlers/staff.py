"""The staff side: the review desk and support answers, as commands in a staff chat.

Channel-neutral: a connector hands over what a person wrote in the staff chat, who they are
(:class:`StaffIdentity`) and which message it replies to, and renders the replies. Texts
live in the catalog under ``staff.*``.

    /queue · /show CLAIM · /approve CLAIM · /reject CLAIM REASON [text] · /reasons
    /ship CLAIM [tracking] · /tickets · /reply TICKET text · /close TICKET

Only staff act (:class:`StaffPolicy` decides, here in the core, for every command): the
allow-list, or the chat's administrators as the connector's :class:`RolePort` reports them.
Anyone else is answered that they may not, and the attempt is logged. A message answers a
customer only as ``/reply N`` or as a reply to the bot's own forward of that customer's
message (the pairing is stored); anything else in the chat is staff chatter and stays there.
Every action is recorded with who did it (the claim's or ticket's audit trail).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from backend.port import WAITING_CAP, Actor, BackendError, Claim, RejectReason
from handlers import paging
from handlers.commands import parse_command
from handlers.i18n import Catalog
from handlers.io import Reply, valid_text
from states import StaffNote

log = logging.getLogger(__name__)

CLOSED = "closed"  # the text of the system message that tells a customer staff closed the request
ADMIN_ROLES = frozenset({"creator", "administrator"})
Authority = Literal["auto", "allowlist", "admins", "both"]
SenderKind = Literal["user", "bot", "chat"]  # chat: an anonymous admin, the group itself, a channel
REFUSAL_QUIET = (
    60.0  # seconds: a refused person is answered once in this time (every attempt is logged)
)
MAX_HUSHED = 1024  # people remembered as recently answered
QUEUE_PAGE = 30  # claims a /queue page shows
WORDLESS = "reply-wordless"  # a reply to a customer's post without text; cannot be typed (not an identifier)


@dataclass(frozen=True, slots=True)
class StaffIdentity:
    """Who wrote in a staff chat, as the connector saw it (nothing here is trusted yet)."""

    channel: str  # "telegram", "cli"
    user_id: str  # the sender's id on that channel (for kind "chat": the sender chat's id)
    display: str  # "@sam_staff": shown in the audit trail, never used to decide
    room: str = ""  # the chat it was said in
    kind: SenderKind = "user"

    @property
    def actor(self) -> Actor:
        return Actor(
            id=f"{self.channel}:{self.user_id}", name=valid_text(self.display or self.user_id)[:100]
        )


class RolePort(Protocol):
    """The connector's answer to "what is this person in the staff chat right now?"
    (``creator``, ``administrator``, ``member``, ``left``...). Raises
    :class:`RoleUnavailable` when it cannot tell."""

    async def role(self, who: StaffIdentity) -> str: ...


class RoleUnavailable(Exception):
    """The chat could not be asked who someone is (network, API error): refuse, say so."""


@dataclass(frozen=True, slots=True)
class StaffPolicy:
    """Who is staff. ``authority``:

    - ``allowlist``: the ids in ``allowed``, nobody else;
    - ``admins``: the staff chat's creator and administrators (asked through the RolePort);
    - ``both``: listed *and* an administrator right now (removing either revokes at once);
    - ``auto`` (default): ``allowlist`` when ``allowed`` is set, else ``admins``.

    Only in ``room`` (the staff chat); an anonymous admin, the group itself or another bot
    (sender kinds ``chat`` and ``bot``) is staff only when its id is in ``allowed``.
    """

    room: str | None
    allowed: frozenset[str] = frozenset()
    authority: Authority = "auto"

    @property
    def mode(self) -> Authority:
        if self.authority == "auto":
            return "allowlist" if self.allowed else "admins"
        return self.authority

    async def permits(self, who: StaffIdentity, roles: RolePort | None) -> bool:
        """True when ``who`` may act as staff; raises RoleUnavailable when it cannot be told."""
        if self.room is not None and who.room != self.room:
            return False
        listed = who.user_id in self.allowed
        if who.kind != "user" or self.mode == "allowlist":
            return listed
        if self.mode == "both" and not listed:
            return False
        return roles is not None and await roles.role(who) in ADMIN_ROLES


Command = Callable[[str, StaffIdentity], Awaitable[list[Reply]]]


class StaffRoom:
    """Staff commands over the review desk and the support store."""

    def __init__(
        self,
        desk: Any,
        support: Any,
        catalog: Catalog,
        locale: str = "en",
        *,
        policy: StaffPolicy,
        roles: RolePort | None = None,
        clock: Callable[[], float] = time.monotonic,
        waiting_cap: int = WAITING_CAP,
    ) -> None:
        self.desk = desk
        self.waiting_cap = waiting_cap  # /queue counts the waiting claims up to this, then "+"
        self.support = support
        self.catalog = catalog
        self.locale = locale
        self.policy = policy
        self.roles = roles
        self.clock = clock
        self._answered: dict[tuple[str, str], float] = {}  # (room, actor id) -> quiet until
        self.commands: dict[str, Command] = {
            "help": self.help,
            "start": self.help,
            "queue": self.queue,
            "show": self.show,
            "approve": self.approve,
            "reject": self.reject,
            "reasons": self.reasons,
            "ship": self.ship,
            "tickets": self.tickets,
            "reply": self.reply,
            "close": self.close,
            "conflicts": self.conflicts,
            WORDLESS: self.wordless,
        }

    def t(self, key: str, **params: Any) -> str:
        return self.catalog.text(self.locale, key, **params)

    def say(self, key: str, **params: Any) -> list[Reply]:
        return [Reply(text=self.t(key, **params), key=key)]

    async def handle(
        self,
        text: str,
        who: StaffIdentity,
        reply_to: int | str | None = None,
        *,
        forwarded: bool = False,
    ) -> list[Reply]:
        """Answer one message in the staff chat (``reply_to``: the id of the message it
        replies to there); [] for chatter and other bots' commands. A ``forwarded`` message
        was written by someone else: never a command nor an answer, whoever forwards it."""
        text = valid_text(text or "").strip()
        if forwarded:
            return []
        command = parse_command(text) or await self.answer_in(text, who, reply_to)
        if command is None:
            return []
        name, args = command
        handler = self.commands.get(name)
        if handler is None:
            return []
        refused = await self.refusal(name, who)
        if refused is not None:
            return refused
        try:
            return await handler(args, who)
        except BackendError as exc:
            return [Reply(text="⚠ " + self.t(exc.key, **exc.params), key=exc.key)]
        except Exception:
            log.exception("staff command /%s failed", name)
            return self.say("staff.failed", command=name)

    async def answer_in(
        self, text: str, who: StaffIdentity, reply_to: int | str | None
    ) -> tuple[str, str] | None:
        """A reply to the bot's post of a customer's message answers that ticket (as
        ``/reply N text``); a reply without words (a photo, a sticker) is not passed on, and
        staff are told. None for everything else: a reply to a colleague, to a list, to a
        look-alike, or no reply at all is chatter."""
        if reply_to is None:
            return None
        ticket = await self.support.forwarded_ticket(who.room, reply_to)
        if ticket is None:
            return None
        return ("reply", f"{ticket} {text}") if text else (WORDLESS, str(ticket))

    async def refusal(self, name: str, who: StaffIdentity) -> list[Reply] | None:
        """None when ``who`` is staff; else the answer to give (the attempt is logged)."""
        try:
            if await self.policy.permits(who, self.roles):
                return None
        except RoleUnavailable:
            log.warning(
                "staff command /%s from %s:%s refused: could not check their role",
                name,
                who.channel,
                who.user_id,
            )
            return self.say("staff.check_failed") if self.may_answer(who) else []
        log.warning(
            "staff command /%s refused: %s:%s (%s) is not staff",
            name,
            who.channel,
            who.user_id,
            who.kind,
        )
        return self.say("staff.not_staff", command=name) if self.may_answer(who) else []

    def may_answer(self, who: StaffIdentity) -> bool:
        """Answer a refused person once per ``REFUSAL_QUIET``: a flood of commands must not
        use up the chat's sending budget (a Telegram group gets 20 messages a minute) and
        delay customers' forwards and staff answers. Per process, like a cache."""
        key, now = (who.room, who.actor.id), self.clock()
        if self._answered.get(key, 0.0) > now:
            return False
        if len(self._answered) >= MAX_HUSHED:
            self._answered = {k: until for k, until in self._answered.items() if until > now}
            if len(self._answered) >= MAX_HUSHED:
                self._answered.clear()
        self._answered[key] = now + REFUSAL_QUIET
        return True

    # ------------------------------------------------------------------ review desk
    async def help(self, args: str, who: StaffIdentity) -> list[Reply]:
        return self.say("staff.help")

    async def queue(self, args: str, who: StaffIdentity) -> list[Reply]:
        """/queue: the oldest waiting claims, a page at a time; /queue CLAIM: the page after
        that claim (a cursor: a page costs the same whatever the queue's length)."""
        after = args.strip()[:64] or None
        claims = await self.desk.review_queue(limit=QUEUE_PAGE + 1, after=after)
        if not claims:
            return self.say("staff.queue_empty")
        cap = self.waiting_cap
        total = await self.desk.waiting_count(cap)  # at most cap + 1 read: flat at any length
        shown = claims[:QUEUE_PAGE]
        if total > cap:
            title = [self.t("staff.queue_title_capped", count=cap)]
        else:
            title = [self.t("staff.queue_title", count=total)]
        more = [self.t("staff.queue_next", claim=shown[-1].id)] if len(claims) > QUEUE_PAGE else []
        text = paging.fit(title, [self.claim_line(c) for c in shown], more, sep="\n")
        return [Reply(text=text, key="staff.queue_title")]  # one message, long names cut

    async def show(self, args: str, who: StaffIdentity) -> list[Reply]:
        claim = await self.find(args.strip())
        if claim is None:
            return self.say("staff.no_claim", claim=args.strip()[:40])
        await self.desk.record_view(claim.id, who.actor)  # before anything is shown
        history = await self.desk.claim_history(claim.id)
        replies = [Reply(text=self.claim_details(claim, history), key="staff.claim")]
        for label, ref in (("staff.invoice", claim.invoice), ("staff.sn_photo", claim.sn_photo)):
            if ref:
                replies.append(Reply(text=self.t(label, claim=claim.id), image=ref, key=label))
        return replies

    async def approve(self, args: str, who: StaffIdentity) -> list[Reply]:
        if not args.strip():
            return self.say("staff.usage_approve")
        claim = await self.desk.approve(args.strip(), who.actor)
        return self.say("staff.approved", claim=claim.id, status=claim.status.value)

    async def reject(self, args: str, who: StaffIdentity) -> list[Reply]:
        parts = args.split(maxsplit=2)
        if len(parts) < 2:
            return self.say("staff.usage_reject", reasons=self.reason_list())
        try:
            reason = RejectReason(parts[1].lower())
        except ValueError:
            return self.say(
                "staff.unknown_reason", reason=parts[1][:40], reasons=self.reason_list()
            )
        claim = await self.desk.reject(
            parts[0], reason, parts[2] if len(parts) > 2 else "", who.actor
        )
        return self.say("staff.rejected", claim=claim.id, reason=reason.value)

    async def ship(self, args: str, who: StaffIdentity) -> list[Reply]:
        claim_id, _, tracking = args.strip().partition(" ")
        if not claim_id:
            return self.say("staff.usage_ship")
        claim = await self.desk.mark_shipped(claim_id, who.actor, tracking.strip())
        return self.say("staff.shipped", claim=claim.id, tracking=claim.tracking or "-")

    async def reasons(self, args: str, who: StaffIdentity) -> list[Reply]:
        return self.say("staff.reasons", reasons=self.reason_list())

    async def find(self, claim_id: str) -> Claim | None:
        if not claim_id:
            return None
        finder = getattr(self.desk, "find_claim", None)
        if finder is not None:
            try:
                found: Claim | None = await finder(claim_id)
                return found
            except BackendError:
                return None
        return next((c for c in await self.desk.review_queue() if c.id == claim_id), None)

    async def conflicts(self, args: str, who: StaffIdentity) -> list[Reply]:
        """/conflicts: the newest serial clashes (ids and serials only, no personal data)."""
        found = await self.desk.serial_conflicts(20)
        if not found:
            return self.say("staff.conflicts_empty")
        lines = [self.t("staff.conflicts_title", count=len(found))]
        lines += [
            self.t(
                "staff.conflict_line",
                at=f"{c.at:%m-%d %H:%M}",
                origin=c.origin,
                serial=c.serial,
                member=c.member_id,
                owner=c.owner_member_id,
                product=c.product_id,
                other=c.other_product_id or "-",
            )
            for c in found
        ]
        return [Reply(text="\n".join(lines), key="staff.conflicts_title")]

    # ------------------------------------------------------------------ support
    async def tickets(self, args: str, who: StaffIdentity) -> list[Reply]:
        tickets = await self.support.list_open()
        if not tickets:
            return self.say("staff.tickets_empty")
        lines = [self.t("staff.tickets_title", count=len(tickets))]
        lines += [
            self.t(
                "staff.ticket_line",
                ticket=t.id,
                at=f"{t.created_at:%Y-%m-%d %H:%M}",
                customer=t.key.user_id,
            )
            for t in tickets[:50]
        ]
        return [Reply(text="\n".join(lines), key="staff.tickets_title")]

    async def reply(self, args: str, who: StaffIdentity) -> list[Reply]:
        number, _, text = args.strip().partition(" ")
        if not number.isdigit() or not text.strip():
            return self.say("staff.usage_reply")
        ticket = await self.support.get(int(number))
        if ticket is None:
            return self.say("staff.no_ticket", ticket=number)
        if ticket.status != "open":
            return self.say("staff.ticket_closed", ticket=number)
        note = staff_note("reply", who.actor)
        await self.support.add_message(
            ticket.id, "staff", text.strip(), staff_name=who.actor.name, audit=note
        )
        return self.say("staff.reply_sent", ticket=ticket.id)

    async def wordless(self, args: str, who: StaffIdentity) -> list[Reply]:
        return self.say("staff.text_only", ticket=args)

    async def close(self, args: str, who: StaffIdentity) -> list[Reply]:
        number = args.strip()
        if not number.isdigit():
            return self.say("staff.usage_close")
        closed = await close_ticket(
            self.support, int(number), who.actor.name, audit=staff_note("close", who.actor)
        )
        return self.say("staff.closed" if closed else "staff.not_open", ticket=number)

    def forward(self, message: Any) -> Reply:
        """A customer's support message, as posted to the staff chat."""
        return Reply(
            text=self.t(
                "staff.forward",
                ticket=message.ticket_id,
                customer=message.key.user_id,
                text=message.text,
            ),
            image=message.media_ref,
            key="staff.forward",
        )

    # ------------------------------------------------------------------ texts
    def reason_list(self) -> str:
        return ", ".join(r.value for r in RejectReason)

    def claim_line(self, c: Claim) -> str:
        return self.t(
            "staff.claim_line",
            claim=c.id,
            at=f"{c.created_at:%m-%d %H:%M}",
            promotion=c.promotion,
            # as text: a Fluent number (babel) was a third of a /queue line's cost, and
            # the catalog shows an int ungrouped anyway ("try 2"; no text selects on it)
            attempts=str(c.attempts),
            product=c.product_name,
            serial=c.serial,
        )

    def claim_details(self, c: Claim, history: Sequence[Any] = ()) -> str:
        text = self.t(
            "staff.claim",
            claim=c.id,
            status=c.status.value,
            promotion=c.promotion_name,
            code=c.promotion,
            prize=c.prize_kind.value,
            product=c.product_name,
            serial=c.serial,
            attempts=c.attempts,
            submitted=c.created_at.isoformat(timespec="minutes"),
        )
        if c.reason:
            text += "\n" + self.t(
                "staff.claim_reason", reason=f"{c.reason.value} {c.reason_text}".strip()
            )
        if c.findings:  # issue 12: what the checks found, with the other claim's id
            text += "\n" + self.t("staff.findings_title")
            text += "".join(
                "\n" + self.t("staff.finding_line", code=f.code, other=f.other_claim or "-")
                for f in c.findings
            )
        if history:
            text += "\n" + self.t("staff.history_title")
            text += "".join("\n" + self.history_line(h) for h in history[-20:])
        return text

    def history_line(self, h: Any) -> str:
        return self.t(
            "staff.history_line",
            at=f"{h.at:%Y-%m-%d %H:%M}",
            action=h.action,
            name=h.actor_name,
            actor=h.actor_id,
            details=f" · {h.details}" if h.details else "",
        )


def staff_note(action: str, actor: Actor, details: str = "") -> StaffNote:
    """What the audit trail records of a ticket action by ``actor``."""
    return StaffNote(action, actor.id, actor.name, details)


async def close_ticket(
    support: Any, ticket_id: int, staff: str, *, audit: StaffNote | None = None
) -> bool:
    """Close a support request and queue a notice for the customer (delivered like answers)."""
    closed: bool = await support.close_ticket(ticket_id, audit=audit)
    if closed:
        await support.add_message(ticket_id, "system", CLOSED, staff_name=staff)
    return closed

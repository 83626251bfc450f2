"""The staff group (``STAFF_CHAT_ID``): the review desk and support answers, in Telegram.

Messages in the staff group are commands, answered in the group:

    /queue                          claims waiting for review
    /show CLAIM                     one claim, with its invoice and S/N photo
    /approve CLAIM                  approve (a digital prize's code goes to the customer)
    /reject CLAIM REASON [text]     reject with a standard reason (see /reasons)
    /tickets                        open support requests
    /reply TICKET text              answer a support request (or reply to its message)
    /close TICKET                   close a support request

Customers' support messages are forwarded to the group as they arrive. The texts here are
for staff, in English, like the staff command line (``redeem-bot review``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from backend.port import BackendError, Claim, RejectReason
from bot.channels.telegram.common import parse_command
from bot.channels.telegram.port import BotPort, IncomingMessage
from handlers.io import Reply
from states import ConversationKey

if TYPE_CHECKING:
    from bot.channels.telegram.bridge import Bridge

log = logging.getLogger(__name__)

TICKET_TAG = re.compile(r"Support #(\d+)")
HELP = (
    "Staff commands:\n"
    "/queue · claims waiting for review\n"
    "/show CLAIM · one claim with its pictures\n"
    "/approve CLAIM\n"
    "/reject CLAIM REASON [text] · reasons: /reasons\n"
    "/tickets · open support requests\n"
    "/reply TICKET text · or reply to a forwarded message\n"
    "/close TICKET"
)
Command = Callable[[str, str], Awaitable[list[Reply]]]


def _say(text: str) -> list[Reply]:
    return [Reply(text=text, key="staff")]


class StaffRoom:
    """Staff commands in one Telegram group, over ``App.desk`` and ``App.support``."""

    def __init__(self, app: Any, bridge: Bridge, chat_id: int) -> None:
        self.app = app
        self.bridge = bridge
        self.chat_id = chat_id
        self.key = ConversationKey("telegram", str(chat_id), "staff")
        self.commands: dict[str, Command] = {
            "help": self.help,
            "start": self.help,
            "queue": self.queue,
            "show": self.show,
            "approve": self.approve,
            "reject": self.reject,
            "reasons": self.reasons,
            "tickets": self.tickets,
            "reply": self.reply,
            "close": self.close,
        }

    # ------------------------------------------------------------------ incoming
    async def handle(self, port: BotPort, message: IncomingMessage) -> None:
        replies = await self.answer(message)
        if replies:
            await self.bridge.send(port, self.key, self.chat_id, replies)
            self.bridge.poke()

    async def answer(self, message: IncomingMessage) -> list[Reply]:
        text = (message.text or "").strip()
        staff = message.sender_name or f"tg:{message.user_id}"
        command = parse_command(text)
        if command is None:
            ticket = _ticket_in(message.reply_to_text)
            if ticket is not None and text:
                return await self.reply(f"{ticket} {text}", staff)
            return []
        name, args = command
        handler = self.commands.get(name)
        if handler is None:
            return []  # other bots' commands are no business of ours
        try:
            return await handler(args, staff)
        except BackendError as exc:
            return _say("⚠ " + self.app.catalog.text("en", exc.key, **exc.params))
        except Exception:
            log.exception("staff command /%s failed", name)
            return _say(f"⚠ /{name} failed; see the bot's log.")

    # ------------------------------------------------------------------ review desk
    async def help(self, args: str, staff: str) -> list[Reply]:
        return _say(HELP)

    async def queue(self, args: str, staff: str) -> list[Reply]:
        claims = await self.app.desk.review_queue()
        if not claims:
            return _say("No claims waiting for review.")
        lines = [f"{len(claims)} waiting for review:"]
        lines += [_claim_line(c) for c in claims[:30]]
        if len(claims) > 30:
            lines.append(f"… and {len(claims) - 30} more")
        return _say("\n".join(lines))

    async def show(self, args: str, staff: str) -> list[Reply]:
        claim = await self._find(args.strip())
        if claim is None:
            return _say(f"No claim {args.strip()!r}. Usage: /show CLAIM")
        replies = _say(_claim_details(claim))
        for label, ref in (("Invoice", claim.invoice), ("S/N photo", claim.sn_photo)):
            if ref:
                replies.append(Reply(text=f"{label} · {claim.id}", image=ref, key="staff"))
        return replies

    async def approve(self, args: str, staff: str) -> list[Reply]:
        claim_id = args.strip()
        if not claim_id:
            return _say("Usage: /approve CLAIM")
        claim = await self.app.desk.approve(claim_id, staff)
        return _say(f"✅ {claim.id}: {claim.status.value}. The customer is told in their chat.")

    async def reject(self, args: str, staff: str) -> list[Reply]:
        parts = args.split(maxsplit=2)
        if len(parts) < 2:
            return _say("Usage: /reject CLAIM REASON [text]\n" + _reasons())
        try:
            reason = RejectReason(parts[1].lower())
        except ValueError:
            return _say(f"Unknown reason {parts[1]!r}.\n" + _reasons())
        text = parts[2] if len(parts) > 2 else ""
        claim = await self.app.desk.reject(parts[0], reason, text, staff)
        return _say(f"❌ {claim.id}: {claim.status.value} ({reason.value}). The customer is told what to fix.")

    async def reasons(self, args: str, staff: str) -> list[Reply]:
        return _say(_reasons())

    async def _find(self, claim_id: str) -> Claim | None:
        if not claim_id:
            return None
        finder = getattr(self.app.desk, "find_claim", None)
        if finder is not None:
            try:
                return await finder(claim_id)
            except BackendError:
                return None
        return next((c for c in await self.app.desk.review_queue() if c.id == claim_id), None)

    # ------------------------------------------------------------------ support
    async def tickets(self, args: str, staff: str) -> list[Reply]:
        tickets = await self.app.support.list_open()
        if not tickets:
            return _say("No open support requests.")
        lines = [f"{len(tickets)} open:"]
        lines += [f"#{t.id} · {t.created_at:%Y-%m-%d %H:%M} · customer {t.key.user_id}" for t in tickets[:50]]
        return _say("\n".join(lines))

    async def reply(self, args: str, staff: str) -> list[Reply]:
        number, _, text = args.strip().partition(" ")
        if not number.isdigit() or not text.strip():
            return _say("Usage: /reply TICKET text")
        support = self.app.support
        ticket = await support.get(int(number))
        if ticket is None:
            return _say(f"No support request #{number}.")
        if ticket.status != "open":
            return _say(f"#{number} is closed; the customer can open a new request.")
        await support.add_message(ticket.id, "staff", text.strip(), staff_name=staff)
        return _say(f"↪ Sent to the customer of #{ticket.id}.")

    async def close(self, args: str, staff: str) -> list[Reply]:
        number = args.strip()
        if not number.isdigit():
            return _say("Usage: /close TICKET")
        closed = await self.app.support.close_ticket(int(number))
        return _say(f"Closed #{number}." if closed else f"#{number} was not open.")

    async def forward_customer_messages(self) -> None:
        """Pass customers' new support messages to the group (marked once sent)."""
        port = self.bridge.port
        support = self.app.support
        if port is None or not hasattr(support, "undelivered"):
            return
        for message in await support.undelivered("customer", limit=50):
            text = (
                f"💬 Support #{message.ticket_id} · customer {message.key.user_id}\n\n{message.text}\n\n"
                f"Reply to this message to answer, or /reply {message.ticket_id} TEXT · /close {message.ticket_id}"
            )
            reply = Reply(text=text, image=message.media_ref, key="staff")
            async with self.bridge.serial(self.key):
                delivery = await self.bridge.messenger.deliver(port, None, self.chat_id, [reply])
            if not delivery.ok:
                log.warning("could not forward support #%s to the staff group", message.ticket_id)
                return  # keep it for the next round, and keep the order
            await support.mark_delivered([message.id])


def _ticket_in(text: str | None) -> int | None:
    match = TICKET_TAG.search(text or "")
    return int(match.group(1)) if match else None


def _reasons() -> str:
    return "Reasons: " + ", ".join(r.value for r in RejectReason)


def _claim_line(c: Claim) -> str:
    return f"{c.id} · {c.created_at:%m-%d %H:%M} · {c.promotion} · try {c.attempts} · {c.product_name} / {c.serial}"


def _claim_details(c: Claim) -> str:
    rows = [
        ("claim", c.id),
        ("status", c.status.value),
        ("promotion", f"{c.promotion_name} ({c.promotion})"),
        ("prize", c.prize_kind.value),
        ("product", c.product_name),
        ("serial", c.serial),
        ("attempts", str(c.attempts)),
        ("submitted", c.created_at.isoformat(timespec="minutes")),
    ]
    if c.reason:
        rows.append(("reason", f"{c.reason.value} {c.reason_text}".strip()))
    return "\n".join(f"{label}: {value}" for label, value in rows)

"""The staff side: the review desk and support answers, as commands in a staff chat.

Channel-neutral: a connector hands over a staff member's text (and the text of the message
it replies to, if any) and renders the replies. Texts live in the catalog under ``staff.*``.

    /queue · /show CLAIM · /approve CLAIM · /reject CLAIM REASON [text] · /reasons
    /tickets · /reply TICKET text (or reply to a forwarded request) · /close TICKET
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from backend.port import BackendError, Claim, RejectReason
from handlers.i18n import Catalog
from handlers.io import Reply, valid_text

log = logging.getLogger(__name__)

TICKET_TAG = re.compile(r"#(\d+)\b")
CLOSED = "closed"  # the text of the system message that tells a customer staff closed the request
Command = Callable[[str, str], Awaitable[list[Reply]]]


def parse_command(text: str) -> tuple[str, str] | None:
    """``"/Approve@Bot 12"`` -> ``("approve", "12")``; None when it is not a command."""
    if not text.startswith("/"):
        return None
    head, _, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, args.strip()) if name.isidentifier() else None


class StaffRoom:
    """Staff commands over the review desk and the support store."""

    def __init__(self, desk: Any, support: Any, catalog: Catalog, locale: str = "en") -> None:
        self.desk = desk
        self.support = support
        self.catalog = catalog
        self.locale = locale
        self.commands: dict[str, Command] = {
            "help": self.help, "start": self.help, "queue": self.queue, "show": self.show,
            "approve": self.approve, "reject": self.reject, "reasons": self.reasons,
            "tickets": self.tickets, "reply": self.reply, "close": self.close,
        }

    def t(self, key: str, **params: Any) -> str:
        return self.catalog.text(self.locale, key, **params)

    def say(self, key: str, **params: Any) -> list[Reply]:
        return [Reply(text=self.t(key, **params), key=key)]

    async def handle(self, text: str, staff: str, reply_to_text: str | None = None) -> list[Reply]:
        """Answer one staff message; [] for chatter and other bots' commands."""
        text, staff = valid_text(text or "").strip(), valid_text(staff or "")
        reply_to_text = valid_text(reply_to_text) if reply_to_text is not None else None
        command = parse_command(text)
        if command is None:
            ticket = ticket_in(reply_to_text)
            return await self.reply(f"{ticket} {text}", staff) if ticket is not None and text else []
        name, args = command
        handler = self.commands.get(name)
        if handler is None:
            return []
        try:
            return await handler(args, staff)
        except BackendError as exc:
            return [Reply(text="⚠ " + self.t(exc.key, **exc.params), key=exc.key)]
        except Exception:
            log.exception("staff command /%s failed", name)
            return self.say("staff.failed", command=name)

    # ------------------------------------------------------------------ review desk
    async def help(self, args: str, staff: str) -> list[Reply]:
        return self.say("staff.help")

    async def queue(self, args: str, staff: str) -> list[Reply]:
        claims = await self.desk.review_queue()
        if not claims:
            return self.say("staff.queue_empty")
        lines = [self.t("staff.queue_title", count=len(claims))] + [self.claim_line(c) for c in claims[:30]]
        if len(claims) > 30:
            lines.append(self.t("staff.more", count=len(claims) - 30))
        return [Reply(text="\n".join(lines), key="staff.queue_title")]

    async def show(self, args: str, staff: str) -> list[Reply]:
        claim = await self.find(args.strip())
        if claim is None:
            return self.say("staff.no_claim", claim=args.strip()[:40])
        replies = [Reply(text=self.claim_details(claim), key="staff.claim")]
        for label, ref in (("staff.invoice", claim.invoice), ("staff.sn_photo", claim.sn_photo)):
            if ref:
                replies.append(Reply(text=self.t(label, claim=claim.id), image=ref, key=label))
        return replies

    async def approve(self, args: str, staff: str) -> list[Reply]:
        if not args.strip():
            return self.say("staff.usage_approve")
        claim = await self.desk.approve(args.strip(), staff)
        return self.say("staff.approved", claim=claim.id, status=claim.status.value)

    async def reject(self, args: str, staff: str) -> list[Reply]:
        parts = args.split(maxsplit=2)
        if len(parts) < 2:
            return self.say("staff.usage_reject", reasons=self.reason_list())
        try:
            reason = RejectReason(parts[1].lower())
        except ValueError:
            return self.say("staff.unknown_reason", reason=parts[1][:40], reasons=self.reason_list())
        claim = await self.desk.reject(parts[0], reason, parts[2] if len(parts) > 2 else "", staff)
        return self.say("staff.rejected", claim=claim.id, reason=reason.value)

    async def reasons(self, args: str, staff: str) -> list[Reply]:
        return self.say("staff.reasons", reasons=self.reason_list())

    async def find(self, claim_id: str) -> Claim | None:
        if not claim_id:
            return None
        finder = getattr(self.desk, "find_claim", None)
        if finder is not None:
            try:
                return await finder(claim_id)
            except BackendError:
                return None
        return next((c for c in await self.desk.review_queue() if c.id == claim_id), None)

    # ------------------------------------------------------------------ support
    async def tickets(self, args: str, staff: str) -> list[Reply]:
        tickets = await self.support.list_open()
        if not tickets:
            return self.say("staff.tickets_empty")
        lines = [self.t("staff.tickets_title", count=len(tickets))]
        lines += [self.t("staff.ticket_line", ticket=t.id, at=f"{t.created_at:%Y-%m-%d %H:%M}", customer=t.key.user_id)
                  for t in tickets[:50]]
        return [Reply(text="\n".join(lines), key="staff.tickets_title")]

    async def reply(self, args: str, staff: str) -> list[Reply]:
        number, _, text = args.strip().partition(" ")
        if not number.isdigit() or not text.strip():
            return self.say("staff.usage_reply")
        ticket = await self.support.get(int(number))
        if ticket is None:
            return self.say("staff.no_ticket", ticket=number)
        if ticket.status != "open":
            return self.say("staff.ticket_closed", ticket=number)
        await self.support.add_message(ticket.id, "staff", text.strip(), staff_name=staff)
        return self.say("staff.reply_sent", ticket=ticket.id)

    async def close(self, args: str, staff: str) -> list[Reply]:
        number = args.strip()
        if not number.isdigit():
            return self.say("staff.usage_close")
        closed = await close_ticket(self.support, int(number), staff)
        return self.say("staff.closed" if closed else "staff.not_open", ticket=number)

    def forward(self, message: Any) -> Reply:
        """A customer's support message, as posted to the staff chat."""
        return Reply(
            text=self.t("staff.forward", ticket=message.ticket_id, customer=message.key.user_id, text=message.text),
            image=message.media_ref,
            key="staff.forward",
        )

    # ------------------------------------------------------------------ texts
    def reason_list(self) -> str:
        return ", ".join(r.value for r in RejectReason)

    def claim_line(self, c: Claim) -> str:
        return self.t("staff.claim_line", claim=c.id, at=f"{c.created_at:%m-%d %H:%M}", promotion=c.promotion,
                      attempts=c.attempts, product=c.product_name, serial=c.serial)

    def claim_details(self, c: Claim) -> str:
        text = self.t("staff.claim", claim=c.id, status=c.status.value, promotion=c.promotion_name,
                      code=c.promotion, prize=c.prize_kind.value, product=c.product_name, serial=c.serial,
                      attempts=c.attempts, submitted=c.created_at.isoformat(timespec="minutes"))
        if c.reason:
            text += "\n" + self.t("staff.claim_reason", reason=f"{c.reason.value} {c.reason_text}".strip())
        return text


def ticket_in(text: str | None) -> int | None:
    match = TICKET_TAG.search(text or "")
    return int(match.group(1)) if match else None


async def close_ticket(support: Any, ticket_id: int, staff: str) -> bool:
    """Close a support request and queue a notice for the customer (delivered like answers)."""
    closed = await support.close_ticket(ticket_id)
    if closed:
        await support.add_message(ticket_id, "system", CLOSED, staff_name=staff)
    return closed

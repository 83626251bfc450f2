"""The review desk as cards (issue 10): every new or resubmitted claim is posted to the
review room as a card with its fields, history and warnings, and buttons to decide it.

Channel-neutral: a connector posts :meth:`ReviewCards.card` (and :meth:`media`, the invoice
and S/N photo beside it), passes a pressed button's data with who pressed it to
:meth:`ReviewCards.press`, and renders the :class:`Press` (a short answer to the button, the
card edited in place, new posts in the room). Button data is ``rv:OP.CLAIM[.N]``: language
free, at most 64 bytes (a claim id is a 36-character UUID).

Only staff decide (the staff room's :class:`StaffPolicy`, every refusal logged); a decision
is the backend's compare-and-set, so of two staff pressing at once one wins and the other is
told who decided. Nothing is kept here between presses: the card is rebuilt from the claim.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from backend.port import (
    BackendError,
    Claim,
    ClaimStatus,
    InvalidTransition,
    PrizeKind,
    RejectReason,
)
from handlers.i18n import Catalog
from handlers.io import Action, Button, Kind, Reply
from handlers.review_pool import CodePool
from handlers.staff import RolePort, RoleUnavailable, StaffIdentity, StaffPolicy

log = logging.getLogger(__name__)

APPROVE, REJECT, REASON, OTHER, SHIP, BACK = "a", "j", "r", "o", "s", "b"
REASONS = tuple(r for r in RejectReason if r is not RejectReason.OTHER)
DECISIONS = ("approve", "reject", "ship")
ASKS = (OTHER, SHIP)  # buttons that ask the presser for a text (their next message)
MAX_TEXT = 500  # an "Other" reason or a tracking note, as the backend keeps it
SHOWN = frozenset({"duplicate.serial", "duplicate.invoice", "duplicate.invoice_picture"})
INFO = frozenset({"member.other_claim"})  # these and SHOWN: from related_claims when it is there
CustomerLink = Callable[[Claim], Awaitable[str | None]]


def data(op: str, claim_id: str, n: int | None = None) -> str:
    value = f"{op}.{claim_id}" if n is None else f"{op}.{claim_id}.{n}"
    return Action(Kind.REVIEW, value).encode()


def parse(raw: str) -> tuple[str, str, int | None] | None:
    """``rv:r.CLAIM.2`` -> ("r", "CLAIM", 2); None for anything else (never raises)."""
    action = Action.decode(raw)
    if action is None or action.kind is not Kind.REVIEW:
        return None
    op, _, rest = action.value.partition(".")
    claim_id, _, n = rest.partition(".")
    if op not in (APPROVE, REJECT, REASON, OTHER, SHIP, BACK) or not claim_id:
        return None
    if n and not n.isdigit():
        return None
    return op, claim_id, int(n) if n else None


@dataclass(frozen=True, slots=True)
class Press:
    notice: str  # the short answer to the button (a toast)
    card: Reply | None = None  # the card, to edit in place
    posts: list[Reply] = field(default_factory=list)  # new messages in the review room
    ask: str = ""  # OTHER / SHIP: the presser's next message is the text (the connector keeps it)
    claim_id: str = ""


class ReviewCards:
    def __init__(
        self,
        desk: Any,  # the StaffDesk (+ related_claims, awaiting_codes where the backend has them)
        backend: Any,  # the customer port: the claim's product (CHK, store, purchase date)
        catalog: Catalog,
        locale: str = "en",
        *,
        policy: StaffPolicy,
        roles: RolePort | None = None,
        pool: CodePool | None = None,
        customer_link: CustomerLink | None = None,
    ) -> None:
        self.desk, self.backend, self.catalog, self.locale = desk, backend, catalog, locale
        self.policy, self.roles = policy, roles
        self.pool = pool or CodePool(desk, catalog, locale)
        self.customer_link = customer_link

    def t(self, key: str, **params: Any) -> str:
        return self.catalog.text(self.locale, key, **params)

    # ------------------------------------------------------------------ the card
    async def card(self, claim: Claim, *, choosing: bool = False) -> Reply:
        """The card: fields, history, warnings, and the buttons its status allows."""
        history = await self.desk.claim_history(claim.id)
        parts = [await self.fields(claim), self.history(claim, history), await self.warnings(claim)]
        outcome = self.outcome(claim, history)
        if outcome:
            parts.append(outcome)
        text = "\n\n".join(p for p in parts if p)
        buttons = self.buttons(claim, choosing)
        link = await self.customer_link(claim) if self.customer_link is not None else None
        if link and not choosing:
            buttons += ((Button(self.t("review.btn_customer"), "", url=link),),)
        return Reply(text=text, buttons=buttons, key="review.card")

    def media(self, claim: Claim) -> list[Reply]:
        """The invoice and the S/N photo, to post beside the card (one media group)."""
        return [
            Reply(text=self.t(key, claim=claim.id), image=ref, key=key)
            for key, ref in (("review.invoice", claim.invoice), ("review.sn_photo", claim.sn_photo))
            if ref
        ]

    async def fields(self, c: Claim) -> str:
        product = None
        with contextlib.suppress(BackendError):
            product = await self.backend.get_product(c.member_id, c.product_id)
        r = c.recipient
        recipient = " ".join(p for p in (r.first_name, r.last_name) if p)
        address = ", ".join(
            p for p in (r.street, r.unit, f"{r.zip} {r.city}".strip(), r.state) if p
        )
        return self.t(
            "review.fields",
            claim=c.id,
            promotion=c.promotion_name,
            code=c.promotion,
            prize=self.t(f"review.prize_{c.prize_kind.value}"),
            product=c.product_name,
            serial=c.serial,
            chk=product.chk if product else "-",
            date=product.purchase_date.isoformat() if product else "-",
            store=product.store if product else "-",
            region=product.region if product else "-",
            recipient=recipient or "-",
            address=address or "-",
            phone=r.phone or "-",
            member=c.member_id,
        )

    def history(self, c: Claim, history: Sequence[Any]) -> str:
        rejections = [h for h in history if h.action == "reject"]
        lines = [self.t("review.tries", attempts=c.attempts)]
        lines += [
            self.t("review.earlier_rejection", at=f"{h.at:%Y-%m-%d}", reason=h.details or "-")
            for h in rejections[-5:]
        ]
        return "\n".join(lines)

    async def warnings(self, c: Claim) -> str:
        finder = getattr(self.desk, "related_claims", None)
        if finder is None:  # a backend that cannot say: every finding as it was stored
            return "\n".join(self.findings(c, skip=frozenset()))
        related = await finder(c.id)
        lines = []
        for key, found in (
            ("review.same_serial", related.same_serial),
            ("review.same_invoice", related.same_invoice),
        ):
            if found:
                lines.append(
                    self.t(key, claims=", ".join(f"{o.id[:8]} ({o.status.value})" for o in found))
                )
        if related.member_claims:
            others = ", ".join(f"{o.promotion} {o.status.value}" for o in related.member_claims)
            lines.append(
                self.t("review.member_claims", count=len(related.member_claims), claims=others)
            )
        return "\n".join(lines + self.findings(c))

    def findings(self, c: Claim, skip: frozenset[str] = SHOWN | INFO) -> list[str]:
        """What the checks found that ``related_claims`` does not show: the same phone or
        address on other members' claims, the same S/N photo, the invoice and S/N checks."""
        grouped: dict[str, list[str]] = {}
        for f in c.findings:
            if f.code in skip:
                continue
            others = grouped.setdefault(f.code, [])
            if f.other_claim and f.other_claim[:8] not in others:
                others.append(f.other_claim[:8])
        lines = []
        for code, others in grouped.items():
            key = {"same.phone": "review.same_phone", "same.address": "review.same_address"}.get(
                code, "review.finding"
            )
            lines.append(self.t(key, code=code, claims=", ".join(others) or "-"))
        return lines

    def outcome(self, c: Claim, history: Sequence[Any]) -> str:
        if c.status is ClaimStatus.UNDER_REVIEW:
            return ""
        who = decider(history)
        status = self.status(c)
        if c.status is ClaimStatus.REJECTED and c.reason:
            status += f" ({c.reason.value})"
            if c.reason_text:
                status += f": {c.reason_text}"
        return self.t("review.outcome", status=status, name=who or "-")

    def status(self, c: Claim) -> str:
        if c.status is ClaimStatus.APPROVED and c.prize_kind is PrizeKind.DIGITAL:
            return self.t("review.status_awaiting_code")
        return self.t(f"review.status_{c.status.value}")

    def button(self, key: str, op: str, claim_id: str, n: int | None = None) -> Button:
        return Button(self.t(key), data(op, claim_id, n))

    def buttons(self, c: Claim, choosing: bool) -> tuple[tuple[Button, ...], ...]:
        b = self.button
        if c.status is ClaimStatus.UNDER_REVIEW and choosing:
            rows: list[tuple[Button, ...]] = [
                (b(f"review.reason_{r.value}", REASON, c.id, i),) for i, r in enumerate(REASONS)
            ]
            rows.append((b("review.btn_other", OTHER, c.id), b("review.btn_back", BACK, c.id)))
            return tuple(rows)
        if c.status is ClaimStatus.UNDER_REVIEW:
            return ((b("review.btn_approve", APPROVE, c.id), b("review.btn_reject", REJECT, c.id)),)
        if c.status is ClaimStatus.APPROVED and c.prize_kind is PrizeKind.PHYSICAL:
            return ((b("review.btn_ship", SHIP, c.id),),)
        return ()

    # ------------------------------------------------------------------ buttons
    async def press(self, raw: str, who: StaffIdentity) -> Press:
        parsed = parse(raw)
        if parsed is None:
            return Press(self.t("review.stale"))
        op, claim_id, n = parsed
        refused = await self.refusal(op, who)
        if refused is not None:
            return Press(refused)
        try:
            claim = await self.desk.find_claim(claim_id)
        except BackendError:
            return Press(self.t("review.stale"))
        try:
            return await self.act(op, claim, n, who)
        except InvalidTransition:
            return await self.decided(claim_id)
        except BackendError as exc:
            return Press("⚠ " + self.t(exc.key, **exc.params))

    async def act(self, op: str, claim: Claim, n: int | None, who: StaffIdentity) -> Press:
        if op in (APPROVE, REJECT, REASON, OTHER) and claim.status is not ClaimStatus.UNDER_REVIEW:
            return await self.decided(claim.id)
        if op == REJECT:
            return Press(self.t("review.choose_reason"), await self.card(claim, choosing=True))
        if op == BACK:
            return Press("", await self.card(claim))
        if op == OTHER:
            return Press(
                self.t("review.other_asked"),
                posts=[self.say("review.other_prompt", claim=claim.id, name=who.display)],
                ask=OTHER,
                claim_id=claim.id,
            )
        if op == SHIP and claim.status is ClaimStatus.UNDER_REVIEW:
            return Press(self.t("review.stale"))  # no Ship button before the decision
        if op == SHIP:
            if (
                claim.status is not ClaimStatus.APPROVED
                or claim.prize_kind is not PrizeKind.PHYSICAL
            ):
                return await self.decided(claim.id)
            return Press(
                self.t("review.ship_asked"),
                posts=[self.say("review.ship_prompt", claim=claim.id, name=who.display)],
                ask=SHIP,
                claim_id=claim.id,
            )
        if op == REASON:
            if n is None or n >= len(REASONS):
                return Press(self.t("review.stale"))
            done = await self.desk.reject(claim.id, REASONS[n], "", who.actor)
            return Press(self.t("review.rejected_toast"), await self.card(done))
        done = await self.desk.approve(claim.id, who.actor)
        waits = done.status is ClaimStatus.APPROVED and done.prize_kind is PrizeKind.DIGITAL
        return Press(
            self.t("review.approved_waiting_toast" if waits else "review.approved_toast"),
            await self.card(done),
            await self.pool.after_approval(done),
        )

    async def answer(self, op: str, claim_id: str, text: str, who: StaffIdentity) -> Press:
        """The text a button asked for (``op`` OTHER: the reason; SHIP: the tracking note),
        from ``who``'s next message: checked as a press is (staff, the claim still open)."""
        if op not in ASKS:
            return Press(self.t("review.stale"))
        text = " ".join(text.split())[:MAX_TEXT]
        refused = await self.refusal(op, who)
        if refused is not None:
            return Press(refused)
        try:
            claim = await self.desk.find_claim(claim_id)
            if op == OTHER:
                if claim.status is not ClaimStatus.UNDER_REVIEW:
                    return await self.decided(claim.id)
                done = await self.desk.reject(claim.id, RejectReason.OTHER, text, who.actor)
                return Press(self.t("review.rejected_toast"), await self.card(done))
            if claim.status is ClaimStatus.UNDER_REVIEW:
                return Press(self.t("review.stale"))
            if (
                claim.status is not ClaimStatus.APPROVED
                or claim.prize_kind is not PrizeKind.PHYSICAL
            ):
                return await self.decided(claim.id)
            done = await self.desk.mark_shipped(claim.id, who.actor, text)
            return Press(self.t("review.shipped_toast"), await self.card(done))
        except InvalidTransition:
            return await self.decided(claim_id)
        except BackendError as exc:
            return Press("⚠ " + self.t(exc.key, **exc.params))

    async def decided(self, claim_id: str) -> Press:
        """A second press on a decided card: who decided, and the card as it is now."""
        claim = await self.desk.find_claim(claim_id)
        who = decider(await self.desk.claim_history(claim_id)) or "-"
        status = self.status(claim)
        return Press(
            self.t("review.already_decided", name=who, status=status), await self.card(claim)
        )

    async def refusal(self, op: str, who: StaffIdentity) -> str | None:
        try:
            if await self.policy.permits(who, self.roles):
                return None
        except RoleUnavailable:
            log.warning(
                "review button %s from %s:%s refused: role unknown", op, who.channel, who.user_id
            )
            return self.t("staff.check_failed")
        log.warning(
            "review button %s refused: %s:%s (%s) is not staff",
            op,
            who.channel,
            who.user_id,
            who.kind,
        )
        return self.t("review.not_staff")

    def say(self, key: str, **params: Any) -> Reply:
        return Reply(text=self.t(key, **params), key=key)


def decider(history: Sequence[Any]) -> str:
    """The name of whoever made the claim's latest decision ("" when nobody has)."""
    decided = [h for h in history if h.action in DECISIONS]
    return str(decided[-1].actor_name) if decided else ""

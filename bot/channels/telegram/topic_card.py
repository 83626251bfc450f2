"""The customer card at the top of a customer's forum topic (issue 10): member, language,
region, contact, their claims with statuses, the step of the conversation they are on, who
took the topic; their latest claim's invoice and S/N photo posted beside it.

The card is edited in place when it changes (a staff command, a claim's status: the bridge
refreshes it after each claim notification to the customer). Its message is remembered as a
pair ("card", topic id) <-> (room, message): no column of its own; when housekeeping has
pruned it, a changed card is posted anew (with the photos again).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from backend.port import BackendError, Claim
from bot.channels.telegram.common import Rejected
from handlers.ports import MediaPort
from states import ConversationKey
from storage.workspace import Topic

if TYPE_CHECKING:
    from bot.channels.telegram.topics import ForumDesk

log = logging.getLogger(__name__)

CARD = "card"  # the customer side of the card's pair
StepOf = Callable[[ConversationKey], Awaitable[str | None]]  # the conversation's step


class CustomerCard:
    def __init__(
        self, desk: ForumDesk, *, media: MediaPort | None = None, step_of: StepOf | None = None
    ) -> None:
        self.desk, self.media, self.step_of = desk, media, step_of

    async def post(self, topic: Topic) -> None:
        """The card at the top of the topic, or the same message edited in place."""
        desk = self.desk
        text, latest = await self.text(topic)
        where = await desk.ws.copy_of(CARD, topic.id)
        if where is not None:
            try:
                await desk.forum.edit_text(desk.chat_id, int(where[1]), text)
                return
            except Rejected as exc:
                if "not modified" in str(exc):
                    return
                log.info("the customer card could not be edited; posting it anew")
        thread = int(topic.thread_id or 0)
        card_id = await desk.forum.send_text(desk.chat_id, text, thread)
        await desk.ws.paired(topic, "out", (CARD, str(topic.id)), (desk.room, str(card_id)))
        if latest is not None:
            await self.photos(latest, thread)

    async def photos(self, claim: Claim, thread: int) -> None:
        """The latest claim's invoice and S/N photo, beside the card."""
        desk = self.desk
        for ref, key in (
            (claim.invoice, "topics.card.invoice"),
            (claim.sn_photo, "topics.card.sn"),
        ):
            if not ref or self.media is None:
                continue
            try:
                data = await self.media.get(ref)
            except Exception:  # a missing picture must not cost staff the card
                log.info("a claim picture for the customer card is missing")
                continue
            caption = desk.t(key, claim=claim.id)
            try:
                await desk.forum.send_photo(desk.chat_id, data, caption, thread)
            except Rejected as exc:  # e.g. not a picture Telegram takes as a photo
                log.info("a claim picture was refused for the card: %s", exc.description)

    async def text(self, topic: Topic) -> tuple[str, Claim | None]:
        """The card's text, and the latest claim (for its pictures)."""
        desk, t = self.desk, self.desk.t
        lines = [t("topics.card.head", name=topic.name, language=topic.locale)]
        member = claims = None
        if desk.backend is not None and topic.member_id is not None:
            try:
                member = await desk.backend.get_member(topic.member_id)
                claims = await desk.backend.list_claims(topic.member_id)
            except BackendError:
                log.warning("customer card without the member's details: the backend failed")
        if member is not None:
            lines.append(
                t(
                    "topics.card.member",
                    member=member.id,
                    name=f"{member.first_name} {member.last_name}".strip(),
                    region=member.region or "-",
                    email=member.email,
                    phone=member.phone or "-",
                )
            )
        else:
            lines.append(t("topics.card.guest"))
        ordered = sorted(claims or [], key=lambda c: c.updated_at, reverse=True)
        for claim in ordered:
            lines.append(
                t(
                    "topics.card.claim",
                    promotion=claim.promotion_name,
                    product=claim.product_name,
                    serial=claim.serial,
                    status=desk.catalog.text(desk.ws.staff_locale, f"status.{claim.status}"),
                )
            )
        if claims == []:
            lines.append(t("topics.card.no_claims"))
        step = await self.step_of(topic.key) if self.step_of is not None else None
        if step:
            lines.append(t("topics.card.step", step=step))
        lines.append(
            t(
                "topics.card.state",
                status=t(f"topics.card.{'banned' if topic.banned else topic.status}"),
                assignee=topic.assignee_name or t("topics.card.nobody"),
            )
        )
        return "\n".join(lines), (ordered[0] if ordered else None)


__all__ = ["CARD", "CustomerCard", "StepOf"]

"""Status changes and staff answers, rendered for the customer's conversation."""

from __future__ import annotations

import re
from typing import Any

from backend.port import ClaimEvent, ClaimStatus, Promotion, RejectReason
from handlers.i18n import Catalog
from handlers.io import Action, Button, Kind, Reply
from handlers.targets import Target


def _button(
    catalog: Catalog, locale: str, key: str, kind: Kind, value: str, **params: Any
) -> Button:
    return Button(catalog.text(locale, key, **params), Action(kind, value).encode())


def render_event(
    catalog: Catalog, locale: str, event: ClaimEvent, promotion: Promotion | None
) -> Reply | None:
    """The message a claim event sends to the customer; None for events they already saw."""
    name = promotion.name if promotion else ""
    t = catalog.text
    if event.status == ClaimStatus.REJECTED:
        reason = reason_text(catalog, locale, event.reason, event.reason_text)
        text = t(locale, "notify.rejected", promotion=name, reason=reason)
        buttons = (
            (_button(catalog, locale, "btn.redeem_again", Kind.REDEEM_AGAIN, event.claim_id),),
        )
        return Reply(text=text, buttons=buttons, key="notify.rejected")
    if event.status == ClaimStatus.SUCCESS:
        help_text = activation_text(catalog, locale, promotion.activation_help if promotion else "")
        text = t(
            locale, "notify.success", promotion=name, code=event.prize_code, activation=help_text
        )
        return Reply(
            text=text,
            buttons=((_button(catalog, locale, "btn.status", Kind.MENU, Target.STATUS),),),
            key="notify.success",
        )
    if event.status == ClaimStatus.APPROVED:
        return Reply(
            text=t(locale, "notify.approved_physical", promotion=name),
            key="notify.approved_physical",
        )
    if event.status == ClaimStatus.SHIPPED:
        return Reply(
            text=t(locale, "notify.shipped", promotion=name, tracking=event.tracking or "-"),
            key="notify.shipped",
        )
    return None  # under review: the customer was told when they submitted


def activation_text(catalog: Catalog, locale: str, vendor_help: str) -> str:
    """How to activate a code: the vendor's own words in English; in other languages our
    translated instructions, then the vendor's link (its English text is not shown there)."""
    if vendor_help and locale == "en":
        return vendor_help
    text = catalog.text(locale, "notify.activation_default")
    urls = re.findall(r"https?://[^\s)]+", vendor_help)
    return f"{text} {catalog.text(locale, 'notify.activation_see', url=urls[-1])}" if urls else text


def reason_text(catalog: Catalog, locale: str, reason: RejectReason | None, note: str) -> str:
    """The standard reason, then the reviewer's own words when there are any."""
    standard = (
        catalog.text(locale, f"reason.{reason.value}") if reason and reason.value != "other" else ""
    )
    return "\n".join(part for part in (standard, note) if part) or catalog.text(
        locale, "reason.other"
    )


def render_staff_answer(catalog: Catalog, locale: str, text: str) -> Reply:
    return Reply(
        text=catalog.text(locale, "support.answer", text=text),
        key="support.answer",
        buttons=(
            (
                _button(catalog, locale, "btn.reply_support", Kind.MENU, Target.SUPPORT),
                _button(catalog, locale, "btn.close_request", Kind.MENU, Target.CLOSE_SUPPORT),
            ),
            (_button(catalog, locale, "btn.menu", Kind.MENU, Target.MENU),),
        ),
    )


def render_support_closed(catalog: Catalog, locale: str) -> Reply:
    return Reply(
        text=catalog.text(locale, "support.closed_by_staff"),
        key="support.closed_by_staff",
        buttons=((_button(catalog, locale, "btn.menu", Kind.MENU, Target.MENU),),),
    )

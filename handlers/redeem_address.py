"""Fewer taps to redeem (issue 11 item 4): a single eligible promotion and product are
picked for the customer (said, with Back to change); the recipient is offered in one
choice: the address used last time ("Use this address"), or, on a first claim, the
member's own name and phone; fields the customer has no use for are not asked."""

from __future__ import annotations

from typing import Any

from backend.port import Member, ProductPage
from handlers import validators as v
from handlers.context import Ctx, Step
from handlers.forms import SKIP_ONCE
from handlers.io import Action, Kind
from states import FORMS, State

REDEEM = FORMS["redeem"]
ADDRESS_FIELDS = ("first_name", "last_name", "zip", "city", "state", "street", "unit", "phone")
#: scratch: the recipient of the member's latest claim (offered as "Use this address")
LAST_ADDRESS = "redeem_last_address"
#: scratch: the member's own name and phone (offered as "Send it to me")
OWN = "redeem_own"
#: regions whose postal addresses use a state / province line (elsewhere it is not asked)
STATE_REGIONS = frozenset({"US", "CA", "AU", "BR", "MX", "IN", "CN", "JP", "MY", "AR", "IT", "ES"})
#: scratch: a phone typed at redemption the profile does not have (offered to keep)
OFFER_PHONE = "offer_phone"
#: scratch: the product step was reached going forward (it may pick the only product)
AUTOPICK = "redeem_autopick"
SAVE_PHONE = "save_phone"


async def prepare(ctx: Ctx, member: Member) -> None:
    """At the start of a redemption: what can be offered instead of asked."""
    newest = await ctx.ports.backend.claim_page(ctx.require_member(), 0, 1)
    latest = newest.claims[0] if newest.claims else None
    scratch = ctx.session.scratch
    scratch.pop(LAST_ADDRESS, None)
    if latest is not None and latest.recipient.street:
        last = {name: getattr(latest.recipient, name) for name in ADDRESS_FIELDS}
        last["phone"] = member.phone or last["phone"]
        scratch[LAST_ADDRESS] = last
    scratch[OWN] = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "phone": member.phone,
    }
    skip = ["note"]  # optional, and on the summary to add
    if (member.region or "").upper() not in STATE_REGIONS:
        skip.append("state")
    scratch[SKIP_ONCE] = {"redeem": skip}


async def to_product(ctx: Ctx) -> None:
    """On to the product: with one eligible product it is picked (and said) by the product
    step, from the one read it makes anyway (``autopick``)."""
    ctx.session.scratch[AUTOPICK] = True
    ctx.goto(State.REDEEM_PRODUCT)


def autopick(ctx: Ctx, found: ProductPage) -> bool:
    """Arrived from ``to_product`` (not Back, not Edit) with one redeemable product: it is
    picked and said, and the form goes on to the S/N photo."""
    if not ctx.session.scratch.pop(AUTOPICK, False):
        return False
    if found.total != 1 or len(found.eligibility) != 1:
        return False
    values = ctx.session.form("redeem")
    control = ctx.session.control("redeem")
    product = found.eligibility[0].product
    values["product"] = product.id
    control.promotion_name = found.eligibility[0].promotion.name
    control.product_label = f"{product.product_name} · {product.serial}"
    ctx.session.scratch["redeem_products"] = [(product.id, control.product_label)]
    ctx.say("redeem.picked", promotion=control.promotion_name, product=control.product_label)
    ctx.goto(State.REDEEM_SN_PHOTO)
    return True


def address_lines(ctx: Ctx, values: dict[str, Any]) -> str:
    name = " ".join(p for p in (values.get("first_name"), values.get("last_name")) if p)
    place = " ".join(p for p in (values.get("zip"), values.get("city")) if p)
    parts = [
        name,
        values.get("street"),
        values.get("unit"),
        place,
        values.get("state"),
        values.get("phone"),
    ]
    return "\n".join(str(p) for p in parts if p)


class AddressStep(Step):
    """One choice for the recipient: the last address used, or the member themselves."""

    state = State.REDEEM_ADDRESS

    async def prompt(self, ctx: Ctx) -> None:
        last = ctx.session.scratch.get(LAST_ADDRESS)
        own = ctx.session.scratch.get(OWN) or {}
        if last:
            key, yes, text = "redeem.address.last", "btn.use_address", address_lines(ctx, last)
        elif own.get("first_name"):
            key, yes, text = "redeem.address.own", "btn.send_to_me", address_lines(ctx, own)
        else:
            ctx.goto(State.REDEEM_FIRST_NAME)
            return
        rows = [
            [ctx.button(yes, Kind.YES)],
            [ctx.button("btn.other_address", Kind.NO)],
            ctx.nav_row(),
        ]
        ctx.say(key, address=text, buttons=rows)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        values = ctx.session.form("redeem")
        last = ctx.session.scratch.get(LAST_ADDRESS)
        own = ctx.session.scratch.get(OWN) or {}
        if action.kind == Kind.YES and (last or own):
            values.update(last or {k: v for k, v in own.items() if v})
            if last:
                ctx.goto(REDEEM.summary)
                return
            if values.get("phone"):
                (ctx.session.scratch.setdefault(SKIP_ONCE, {}).setdefault("redeem", [])).append(
                    "phone"
                )
            ctx.goto(State.REDEEM_ZIP)
        elif action.kind == Kind.NO:
            ctx.session.scratch.pop(LAST_ADDRESS, None)
            ctx.goto(State.REDEEM_FIRST_NAME)
        elif action.kind == Kind.BACK:
            ctx.goto(State.REDEEM_SN_PHOTO)
        else:
            await super().on_action(ctx, action)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        try:
            yes = v.yesno(text)
        except v.Invalid:
            ctx.say("common.use_buttons")
            ctx.reprompt()
            return
        await self.on_action(ctx, Action(Kind.YES if yes else Kind.NO))


async def offer_phone(ctx: Ctx, phone: str) -> None:
    """After a claim: a phone typed for it that the profile lacks may be kept there."""
    if not phone:
        return
    member = await ctx.ports.backend.get_member(ctx.require_member())
    if member.phone == phone:
        return
    ctx.session.scratch[OFFER_PHONE] = phone
    ctx.say(
        "redeem.keep_phone",
        phone=phone,
        buttons=[[ctx.button("btn.keep_phone", Kind.OPTION, SAVE_PHONE)]],
    )


async def save_phone(ctx: Ctx) -> bool:
    phone = ctx.session.scratch.pop(OFFER_PHONE, None)
    if not phone:
        return False
    await ctx.ports.backend.update_member(ctx.require_member(), phone=phone)
    ctx.say("redeem.phone_kept", phone=phone)
    ctx.reprompt()
    return True

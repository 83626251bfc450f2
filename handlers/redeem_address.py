"""Fewer taps to redeem (issue 11 item 4): a single eligible promotion and product are
picked for the customer (said, with Back to change); the recipient is offered in one
choice: the address used last time ("Use this address"), or, on a first claim, the
member's own name and phone; fields the customer has no use for are not asked."""

from __future__ import annotations

from typing import Any

from backend.port import BackendError, Claim, Member, Product
from handlers import validators as v
from handlers.common import category_label
from handlers.context import Ctx, Step
from handlers.forms import SKIP_ONCE
from handlers.io import Action, Kind
from handlers.locale_data import format_day
from handlers.promotions import redeemable
from handlers.regions import region_name
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
SAVE_PHONE = "save_phone"


async def prepare(ctx: Ctx, member: Member) -> None:
    """At the start of a redemption: what can be offered instead of asked."""
    claims = await ctx.ports.backend.list_claims(ctx.require_member())
    latest = max(claims, key=lambda c: c.created_at, default=None)
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
    """On to the product: with one eligible product it is picked (and said)."""
    values = ctx.session.form("redeem")
    control = ctx.session.control("redeem")
    eligible = [e for e in await redeemable(ctx) if e.promotion.code == values.get("promotion")]
    if len(eligible) != 1:
        ctx.goto(State.REDEEM_PRODUCT)
        return
    product = eligible[0].product
    values["product"] = product.id
    control.promotion_name = eligible[0].promotion.name
    control.product_label = product_summary(ctx, product)
    ctx.session.scratch["redeem_products"] = [(product.id, control.product_label)]
    short = f"{product.product_name} · {product.serial}"
    ctx.say("redeem.picked", promotion=control.promotion_name, product=short)
    ctx.goto(State.REDEEM_SN_PHOTO)


def product_summary(ctx: Ctx, product: Product) -> str:
    """The product as the guide's confirm page shows it: name, serial, category, purchase
    date and region (the summary's Product line, picked or chosen)."""
    locale = ctx.session.locale
    return ctx.t(
        "redeem.product_summary",
        product=product.product_name,
        serial=product.serial,
        category=category_label(ctx, product.category),
        date=format_day(product.purchase_date, locale),
        region=region_name(product.region, locale) if product.region else "—",
    )


async def claim_product_label(ctx: Ctx, claim: Claim) -> str:
    """The summary's Product line when a rejected claim is redeemed again."""
    try:
        product = await ctx.ports.backend.get_product(claim.member_id, claim.product_id)
    except BackendError:
        return f"{claim.product_name} · {claim.serial}"
    return product_summary(ctx, product)


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

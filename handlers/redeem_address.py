"""Fewer taps to redeem (issue 11 item 4): a single eligible promotion and product are
picked for the customer (said, with Back to change); the recipient: the address used last
time is taken (said; the summary's "Another recipient or address" changes it), or, on a
first claim, the member's own name and phone (said, the address asked, "Another recipient or
address" offered); fields the customer has no use for are not asked."""

from __future__ import annotations

from typing import Any

from backend.port import BackendError, Claim, Member, Product, ProductPage
from handlers import validators as v
from handlers.common import category_label
from handlers.context import Ctx, Step
from handlers.forms import SKIP_ONCE
from handlers.io import Action, Kind
from handlers.locale_data import format_day
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
    # optional, and on the summary to add (the street's prompt says a flat or floor may
    # go with it)
    skip = ["note", "unit"]
    if (member.region or "").upper() not in STATE_REGIONS:
        skip.append("state")
    scratch[SKIP_ONCE] = {"redeem": skip}


async def to_product(ctx: Ctx, picked: str | None = None) -> None:
    """On to the product: the product step picks (and says, Back changes it) the one
    eligible product, or ``picked`` (the product just registered) when it is eligible, from
    the read it makes anyway (``autopick``)."""
    ctx.session.scratch[AUTOPICK] = picked or True
    ctx.goto(State.REDEEM_PRODUCT)


def wanted(ctx: Ctx) -> str | bool:
    """Arrived from ``to_product`` (not Back, not Edit): the product just registered (its
    id), else True; False otherwise. Asked once per arrival."""
    value = ctx.session.scratch.pop(AUTOPICK, False)
    return value if isinstance(value, str) else bool(value)


def autopick(ctx: Ctx, found: ProductPage, key: str = "redeem.picked") -> bool:
    """With one redeemable product in ``found`` (the product step's read): it is picked and
    said (``key``), and the form goes on to the S/N photo."""
    if found.total != 1 or len(found.eligibility) != 1:
        return False
    values = ctx.session.form("redeem")
    control = ctx.session.control("redeem")
    product = found.eligibility[0].product
    values["product"] = product.id
    control.promotion_name = found.eligibility[0].promotion.name
    control.product_label = product_summary(ctx, product)
    ctx.session.scratch["redeem_products"] = [
        (product.id, f"{product.product_name} · {product.serial}")
    ]
    ctx.say(key, promotion=control.promotion_name, product=control.product_label)
    ctx.goto(State.REDEEM_SN_PHOTO)
    return True


def product_summary(ctx: Ctx, product: Product) -> str:
    """The product as the guide's confirm page shows it: name, serial, category, purchase
    date and region."""
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
    """The recipient, taken instead of asked: the last address used (the summary follows), or
    the member themselves (the address asked). Its buttons, on a message from before this
    was so, still work: "Send it to me" or another recipient."""

    state = State.REDEEM_ADDRESS

    async def prompt(self, ctx: Ctx) -> None:
        last = ctx.session.scratch.get(LAST_ADDRESS)
        own = ctx.session.scratch.get(OWN) or {}
        if last:  # taken, said, and the summary follows ("Another recipient or address" there)
            ctx.session.form("redeem").update(last)
            ctx.say("redeem.address.last", address=address_lines(ctx, last))
            ctx.goto(REDEEM.summary)
            return
        if not own.get("first_name"):
            ctx.goto(State.REDEEM_FIRST_NAME)
            return
        # a first claim: the prize goes to the member (said; "Another recipient or address"
        # under the zip question and the summary), what the account lacks is asked
        values = ctx.session.form("redeem")
        values.update({k: v for k, v in own.items() if v})
        if values.get("phone"):
            ctx.session.scratch.setdefault(SKIP_ONCE, {}).setdefault("redeem", []).append("phone")
        ctx.say("redeem.address.own", address=address_lines(ctx, own))
        ctx.goto(State.REDEEM_ZIP if values.get("last_name") else State.REDEEM_LAST_NAME)

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
            other_address(ctx)
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


#: the summary's button for another recipient or address than the one taken
OTHER_ADDRESS = "other_address"


def other_address(ctx: Ctx) -> None:
    """Another recipient or address: the recipient's fields asked one by one, the values
    there now offered to keep."""
    ctx.session.scratch.pop(LAST_ADDRESS, None)
    pending = (ctx.session.scratch.get(SKIP_ONCE) or {}).get("redeem") or []
    if "phone" in pending:  # another recipient: their number is asked
        pending.remove("phone")
    ctx.session.control("redeem").editing = False
    ctx.goto(State.REDEEM_FIRST_NAME)


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

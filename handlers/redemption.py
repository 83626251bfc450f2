"""Redeem a promotion: pick it, pick an eligible product, S/N photo, recipient details,
summary with Edit, confirm. Also "Redeem again" after a rejection: only what the reason
asks for is re-done, everything else is kept."""

from __future__ import annotations

import secrets
from typing import Any

from backend.port import Claim, ClaimFix, ClaimRequest, ClaimStatus, Recipient
from handlers import redeem_address
from handlers import validators as v
from handlers.common import COMMON_STEPS, PhoneStep, TextStep
from handlers.context import Ctx, Step
from handlers.forms import (
    SKIP_ONCE,
    FieldStep,
    ImageFieldStep,
    SummaryStep,
    field_steps,
    resume_form,
)
from handlers.invoice_check import Claimed
from handlers.invoice_step import InvoiceStep, claim_expected, invoice_facts
from handlers.io import Action, Button, Kind
from handlers.notify import reason_text
from handlers.promotions import by_product, product_page, redeemable_promotions, why_not_text
from handlers.redeem_pick import ProductStep, PromotionStep
from handlers.sn_photo_step import FROM_STICKER, SnPhotoStep, sn_findings
from states import FORMS, FieldKind, FormControl, State

REDEEM = FORMS["redeem"]
AGAIN = FORMS["again"]
RECIPIENT_FIELDS = (
    "first_name",
    "last_name",
    "zip",
    "city",
    "state",
    "street",
    "unit",
    "phone",
    "note",
)


# --------------------------------------------------------------------------- start
def in_progress(ctx: Ctx) -> bool:
    """A redemption (not a redo of a rejected claim) is open in the session."""
    control = ctx.session.controls.get("redeem")
    return control is not None and bool(control.nonce) and not control.claim_id


async def start_redeem(
    ctx: Ctx,
    promotion: str | None = None,
    *,
    product: str | None = None,
    sn_photo: str | None = None,
) -> None:
    """Open the redeem form (prefilled from the account), at the promotion or product step
    (``product``: the one just registered, picked; ``sn_photo``: its sticker photo from the
    registration, whose barcode gave its serial: the S/N photo unless the customer sends
    another); a redemption already in progress for the same promotion is continued, not
    wiped."""
    current = ctx.session.forms.get("redeem") or {}
    if in_progress(ctx) and promotion in (None, current.get("promotion")):
        resume_form(ctx, ctx.session.left_at("redeem") or REDEEM.summary)
        return
    eligible = await redeemable_promotions(ctx)
    if not eligible:
        ctx.say("redeem.nothing")
        found, _ = await product_page(ctx, 0, size=5)
        promotions = await ctx.ports.backend.list_promotions() if found.products else []
        rows = by_product(found.eligibility)
        for item in found.products:
            ctx.say(
                "product.not_eligible",
                product=item.product_name,
                reasons=why_not_text(ctx, item, rows.get(item.id, []), promotions),
            )
        ctx.goto(State.MENU)
        return
    member = await ctx.ports.backend.get_member(ctx.require_member())
    ctx.session.drop_form("redeem")
    values = ctx.session.form("redeem")
    values.update(first_name=member.first_name, last_name=member.last_name, phone=member.phone)
    control = ctx.session.control("redeem")
    control.nonce = secrets.token_hex(8)
    control.member_region = member.region
    await redeem_address.prepare(ctx, member)
    if product and sn_photo:
        values[FROM_STICKER] = {"photo": sn_photo, "product": product}
    names = {p.code: p.name for p in eligible}
    if not promotion and len(names) == 1:  # the one promotion there is: picked (and said)
        promotion = next(iter(names))
    if promotion and promotion in names:
        values["promotion"] = promotion
        control.promotion_name = names[promotion]
        await redeem_address.to_product(ctx, product)
    else:
        if promotion:
            ctx.say("redeem.promotion_not_redeemable")
        ctx.goto(State.REDEEM_PROMOTION)


class ZipStep(TextStep):
    def choices(self, ctx: Ctx) -> list[list[Button]]:
        rows = super().choices(ctx)
        if self.editing(ctx) or self.control(ctx).claim_id:
            return rows
        other = ctx.button("btn.other_address", Kind.OPTION, redeem_address.OTHER_ADDRESS)
        return [*rows, [other]]

    async def on_option(self, ctx: Ctx, value: str) -> None:
        if value == redeem_address.OTHER_ADDRESS and not self.control(ctx).claim_id:
            redeem_address.other_address(ctx)
            return
        await super().on_option(ctx, value)

    async def parse(self, ctx: Ctx, text: str) -> Any:
        return v.zip_code(text, self.control(ctx).member_region or None)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        """The code alone, or the code and the city on one line (the city then not asked;
        both on the summary to change)."""
        region = self.control(ctx).member_region or None
        try:
            v.zip_code(text, region)
        except v.Invalid:
            both = v.zip_and_city(text, region)
            city = ctx.steps.get(State.REDEEM_CITY)
            if both is not None and isinstance(city, CityStep):
                try:
                    self.values(ctx)["city"] = await city.parse(ctx, both[1])
                except v.Invalid:
                    pass
                else:
                    if not self.editing(ctx):
                        skip = ctx.session.scratch.setdefault(SKIP_ONCE, {})
                        skip.setdefault(self.form.name, []).append("city")
                    await self.accept(ctx, both[0])
                    return
        await super().on_text(ctx, text)


class CityStep(TextStep):
    """The recipient's city: not a postal code of the account's country (issue 11 item 9)."""

    async def parse(self, ctx: Ctx, text: str) -> Any:
        value = v.text(text, max_len=self.max_len)
        if v.looks_like_postal_code(value, self.control(ctx).member_region or None):
            raise v.Invalid("invalid.city_is_zip")
        return value


class RecipientPhoneStep(PhoneStep):
    """The recipient's phone, read as a number of the member's region."""

    def region(self, ctx: Ctx) -> str | None:
        return self.control(ctx).member_region or None


class NoteStep(TextStep):
    max_len = 300


#: the step of each kind of field in the redeem form (the note is longer text)
STEPS: dict[FieldKind, type[FieldStep]] = {
    **COMMON_STEPS,
    FieldKind.PROMOTION: PromotionStep,
    FieldKind.PRODUCT: ProductStep,
    FieldKind.IMAGE: SnPhotoStep,
    FieldKind.ZIP: ZipStep,
    FieldKind.PHONE: RecipientPhoneStep,
}
BY_NAME: dict[str, type[FieldStep]] = {"note": NoteStep, "city": CityStep}


def recipient_of(values: dict[str, Any]) -> Recipient:
    return Recipient(**{name: values.get(name) or "" for name in RECIPIENT_FIELDS})


def idempotency_key(ctx: Ctx, control: FormControl) -> str:
    return f"{ctx.require_member()}:{control.nonce}"


class RedeemSummary(SummaryStep):
    def edit_rows(self, ctx: Ctx) -> list[list[Button]]:
        if not self.control(ctx).claim_id:
            other = ctx.button("btn.other_address", Kind.OPTION, redeem_address.OTHER_ADDRESS)
            return [*super().edit_rows(ctx), [other]]
        # redeeming again: the claim's promotion and product are what was reviewed; not editable
        fixed = {"promotion", "product"}
        rows = ctx.options(
            (
                (f.name, ctx.t("btn.edit_field", label=ctx.t(f"field.redeem.{f.name}")))
                for f in self.form.fields
                if f.editable and f.name not in fixed
            ),
            per_row=2,
            kind=Kind.EDIT,
        )
        return [*rows, *self.edit_rows_again(ctx)]

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        claim_id = self.control(ctx).claim_id
        if action.kind == Kind.EDIT and action.value in ("promotion", "product") and claim_id:
            ctx.reprompt()
            return
        if action.kind == Kind.OPTION and action.value == redeem_address.OTHER_ADDRESS:
            redeem_address.other_address(ctx)
            return
        if (
            action.kind == Kind.OPTION and action.value == "invoice" and claim_id
        ):  # "other": a new invoice too
            promotion_name = self.control(ctx).promotion_name or ""
            ctx.session.drop_form("redeem")
            ctx.session.drop_form("again")
            again_control(ctx, claim_id, "invoice", secrets.token_hex(8), promotion_name)
            ctx.goto(State.AGAIN_INVOICE)
            return
        await super().on_action(ctx, action)

    def edit_rows_again(self, ctx: Ctx) -> list[list[Button]]:
        return [[ctx.button("btn.new_invoice", Kind.OPTION, "invoice")]]

    async def prompt(self, ctx: Ctx) -> None:
        if self.control(ctx).claim_id:
            ctx.say("again.fields_hint")
        await super().prompt(ctx)

    async def submit(self, ctx: Ctx) -> None:
        values = self.values(ctx)
        control = self.control(ctx)
        if control.claim_id:
            if await nothing_changed(ctx, control.claim_id, values):
                ctx.reprompt()
                return
            fix = ClaimFix(
                recipient=recipient_of(values),
                sn_photo=values.get("sn_photo"),
                sn_findings=sn_findings(values),
            )
            claim = await ctx.ports.backend.resubmit_claim(
                ctx.require_member(), control.claim_id, fix, idempotency_key(ctx, control)
            )
        else:
            request = ClaimRequest(
                promotion=values["promotion"],
                product_id=values["product"],
                sn_photo=values["sn_photo"],
                recipient=recipient_of(values),
                sn_findings=sn_findings(values),
            )
            claim = await ctx.ports.backend.submit_claim(
                ctx.require_member(), request, idempotency_key(ctx, control)
            )
            submitted(ctx, "redeem", claim)
            await redeem_address.offer_phone(ctx, request.recipient.phone)
            return
        submitted(ctx, "redeem", claim)


async def nothing_changed(ctx: Ctx, claim_id: str, values: dict[str, Any]) -> bool:
    """Redeeming again with the recipient and S/N photo exactly as reviewed: say plainly that
    nothing changed and what the reason asks to change (the summary's Edit buttons)."""
    claim = await ctx.ports.backend.get_claim(ctx.require_member(), claim_id)
    if recipient_of(values) != claim.recipient or values.get("sn_photo") != claim.sn_photo:
        return False
    ctx.say(
        "again.nothing_changed",
        reason=reason_text(ctx.catalog, ctx.session.locale, claim.reason, claim.reason_text),
    )
    return True


def submitted(ctx: Ctx, form: str, claim: Claim) -> None:
    ctx.session.drop_form(form)
    if ctx.session.resume and ctx.session.resume.split(".")[0] in ("redeem", "again"):
        ctx.session.resume = None
    ctx.say("redeem.submitted", promotion=claim.promotion_name)  # the menu follows
    ctx.goto(State.MENU)


# --------------------------------------------------------------------------- again
async def start_again(ctx: Ctx, claim_id: str) -> None:
    claim = await ctx.ports.backend.get_claim(ctx.require_member(), claim_id)
    if claim.status != ClaimStatus.REJECTED:
        ctx.say("again.not_rejected", status=ctx.t(f"status.{claim.status.value}"))
        ctx.goto(State.STATUS)
        return
    fix = claim.reason.fix if claim.reason else "fields"
    nonce = secrets.token_hex(8)
    ctx.say(
        "again.intro",
        reason=reason_text(ctx.catalog, ctx.session.locale, claim.reason, claim.reason_text),
    )
    if fix in AGAIN_STATES:
        ctx.session.drop_form("again")
        again_control(ctx, claim.id, fix, nonce, claim.promotion_name)
        ctx.goto(AGAIN_STATES[fix])
        return
    ctx.session.drop_form("redeem")
    values = ctx.session.form("redeem")
    r = claim.recipient
    values.update({name: getattr(r, name) for name in RECIPIENT_FIELDS})
    member = await ctx.ports.backend.get_member(ctx.require_member())
    values.update(promotion=claim.promotion, product=claim.product_id, sn_photo=claim.sn_photo)
    control = ctx.session.control("redeem")
    control.claim_id = claim.id
    control.nonce = nonce
    control.member_region = member.region
    control.promotion_name = claim.promotion_name
    control.product_label = await redeem_address.claim_product_label(ctx, claim)
    ctx.session.scratch["redeem_products"] = [(claim.product_id, control.product_label)]
    ctx.session.scratch["redeem_promos"] = [(claim.promotion, claim.promotion_name)]
    ctx.goto(State.REDEEM_SUMMARY)


def again_control(ctx: Ctx, claim_id: str, fix: str, nonce: str, promotion_name: str) -> None:
    """Open the "again" form: redo what the rejection of ``claim_id`` asks for (``fix``)."""
    control = ctx.session.control("again")
    control.claim_id, control.fix, control.nonce = claim_id, fix, nonce
    control.promotion_name = promotion_name


AGAIN_STATES = {
    "invoice": State.AGAIN_INVOICE,
    "sn_photo": State.AGAIN_SN_PHOTO,
    "serial": State.AGAIN_SERIAL,
}


class AgainSerialStep(TextStep):
    """sn_mismatch: the serial number typed again (read with the same 0/O, 1/l rules)."""

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        return []

    def nav(self, ctx: Ctx) -> list[Button]:
        return ctx.nav_row(back=False)

    async def parse(self, ctx: Ctx, text: str) -> Any:
        return v.serial(text, list(ctx.ports.rules.serial_patterns)).value

    async def accept(self, ctx: Ctx, value: Any) -> None:
        if await same_as_reviewed(ctx, "serial", value):
            ctx.say("again.same_serial", serial=value)
            ctx.reprompt()
            return
        await super().accept(ctx, value)

    def advance(self, ctx: Ctx) -> None:
        ctx.goto(AGAIN.summary)

    def prompt_params(self, ctx: Ctx) -> dict[str, Any]:
        return {"promotion": self.control(ctx).promotion_name or ""}


async def same_as_reviewed(ctx: Ctx, fix: str, value: Any) -> bool:
    """``value`` (a serial, or a picture's content-addressed ref) is what the rejected claim
    already had: the reason asks for something different."""
    claim_id = ctx.session.control(AGAIN.name).claim_id
    if not claim_id:
        return False
    claim = await ctx.ports.backend.get_claim(ctx.require_member(), claim_id)
    return bool(value) and value == getattr(claim, fix, None)


class AgainImageStep(ImageFieldStep):
    def nav(self, ctx: Ctx) -> list[Button]:
        return ctx.nav_row(back=False)

    async def accept(self, ctx: Ctx, value: Any) -> None:
        if await same_as_reviewed(ctx, self.field.name, value):
            ctx.say(f"again.same_{self.field.name}")
            ctx.reprompt()
            return
        await super().accept(ctx, value)

    def advance(self, ctx: Ctx) -> None:
        ctx.goto(AGAIN.summary)

    def prompt_params(self, ctx: Ctx) -> dict[str, Any]:
        return {"promotion": self.control(ctx).promotion_name or ""}


class AgainInvoiceStep(AgainImageStep, InvoiceStep):
    """A new invoice after a rejection, pre-checked as at the registration (issue 12): against
    the registered product, purchase date and store, and the claim's promotion's purchase
    period; the findings are said at once, and kept for the claim (``AgainSummary``)."""

    async def expected(self, ctx: Ctx) -> Claimed:
        return await claim_expected(ctx, self.control(ctx).claim_id)


class AgainSummary(Step):
    state = State.AGAIN_SUMMARY

    async def prompt(self, ctx: Ctx) -> None:
        values = ctx.session.form("again")
        control = ctx.session.control("again")
        fix = control.fix
        if fix is None or fix not in AGAIN_STATES:
            ctx.goto(State.STATUS)
            return
        if not values.get(fix):
            ctx.goto(AGAIN_STATES[fix])
            return
        what = ctx.t(f"field.again.{fix}")
        change = "btn.retype_serial" if fix == "serial" else "btn.replace_image"
        rows = [
            [ctx.button("btn.confirm", Kind.CONFIRM)],
            [ctx.button(change, Kind.OPTION, fix)],
            ctx.nav_row(back=False),
        ]
        key = "again.summary_serial" if fix == "serial" else "again.summary"
        ctx.say(
            key,
            what=what,
            serial=values.get("serial", ""),
            promotion=control.promotion_name or "",
            buttons=rows,
        )

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        values = ctx.session.form("again")
        control = ctx.session.control("again")
        if action.kind == Kind.CONFIRM and control.claim_id:
            fix = ClaimFix(
                invoice=values.get("invoice"),
                sn_photo=values.get("sn_photo"),
                serial=values.get("serial"),
                invoice_check=invoice_facts(values) if values.get("invoice") else None,
            )
            claim = await ctx.ports.backend.resubmit_claim(
                ctx.require_member(), control.claim_id, fix, idempotency_key(ctx, control)
            )
            submitted(ctx, "again", claim)
        elif action.kind == Kind.OPTION and action.value in AGAIN_STATES:
            ctx.goto(AGAIN_STATES[action.value])
        elif action.kind == Kind.BACK:
            ctx.goto(State.STATUS)
        else:
            await super().on_action(ctx, action)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.say("summary.use_buttons")
        ctx.reprompt()


def steps() -> list[Step]:
    fields = field_steps(REDEEM, STEPS, BY_NAME)
    again = field_steps(
        AGAIN,
        {FieldKind.IMAGE: AgainImageStep, FieldKind.SERIAL: AgainSerialStep},
        {"invoice": AgainInvoiceStep},
    )
    return [
        *fields.values(),
        redeem_address.AddressStep(),
        RedeemSummary(REDEEM, fields),
        *again.values(),
        AgainSummary(),
    ]

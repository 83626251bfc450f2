"""The invoice step with the pre-check (issue 12): the customer hears at once what a reviewer
would miss on the invoice, while they still hold it.

- the photo (or PDF, sent as a file) is checked by ``Ports.invoice_check`` before anything
  is stored: a quality finding (too small, blurred, dark, no text) is advice to take a better
  photo and nothing is kept;
- otherwise the picture is stored (a PDF's page 1 as rendered by the check) and the findings
  are said in the catalog's words (``check.finding.<code>``) with the claim's own values; with
  findings the customer sends a better one or taps "Send it anyway": advice, never a refusal;
- the pool busy or late: the invoice is kept and marked unchecked (the staff check it);
- what was read and found stays with the form (``INVOICE_CHECK``) for the staff.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from backend.port import BackendError, InvoiceFacts
from handlers import invoice_product
from handlers.common import TextStep, category_vendor
from handlers.context import Ctx
from handlers.forms import FieldStep, ImageFieldStep
from handlers.images import fetch_image, normalized
from handlers.invoice_check import Claimed, finding_key, finding_message
from handlers.io import Action, Button, ImageIn, Kind
from handlers.locale_data import format_day
from states import Form, State

#: the registration's fields the invoice fills (issue 12): with the checks on, the invoice is
#: asked right after the region and these are taken from it (said, editable on the summary)
FILLED = ("store", "purchase_date")
INVOICE_CHECK = "_invoice_check"  # the form's record of the last check (findings, read, key)
PENDING = "_invoice_pending"  # a stored invoice with findings, waiting for "send it anyway"


def claimed(values: dict[str, Any]) -> Claimed:
    """What the form says, to check the invoice against."""
    raw = values.get("purchase_date")
    try:
        day = dt.date.fromisoformat(raw) if isinstance(raw, str) and raw else None
    except ValueError:
        day = None
    return Claimed(
        product=str(values.get("product_name") or ""),
        model=str(values.get("model") or ""),
        date=day,
        store=str(values.get("store") or ""),
    )


async def purchase_window(ctx: Ctx, values: dict[str, Any]) -> tuple[dt.date, dt.date] | None:
    """The purchase period of the promotions this product could join (their span), or None
    when none is known: the invoice's date is checked against it."""
    try:
        promotions = await ctx.ports.backend.list_promotions()
    except BackendError:
        return None
    category = values.get("category")
    vendor = category_vendor(category) if isinstance(category, str) and category else ""
    model = str(values.get("model") or "").casefold()
    spans = [
        (p.purchase_from, p.purchase_to)
        for p in promotions
        if vendor in p.categories and (not p.models or model in {m.casefold() for m in p.models})
    ]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


async def claim_expected(ctx: Ctx, claim_id: str | None) -> Claimed:
    """A new invoice for a rejected claim is checked against the registered product, date
    and store, and the claim's promotion's purchase period."""
    if not claim_id:
        return Claimed()
    member = ctx.require_member()
    try:
        claim = await ctx.ports.backend.get_claim(member, claim_id)
        product = await ctx.ports.backend.get_product(member, claim.product_id)
        promotions = await ctx.ports.backend.list_promotions()
    except BackendError:
        return Claimed()
    window = next(
        ((p.purchase_from, p.purchase_to) for p in promotions if p.code == claim.promotion), None
    )
    return Claimed(
        product=product.product_name,
        model=product.model,
        date=product.purchase_date,
        store=product.store,
        window=window,
    )


def invoice_facts(values: dict[str, Any]) -> InvoiceFacts | None:
    """The last check of the invoice in the form, for the backend (None: none ran)."""
    check = values.get(INVOICE_CHECK)
    if not isinstance(check, dict):
        return None
    return InvoiceFacts(
        checked=bool(check.get("checked")),
        findings=tuple(str(code) for code in check.get("findings") or ()),
        key=check.get("key") or None,
        uid=check.get("uid") or None,
    )


def invoice_first(ctx: Ctx) -> bool:
    """The checks are on: the registration asks the invoice before the store and the date."""
    return ctx.ports.invoice_check is not None


#: the registration's order with the checks on: the invoice before the store and the date
CHECKED_ORDER = (
    "category",
    "product_name",
    "model",
    "serial",
    "chk",
    "region",
    "channel",
    "invoice",
    "store",
    "purchase_date",
)


def after(ctx: Ctx, form: Form, name: str) -> State:
    """Where the form goes once ``name`` holds a value: the form's own order, or with the
    checks on (the registration) ``CHECKED_ORDER``, skipping what the invoice filled."""
    editing = ctx.session.control(form.name).editing
    if editing or form.name != "register" or not invoice_first(ctx):
        return form.next_state(form.field(name), editing)
    values = ctx.session.form(form.name)
    later = CHECKED_ORDER[CHECKED_ORDER.index(name) + 1 :]
    for field in (form.field(n) for n in later):
        if field.asked and values.get(field.name) in (None, ""):
            return field.state
    return form.summary


def fill_from_invoice(ctx: Ctx, values: dict[str, Any]) -> None:
    """The store and the purchase date the invoice showed, where the form has none yet (a
    date in the future is not taken); said once, so the customer only confirms them."""
    check = values.get(INVOICE_CHECK)
    read = check.get("read") if isinstance(check, dict) else None
    if not isinstance(read, dict):
        return
    store = str(read.get("store") or "").strip()[:100]
    try:
        day = dt.date.fromisoformat(str(read.get("date") or ""))
    except ValueError:
        day = None
    if day is not None and day > ctx.now.date():
        day = None
    filled = False
    if store and not values.get("store"):
        values["store"], filled = store, True
    if day is not None and not values.get("purchase_date"):
        values["purchase_date"], filled = day.isoformat(), True
    if filled and values.get("store") and values.get("purchase_date"):
        date = format_day(dt.date.fromisoformat(values["purchase_date"]), ctx.session.locale)
        ctx.say("reg.invoice.filled", store=values["store"], date=date)


class InvoiceStep(ImageFieldStep):
    """An image field whose picture is pre-checked as an invoice (see the module)."""

    async def prompt(self, ctx: Ctx) -> None:
        if self.editing(ctx):  # from the summary: not "Last step"
            ctx.say("reg.invoice.prompt_edit", buttons=[self.nav(ctx)])
            ctx.say(
                "common.current_value", value=self.display(ctx, self.values(ctx).get("invoice"))
            )
            return
        if self.form.name == "register" and invoice_first(ctx):  # not the last step here
            rows = [*self.choices(ctx), self.nav(ctx)]
            ctx.say("reg.invoice.prompt_early", buttons=rows, free_text=False)
            return
        await super().prompt(ctx)

    def advance(self, ctx: Ctx) -> None:
        if not self.editing(ctx) and self.form.name == "register" and invoice_first(ctx):
            fill_from_invoice(ctx, self.values(ctx))
        ctx.goto(after(ctx, self.form, self.field.name))

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        values = self.values(ctx)
        if values.get(PENDING):
            send = [ctx.button("btn.invoice.send_anyway", Kind.YES)]
            return [*invoice_product.button(ctx, values), send]
        return []

    async def expected(self, ctx: Ctx) -> Claimed:
        """What the invoice is checked against: the form's product, date and store, and the
        purchase period of the promotions the product could join."""
        values = self.values(ctx)
        return replace(claimed(values), window=await purchase_window(ctx, values))

    async def on_image(self, ctx: Ctx, image: ImageIn) -> None:
        checker = ctx.ports.invoice_check
        if checker is None:
            await super().on_image(ctx, image)
            return
        data = await fetch_image(ctx, image)
        if data is None:
            ctx.reprompt()
            return
        values = self.values(ctx)
        claim = await self.expected(ctx)
        register = self.form.name == "register"
        result = await checker.check_invoice(
            data,
            product=claim.product,
            model=claim.model,
            date=claim.date,
            store=claim.store,
            window=claim.window,
            catalog=await invoice_product.catalog_models(ctx, values) if register else (),
        )
        if result.refused:  # a better photo first: nothing stored
            for code in result.findings:
                self.tell(ctx, code, claim, result.read)
            ctx.reprompt()
            return
        if result.jpeg is not None:  # a PDF: page 1 as rendered, for the staff
            jpeg = result.jpeg
        else:
            normal = await normalized(ctx, image, data)
            if normal is None:
                ctx.reprompt()
                return
            jpeg = normal
        ref = await ctx.ports.media.put(jpeg)
        values[INVOICE_CHECK] = {
            "findings": list(result.findings),
            "read": dict(result.read),
            "key": result.key,
            "checked": result.checked,
            "uid": image.unique_id[:100] or None,
        }
        if not result.checked:
            ctx.say("check.finding.unchecked")
        elif not result.findings:
            ctx.say("check.all_found")
        else:
            offered = register and invoice_product.offer(ctx, values, result.findings, result.read)
            for code in result.findings:
                if not (offered and code == invoice_product.MODEL_NOT_FOUND):
                    self.tell(ctx, code, claim, result.read)
            values[PENDING] = ref
            ctx.reprompt()
            return
        values.pop(PENDING, None)
        await self.accept(ctx, ref)

    @staticmethod
    def tell(ctx: Ctx, code: str, claim: Claimed, read: dict[str, Any]) -> None:
        text = finding_message(ctx.catalog, ctx.session.locale, code, claim, read)
        ctx.say_text(finding_key(code, claim), text)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        values = self.values(ctx)
        if action.kind == Kind.YES and values.get(PENDING):
            values.pop(invoice_product.OFFERED, None)
            await self.accept(ctx, values.pop(PENDING))
            return
        if action.kind == Kind.OPTION and action.value == invoice_product.USE_MODEL:
            if invoice_product.use(ctx, values, INVOICE_CHECK) and values.get(PENDING):
                await self.accept(ctx, values.pop(PENDING))
            else:
                ctx.reprompt()
            return
        if action.kind == Kind.BACK:
            values.pop(PENDING, None)
            values.pop(invoice_product.OFFERED, None)
        await super().on_action(ctx, action)


class AfterInvoice(FieldStep):
    """A registration field that goes on in ``CHECKED_ORDER`` when the checks are on."""

    def advance(self, ctx: Ctx) -> None:
        ctx.goto(after(ctx, self.form, self.field.name))


class StoreStep(AfterInvoice, TextStep):
    pass

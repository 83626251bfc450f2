"""Product registration: category, name, model, serial (with the 0/O, 1/l trap), CHK,
region, store, purchase date, channel, invoice; a summary with Edit; confirm."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.port import BackendError, Product, ProductRegistration, SerialAlreadyRegistered
from handlers import redemption
from handlers import validators as v
from handlers.common import (
    COMMON_STEPS,
    RegionStep,
    TextStep,
    category_label,
    category_vendor,
)
from handlers.context import Ctx, Step
from handlers.forms import FieldStep, SummaryStep, ctx_step_text, field_steps
from handlers.images import fetch_image
from handlers.invoice_step import AfterInvoice, InvoiceStep, StoreStep, after, invoice_facts
from handlers.io import Action, Button, ImageIn, Kind
from handlers.promotions import show_product_outlook
from handlers.purchase_date import DateConfirmStep, DateStep
from handlers.regions import region_name
from handlers.targets import Target
from states import FORMS, FieldKind, State

REG = FORMS["register"]
HELP = "help"
#: the form's record of a serial taken off a sticker's barcode: {"serial", "chk", "photo"}
#: (the photo's media ref: the S/N photo of the redemption that follows, when the serial
#: registered is still the one read)
STICKER = "_sticker"


async def keep(ctx: Ctx, image: ImageIn, data: bytes) -> str | None:
    """The sticker photo normalised and stored, or None where the image port refuses it (the
    serial read off it is taken all the same; the redemption then asks for the S/N photo)."""
    try:
        jpeg = await ctx.ports.images.normalize(
            data, filename=image.filename, mime=image.mime, guest=False
        )
    except Exception as exc:
        if getattr(exc, "key", None) is None:
            raise
        return None
    return await ctx.ports.media.put(jpeg)


class CategoryStep(FieldStep):
    takes_text = False

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        return ctx.options(((c, category_label(ctx, c)) for c in v.CATEGORY_IDS), per_row=2)

    def display(self, ctx: Ctx, value: Any) -> str:
        return category_label(ctx, value)

    async def parse(self, ctx: Ctx, text: str) -> Any:
        wanted = text.strip().casefold()
        for c in v.CATEGORY_IDS:  # the label in the customer's language
            if wanted == category_label(ctx, c).casefold():
                return c
        try:
            return v.category(text).id
        except v.Invalid:
            raise v.Invalid("reg.category.invalid") from None


class HelpedTextStep(TextStep):
    """A typed field with a per-category "How do I find it?" answer."""

    help_key = ""

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        return [[ctx.button("btn.where_to_find", Kind.OPTION, HELP)], *super().choices(ctx)]

    def prompt_params(self, ctx: Ctx) -> dict[str, Any]:
        return {"category": category_label(ctx, self.values(ctx).get("category", "motherboard"))}

    def help(self, ctx: Ctx) -> None:
        category = self.values(ctx).get("category") or "motherboard"
        ctx.say(f"{self.help_key}.{category}")
        ctx.reprompt()

    async def on_option(self, ctx: Ctx, value: str) -> None:
        if value == HELP:
            self.help(ctx)
        else:
            await super().on_option(ctx, value)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        if text.strip().lower() in ("?", "help", "where", "how"):
            self.help(ctx)
        else:
            await super().on_text(ctx, text)


class SerialStep(HelpedTextStep):
    """Typed, or read off a photo of the S/N sticker. A Code128 barcode is exact by its check
    character: its serial (and the CHK when a barcode carries it) is taken at once and said,
    with a "Change" button (Back and the summary's Edit reach it too), and the photo is kept
    to be the S/N photo of the redemption that follows. OCR of the printed label has no
    checksum: the customer confirms it. A photo that gives nothing leaves the form as it
    was: the customer types the serial or sends a sharper photo."""

    help_key = "help.serial"

    async def parse(self, ctx: Ctx, text: str) -> Any:
        return v.serial(text, list(ctx.ports.rules.serial_patterns))

    async def on_image(self, ctx: Ctx, image: ImageIn) -> None:
        reader = ctx.ports.sticker
        if reader is None:
            ctx.say("reg.serial_photo.off")
            ctx.reprompt()
            return
        data = await fetch_image(ctx, image)
        if data is None:
            ctx.reprompt()
            return
        reading = await reader.read_serial(data)
        if not reading.serial:
            code = reading.findings[0] if reading.findings else "no_barcode"
            ctx.say(
                "reg.serial_photo.busy"
                if code in ("busy", "timeout", "failed")
                else "reg.serial_photo.not_found"
            )
            ctx.reprompt()
            return
        control = self.control(ctx)
        control.clear_serial_reading()
        if reading.source == "text":  # OCR of the printed label: confirmed by the customer
            control.serial_reading = v.CodeReading(reading.serial, reading.serial, (), ()).as_dict()
            control.serial_source = "text"
            control.chk_reading = reading.chk or None
            ctx.goto(State.REG_SERIAL_CONFIRM)
            return
        await self.take_barcode(
            ctx, reading.serial, reading.chk or "", await keep(ctx, image, data)
        )

    async def take_barcode(self, ctx: Ctx, serial: str, chk: str, photo: str | None) -> None:
        """The barcode's serial and CHK, taken and said (a serial already registered is
        refused here as when typed); the sticker photo kept with the form."""
        if not await serial_free(ctx, serial):
            return
        values = self.values(ctx)
        values["serial"] = serial
        done = "serial"
        if chk:  # the CHK came off the same sticker: asked no more
            values["chk"], done = chk, "chk"
        values[STICKER] = {"serial": serial, "chk": chk, "photo": photo or ""}
        ctx.say(
            "reg.serial_photo.taken_chk" if chk else "reg.serial_photo.taken",
            serial=serial,
            chk=chk,
            buttons=[[ctx.button("btn.sticker.change", Kind.EDIT, "serial")]],
        )
        ctx.goto(after(ctx, REG, done))

    async def retake(self, ctx: Ctx) -> None:
        """ "Change" under the serial read off the sticker: what the barcode gave is dropped
        (a CHK typed by the customer stays) and the serial is asked again."""
        values = self.values(ctx)
        taken = values.pop(STICKER, None)
        if isinstance(taken, dict):
            for name in ("serial", "chk"):
                if taken.get(name) and values.get(name) == taken[name]:
                    values.pop(name)
        self.control(ctx).clear_serial_reading()
        await super().retake(ctx)

    async def accept(self, ctx: Ctx, value: Any) -> None:
        self.control(ctx).clear_serial_reading()
        reading: v.CodeReading = value
        # ask back when we changed what was typed, or a typed letter could be a digit;
        # digits typed as digits are taken as they are
        if reading.changed or any(reading.typed[i].isalpha() for i in reading.uncertain):
            self.control(ctx).serial_reading = reading.as_dict()
            ctx.goto(State.REG_SERIAL_CONFIRM)
            return
        if await serial_free(ctx, reading.value):
            await super().accept(ctx, reading.value)


async def serial_free(ctx: Ctx, serial: str) -> bool:
    """Checked at the S/N step, not at the final Confirm: a serial already registered (by
    this member or another, the latter noted for staff by the backend) is refused here, and
    the customer stays at the step: whatever they type next is the new serial."""
    try:
        await ctx.ports.backend.check_serial(ctx.require_member(), serial)
    except SerialAlreadyRegistered as exc:
        refuse_serial(ctx, serial, bool(exc.params.get("mine")))
        return False
    return True


def refuse_serial(ctx: Ctx, serial: str, mine: bool) -> None:
    """Say the serial is taken and ask for another; the refused one is never kept (nor shown
    back as the current value)."""
    values = ctx.session.form(REG.name)
    if values.get("serial") == serial:
        values.pop("serial")
    support = [] if mine else [[ctx.menu_button("btn.support", Target.SUPPORT)]]
    ctx.say(
        "error.serial_taken_mine" if mine else "error.serial_taken", serial=serial, buttons=support
    )
    ctx.goto(State.REG_SERIAL)


def spell(ctx: Ctx, reading: v.CodeReading) -> tuple[str, str]:
    """The reading character by character with the doubtful ones in brackets, and a legend
    naming each of those once (0 = the digit zero, O = the letter O)."""
    spaced = v.spell_serial(reading.value, reading.positions)
    notes = dict.fromkeys((g.char, g.note) for g in reading.display() if g.marked and g.note)
    legend = "\n".join(f"[{char}] {ctx.t(note)}" for char, note in notes)
    return spaced, legend


class SerialConfirmStep(Step):
    """Shows the reading the bot will store, character by character, and asks to confirm."""

    state = State.REG_SERIAL_CONFIRM

    async def prompt(self, ctx: Ctx) -> None:
        control = ctx.session.control(REG.name)
        pending = control.serial_reading
        if not pending:
            ctx.goto(State.REG_SERIAL)
            return
        if control.serial_source:
            chk = control.chk_reading
            if control.serial_source == "text":  # OCR of the printed label: no checksum
                key = "check.serial_text_chk" if chk else "check.serial_text"
            else:
                key = "reg.serial_photo.confirm_chk" if chk else "reg.serial_photo.confirm"
            ctx.say(
                key,
                serial=pending["value"],
                chk=chk or "",
                buttons=[
                    [
                        ctx.button("btn.sticker.ok", Kind.YES),
                        ctx.button("btn.sticker.type", Kind.NO),
                    ],
                    ctx.nav_row(back=False),
                ],
            )
            return
        spaced, legend = spell(ctx, v.CodeReading.from_dict(pending))
        ctx.say(
            "reg.serial_confirm.prompt",
            serial=spaced,
            spelled=legend,
            buttons=[
                [ctx.button("btn.serial_ok", Kind.YES), ctx.button("btn.serial_retype", Kind.NO)],
                ctx.nav_row(back=False),
            ],
        )

    async def on_image(self, ctx: Ctx, image: ImageIn) -> None:
        """Another photo of the sticker: read afresh at the S/N step."""
        ctx.session.control(REG.name).clear_serial_reading()
        ctx.goto(State.REG_SERIAL)
        step = ctx.steps.get(State.REG_SERIAL)
        if step is not None:
            await step.on_image(ctx, image)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        values = ctx.session.form(REG.name)
        control = ctx.session.control(REG.name)
        if action.kind == Kind.YES and control.serial_reading:
            if not await serial_free(ctx, control.serial_reading["value"]):
                control.clear_serial_reading()
                return
            values["serial"] = control.serial_reading["value"]
            done = REG.field("serial")
            if control.chk_reading:  # the CHK came off the same sticker: asked no more
                values["chk"] = control.chk_reading
                done = REG.field("chk")
            control.clear_serial_reading()
            ctx.goto(REG.next_state(done, control.editing))
        elif action.kind in (Kind.NO, Kind.BACK):
            control.clear_serial_reading()
            ctx.goto(State.REG_SERIAL)
        else:
            await super().on_action(ctx, action)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        try:
            yes = v.yesno(text)
        except v.Invalid:  # they typed the serial again: read it afresh
            ctx.session.control(REG.name).clear_serial_reading()
            ctx.goto(State.REG_SERIAL)
            await ctx_step_text(ctx, State.REG_SERIAL, text)
            return
        await self.on_action(ctx, Action(Kind.YES if yes else Kind.NO))


class ChkStep(HelpedTextStep):
    help_key = "help.chk"

    async def parse(self, ctx: Ctx, text: str) -> Any:
        reading = v.chk(text)
        if reading.changed:
            ctx.say("reg.chk.read_as", value=reading.value)
        return reading.value


class PurchaseRegionStep(AfterInvoice, RegionStep):
    """Where it was bought: on the way forward, the account's region is taken and said (most
    buy where they live; the summary's Edit changes it, and Back asks it here)."""

    def default_region(self, ctx: Ctx) -> str | None:
        return self.values(ctx).get(self.field.name) or ctx.session.scratch.get("member_region")

    async def prompt(self, ctx: Ctx) -> None:
        values = self.values(ctx)
        region = ctx.session.scratch.get("member_region")
        if not self.editing(ctx) and region and not values.get(self.field.name):
            values[self.field.name] = region
            ctx.say("reg.region.assumed", region=region_name(region, ctx.session.locale))
            self.advance(ctx)
            return
        await super().prompt(ctx)


class ChannelStep(AfterInvoice):
    takes_text = False

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        return ctx.options(((c, ctx.t(f"channel.{c}")) for c in v.CHANNEL_IDS), per_row=1)

    def display(self, ctx: Ctx, value: Any) -> str:
        return ctx.t(f"channel.{value}")

    async def parse(self, ctx: Ctx, text: str) -> Any:
        wanted = text.strip().casefold()
        for c in v.CHANNEL_IDS:  # the label in the customer's language
            if wanted == ctx.t(f"channel.{c}").casefold():
                return c
        try:
            return v.channel(text).id
        except v.Invalid:
            raise v.Invalid("reg.channel.invalid") from None


class RegistrationSummary(SummaryStep):
    async def submit(self, ctx: Ctx) -> None:
        values = self.values(ctx)
        data = ProductRegistration(
            category=category_vendor(values["category"]),
            product_name=values["product_name"],
            model=values["model"],
            serial=values["serial"],
            chk=values["chk"],
            region=values["region"],
            store=values["store"],
            purchase_date=dt.date.fromisoformat(values["purchase_date"]),
            channel=values["channel"],
            invoice=values["invoice"],
            invoice_check=invoice_facts(values),
        )
        product: Product | None
        try:
            product = await ctx.ports.backend.register_product(ctx.require_member(), data)
        except SerialAlreadyRegistered as exc:
            product = await self.replayed(ctx, data) if exc.params.get("mine") else None
            if product is None:  # taken since the S/N step (a race): asked again there
                self.control(ctx).editing = True
                refuse_serial(ctx, data.serial, bool(exc.params.get("mine")))
                return
        photo = sticker_photo(values)
        ctx.session.drop_form("register")
        if ctx.session.resume and ctx.session.resume.startswith("reg."):
            ctx.session.resume = None
        ctx.say("reg.done", product=product.product_name, serial=product.serial)
        ctx.goto(State.MENU)
        try:  # best effort: the product is registered whatever this says
            # with one promotion to redeem it for (and no redemption half done), that
            # redemption starts at once, this product picked (said; Cancel leaves it for later)
            now = not redemption.in_progress(ctx)
            codes = await show_product_outlook(ctx, product, announce=not now)
            if now and len(codes) == 1:
                await redemption.start_redeem(ctx, codes[0], product=product.id, sn_photo=photo)
        except BackendError:
            ctx.say("reg.outlook_later")

    @staticmethod
    async def replayed(ctx: Ctx, data: ProductRegistration) -> Product | None:
        """This very registration, already done (a repeated Confirm after a crash)."""
        for product in await ctx.ports.backend.list_products(ctx.require_member()):
            if (
                product.serial == data.serial
                and product.invoice == data.invoice
                and product.model == data.model
            ):
                return product
        return None


def sticker_photo(values: dict[str, Any]) -> str | None:
    """The sticker photo whose barcode gave the serial registered (None: typed, read by OCR,
    or changed since)."""
    taken = values.get(STICKER)
    if not isinstance(taken, dict) or taken.get("serial") != values.get("serial"):
        return None
    return str(taken.get("photo") or "") or None


#: the step of each kind of field in the registration form
STEPS: dict[FieldKind, type[FieldStep]] = {
    **COMMON_STEPS,
    FieldKind.CATEGORY: CategoryStep,
    FieldKind.SERIAL: SerialStep,
    FieldKind.CHK: ChkStep,
    FieldKind.REGION: PurchaseRegionStep,
    FieldKind.DATE: DateStep,
    FieldKind.CHANNEL: ChannelStep,
    FieldKind.IMAGE: InvoiceStep,
}


def steps() -> list[Step]:
    fields = field_steps(REG, STEPS, {"store": StoreStep})
    return [
        *fields.values(),
        SerialConfirmStep(),
        DateConfirmStep(),
        RegistrationSummary(REG, fields),
    ]

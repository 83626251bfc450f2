"""The S/N photo at redemption, read as the sticker it should show (issue 12).

The photo is stored as before; the sticker reader (``Ports.sticker``) reads its serial, and
before the claim is submitted the customer is warned when the reading says a reviewer would
reject it: a serial that differs from the registered one (compared in any spelling, so an
OCR reading with O for 0 is no warning), no sticker found, or barcodes that are not a serial
("this looks like the box, not the product"). A warning is advice: the customer sends a
better photo or taps "Send it anyway"; staff see it with the claim (``sn.<code>``). A reader
busy or late is no warning: the claim goes on, marked ``sn.unchecked`` for staff; so does
every S/N photo while the checks are off (no OCR pool: ``OCR_WORKERS=0``).
"""

from __future__ import annotations

from typing import Any

from backend.port import BackendError, serial_key
from handlers.context import Ctx
from handlers.forms import ImageFieldStep
from handlers.images import fetch_image, normalized
from handlers.io import Action, Button, ImageIn, Kind
from states import State

SN_FINDINGS = "_sn_findings"  # the last reading's finding codes (for the claim)
PENDING = "_sn_pending"  # a stored S/N photo with a warning, waiting for "send it anyway"
#: the sticker photo sent at the registration just done, offered as this product's S/N
#: photo: {"photo": media ref, "product": product id} (taken once, on the way forward)
FROM_STICKER = "_sn_from_sticker"
STICKER_USED = "_sn_sticker"  # the S/N photo is that sticker photo: {"photo", "product"}
NOT_READ = frozenset({"busy", "timeout", "failed"})
WARNINGS = ("differs", "box", "not_found")


def sn_codes(findings: tuple[str, ...], serial: str | None, registered: str) -> tuple[str, ...]:
    """The claim's ``sn.<code>`` findings from a sticker reading."""
    if NOT_READ & set(findings):
        return ("unchecked",)
    if serial:
        return (
            () if not registered or serial_key(serial) == serial_key(registered) else ("differs",)
        )
    return ("box",) if "no_serial" in findings or "several_serials" in findings else ("not_found",)


class SnPhotoStep(ImageFieldStep):
    """An image field whose picture is read as the S/N sticker (see the module)."""

    def advance(self, ctx: Ctx) -> None:
        if self.editing(ctx):
            super().advance(ctx)
        elif self.values(ctx).get("street"):  # the recipient given already: the summary
            ctx.goto(self.form.summary)
        else:  # the recipient in one choice where one can be offered
            ctx.goto(State.REDEEM_ADDRESS)

    async def prompt(self, ctx: Ctx) -> None:
        """Right after registering this product by its sticker photo: that photo is the S/N
        photo (its barcode showed the serial registered), said with a button to send
        another (Back and the summary's Edit reach this step too)."""
        values = self.values(ctx)
        offered = values.pop(FROM_STICKER, None)
        if (
            isinstance(offered, dict)
            and offered.get("photo")
            and offered.get("product") == values.get("product")
            and not self.editing(ctx)
        ):
            values[self.field.name] = offered["photo"]
            values[STICKER_USED] = dict(offered)
            values[SN_FINDINGS] = []  # read by its barcode: the registered serial
            values.pop(PENDING, None)
            ctx.say(
                "redeem.sn_photo.from_sticker",
                buttons=[[ctx.button("btn.sn_photo.another", Kind.EDIT, self.field.name)]],
            )
            self.advance(ctx)
            return
        await super().prompt(ctx)

    def display(self, ctx: Ctx, value: Any) -> str:
        used = self.values(ctx).get(STICKER_USED)
        if value and isinstance(used, dict) and value == used.get("photo"):
            return ctx.t("summary.sticker_photo")
        return super().display(ctx, value)

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        if self.values(ctx).get(PENDING):
            return [[ctx.button("btn.invoice.send_anyway", Kind.YES)]]
        return []

    async def registered_serial(self, ctx: Ctx) -> str:
        product_id = self.values(ctx).get("product")
        if not product_id:
            return ""
        try:
            return (
                await ctx.ports.backend.get_product(ctx.require_member(), str(product_id))
            ).serial
        except BackendError:
            return ""

    async def on_image(self, ctx: Ctx, image: ImageIn) -> None:
        reader = ctx.ports.sticker
        if reader is None or ctx.ports.invoice_check is None:  # the checks are off (OCR_WORKERS=0)
            self.values(ctx)[SN_FINDINGS] = ["unchecked"]
            self.values(ctx).pop(PENDING, None)
            await super().on_image(ctx, image)
            return
        data = await fetch_image(ctx, image)
        if data is None:
            ctx.reprompt()
            return
        jpeg = await normalized(ctx, image, data)
        if jpeg is None:
            ctx.reprompt()
            return
        ref = await ctx.ports.media.put(jpeg)
        reading = await reader.read_serial(data)
        registered = await self.registered_serial(ctx)
        codes = sn_codes(reading.findings, reading.serial, registered)
        values = self.values(ctx)
        values[SN_FINDINGS] = list(codes)
        warning = next((code for code in codes if code in WARNINGS), None)
        if warning is None:
            values.pop(PENDING, None)
            ctx.say("image.received")
            await self.accept(ctx, ref)
            return
        ctx.say(f"sn_check.{warning}", serial=reading.serial or "", registered=registered)
        values[PENDING] = ref
        ctx.reprompt()

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        values = self.values(ctx)
        if action.kind == Kind.YES and values.get(PENDING):
            await self.accept(ctx, values.pop(PENDING))
            return
        if action.kind == Kind.BACK:
            values.pop(PENDING, None)
        await super().on_action(ctx, action)


def drop_other_sticker(values: dict[str, Any]) -> None:
    """Another product picked: the sticker photo of the one just registered is its S/N
    photo no more (asked again)."""
    used = values.get(STICKER_USED)
    if not isinstance(used, dict) or used.get("product") == values.get("product"):
        return
    if values.get("sn_photo") == used.get("photo"):
        values.pop("sn_photo", None)
        values.pop(SN_FINDINGS, None)
    values.pop(STICKER_USED, None)


def sn_findings(values: dict[str, Any]) -> tuple[str, ...]:
    """The S/N photo's findings in the form, for the claim."""
    return tuple(str(code) for code in values.get(SN_FINDINGS) or ())

"""Field steps shared by several journeys: text, names, regions, phones, yes/no."""

from __future__ import annotations

from typing import Any

from handlers import validators as v
from handlers.context import Ctx
from handlers.forms import FieldStep, ImageFieldStep
from handlers.io import Action, Button, Kind
from handlers.regions import parse_region, region_by_code, region_name, search_regions
from states import FieldKind

KEEP = "__keep"


def category_label(ctx: Ctx, value: str) -> str:
    """A category in the customer's language, from our id or the vendor's spelling."""
    wanted = (value or "").casefold()
    for c in v.CATEGORIES:
        if wanted in (c.id, c.vendor.casefold()):
            return ctx.t(c.label_key)
    return value


def category_vendor(category_id: str) -> str:
    """The vendor's spelling of a category id (what the backend stores)."""
    for c in v.CATEGORIES:
        if c.id == category_id:
            return c.vendor
    return category_id  # option value: keep the value already entered (prefilled or resumed)


class TextStep(FieldStep):
    max_len = 100

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        current = self.values(ctx).get(self.field.name)
        if current and not self.editing(ctx):
            return [
                [ctx.button("btn.keep", Kind.OPTION, KEEP, value=self.display(ctx, current)[:40])]
            ]
        return []

    async def on_option(self, ctx: Ctx, value: str) -> None:
        current = self.values(ctx).get(self.field.name)
        if value == KEEP and current:
            self.advance(ctx)
        else:
            await self.on_text(ctx, value)

    async def parse(self, ctx: Ctx, text: str) -> Any:
        return v.text(text, max_len=self.max_len)


class NameStep(TextStep):
    async def parse(self, ctx: Ctx, text: str) -> Any:
        return v.name(text)


class RegionStep(FieldStep):
    """Region / location: typed and searched; several matches are offered as buttons."""

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        codes = list(self.control(ctx).region_matches)
        default = self.default_region(ctx)
        if not codes and default:
            codes = [default]
        regions = [r for r in (region_by_code(c) for c in codes) if r]
        return ctx.options(
            ((r.code, region_name(r.code, ctx.session.locale)) for r in regions), per_row=2
        )

    def default_region(self, ctx: Ctx) -> str | None:
        return self.values(ctx).get(self.field.name) or None

    def display(self, ctx: Ctx, value: Any) -> str:
        return region_name(str(value), ctx.session.locale) if value else str(value)

    async def on_option(self, ctx: Ctx, value: str) -> None:
        region = region_by_code(value)
        if region is None:
            await self.on_text(ctx, value)
            return
        self.control(ctx).region_matches = []
        await self.accept(ctx, region.code)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        control = self.control(ctx)
        try:
            region = parse_region(text)
        except v.Invalid:
            region = None
        if region is not None:
            control.region_matches = []
            await self.accept(ctx, region.code)
            return
        matches = search_regions(text, limit=8)
        if matches:  # close or partial matches: the customer picks, we never guess
            control.region_matches = [r.code for r in matches]
            ctx.say("region.pick")
        else:
            control.region_matches = []
            ctx.say("region.no_match", query=text.strip()[:40])
        ctx.reprompt()


class PhoneStep(TextStep):
    """A phone number, read as a number of the region entered in the form's ``region``."""

    def region(self, ctx: Ctx) -> str | None:
        return self.values(ctx).get("region") or None

    async def parse(self, ctx: Ctx, text: str) -> Any:
        return v.phone(text, self.region(ctx))


class YesNoStep(FieldStep):
    takes_text = False

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        return [[ctx.button("btn.yes", Kind.YES), ctx.button("btn.no", Kind.NO)]]

    def display(self, ctx: Ctx, value: Any) -> str:
        return ctx.t("btn.yes") if value else ctx.t("btn.no")

    async def parse(self, ctx: Ctx, text: str) -> Any:
        return v.yesno(text)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind in (Kind.YES, Kind.NO):
            await self.choose(ctx, action.kind == Kind.YES)
        else:
            await super().on_action(ctx, action)

    async def choose(self, ctx: Ctx, yes: bool) -> None:
        await self.accept(ctx, yes)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        try:
            answer = v.yesno(text)
        except v.Invalid as exc:
            ctx.explain(exc)
            ctx.reprompt()
            return
        await self.choose(ctx, answer)


class ConsentStep(YesNoStep):
    """A yes/no that must be yes to go on (privacy policy)."""

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        return [[ctx.button("btn.agree", Kind.YES), ctx.button("btn.disagree", Kind.NO)]]

    async def choose(self, ctx: Ctx, yes: bool) -> None:
        if not yes:
            ctx.say(f"{self.field.state}.required")
            ctx.reprompt()
            return
        await self.accept(ctx, True)


#: the step of each kind of field the journeys share (a journey adds or replaces some)
COMMON_STEPS: dict[FieldKind, type[FieldStep]] = {
    FieldKind.TEXT: TextStep,
    FieldKind.NAME: NameStep,
    FieldKind.REGION: RegionStep,
    FieldKind.PHONE: PhoneStep,
    FieldKind.YESNO: YesNoStep,
    FieldKind.CONSENT: ConsentStep,
    FieldKind.IMAGE: ImageFieldStep,
}

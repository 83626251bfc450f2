"""The purchase date of a registration: typed (the common forms, with "that day does not
exist" and the read-back of an ambiguous date), or picked (quick days, then month and day
buttons, this year and the years before inside the promotions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from handlers import validators as v
from handlers.common import KEEP
from handlers.context import Ctx, Step
from handlers.forms import ctx_step_text
from handlers.invoice_step import AfterInvoice, after
from handlers.io import Action, Button, Kind
from handlers.locale_data import format_day, format_month
from states import FORMS, State

REG = FORMS["register"]


def date_label(ctx: Ctx, day: dt.date) -> str:
    """A date in words, in the customer's language (CLDR: "4 Mar 2026", "4. März 2026")."""
    return format_day(day, ctx.session.locale)


class DateStep(AfterInvoice):
    """Typed in the common forms, or picked: quick days, then month -> day buttons."""

    QUICK_DAYS = 4

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        picker = self.control(ctx).picker  # "months", or "YYYY-MM" while days are shown
        if picker == "months":
            return self.month_rows(ctx)
        if picker:
            return self.day_rows(ctx, picker)
        current = self.values(ctx).get(self.field.name)
        keep = []
        if current and not self.editing(ctx):  # back at this step: the date given, one tap
            label = date_label(ctx, dt.date.fromisoformat(current))
            keep = [[ctx.button("btn.keep", Kind.OPTION, KEEP, value=label)]]
        days = [ctx.today - dt.timedelta(days=i) for i in range(self.QUICK_DAYS)]
        labels = [ctx.t("date.today"), ctx.t("date.yesterday")] + [
            date_label(ctx, d) for d in days[2:]
        ]
        rows = ctx.options(
            ((d.isoformat(), label) for d, label in zip(days, labels, strict=True)), per_row=2
        )
        return [*keep, *rows, [ctx.button("date.pick", Kind.OPTION, "months")]]

    def month_rows(self, ctx: Ctx) -> list[list[Button]]:
        """This month back to January of last year (open promotions reach that far)."""
        first = ctx.today.replace(day=1)
        oldest = dt.date(ctx.today.year - 1, 1, 1)
        months = []
        while first >= oldest:
            months.append((f"{first:%Y-%m}", format_month(first, ctx.session.locale)))
            first = (first - dt.timedelta(days=1)).replace(day=1)
        return ctx.options(months, per_row=3)

    def day_rows(self, ctx: Ctx, month: str) -> list[list[Button]]:
        try:
            day = dt.date.fromisoformat(f"{month}-01")
        except ValueError:
            return []
        days = []
        while day.strftime("%Y-%m") == month and day <= ctx.today:
            days.append((day.isoformat(), str(day.day)))
            day += dt.timedelta(days=1)
        return ctx.options(days, per_row=7)

    def prompt_key(self) -> str:
        return "reg.purchase_date.prompt"

    def prompt_params(self, ctx: Ctx) -> dict[str, Any]:
        """Examples that cannot be read two ways: the day in words (CLDR), and ISO."""
        day = ctx.today - dt.timedelta(days=30)
        return {"example": date_label(ctx, day), "iso": day.isoformat()}

    def display(self, ctx: Ctx, value: Any) -> str:
        return dt.date.fromisoformat(value).strftime("%Y-%m-%d")

    async def on_option(self, ctx: Ctx, value: str) -> None:
        control = self.control(ctx)
        if value == KEEP and self.values(ctx).get(self.field.name):
            self.advance(ctx)
        elif value == "months":
            control.picker = "months"
            ctx.reprompt()
        elif len(value) == 7 and control.picker == "months":
            control.picker = value
            ctx.reprompt()
        else:
            await self.on_text(ctx, value)

    def back(self, ctx: Ctx) -> None:
        control = self.control(ctx)
        picker, control.picker = control.picker, None
        if picker and picker != "months":
            control.picker = "months"  # from the days back to the months
        if picker:
            ctx.reprompt()
        else:
            super().back(ctx)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        try:
            reading = v.purchase_date(text, ctx.today, ctx.session.locale)
        except v.Invalid as exc:
            ctx.explain(exc)
            ctx.reprompt()
            return
        self.control(ctx).picker = None
        if reading.value is None:
            self.control(ctx).date_candidates = [d.isoformat() for d in reading.candidates]
            ctx.goto(State.REG_DATE_CONFIRM)
            return
        await self.accept(ctx, reading.value.isoformat())


class DateConfirmStep(Step):
    """03/04/2022: 3 April or March 4? Ask back with both readings as buttons."""

    state = State.REG_DATE_CONFIRM

    async def prompt(self, ctx: Ctx) -> None:
        candidates = ctx.session.control(REG.name).date_candidates
        if not candidates:
            ctx.goto(State.REG_PURCHASE_DATE)
            return
        rows = ctx.options(
            ((c, date_label(ctx, dt.date.fromisoformat(c))) for c in candidates), per_row=1
        )
        ctx.say("reg.date_confirm.prompt", buttons=[*rows, ctx.nav_row()])

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        control = ctx.session.control(REG.name)
        if action.kind == Kind.OPTION and action.value in control.date_candidates:
            control.date_candidates = []
            ctx.session.form(REG.name)["purchase_date"] = action.value
            ctx.goto(after(ctx, REG, "purchase_date"))
        elif action.kind == Kind.BACK:
            control.date_candidates = []
            ctx.goto(State.REG_PURCHASE_DATE)
        else:
            await super().on_action(ctx, action)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.session.control(REG.name).date_candidates = []
        ctx.goto(State.REG_PURCHASE_DATE)
        await ctx_step_text(ctx, State.REG_PURCHASE_DATE, text)

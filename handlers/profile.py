"""The profile: what the member's account holds, each field editable (validated as at
sign-up), the optional ones clearable, the language, the password and log-outs."""

from __future__ import annotations

from typing import Any

from handlers import validators as v
from handlers.account import log_out_everywhere
from handlers.context import Ctx, Step
from handlers.first_entry import forget_password_change
from handlers.io import Action, Kind
from handlers.language import language_buttons
from handlers.regions import parse_region, region_by_code, region_name, region_timezone
from handlers.targets import Target
from states import State

PROFILE_FIELDS = ("first_name", "last_name", "region", "phone", "newsletter", "reward_program")
CHOICES = frozenset({"newsletter", "reward_program"})  # yes / no
CLEARABLE = frozenset({"last_name", "phone"})  # optional at sign-up: may be emptied again
CLEAR = "__clear"


def label(ctx: Ctx, name: str) -> str:
    """A field's name as the sign-up summary shows it."""
    return ctx.t(f"field.signup.{'reward_terms' if name == 'reward_program' else name}")


class ProfileStep(Step):
    state = State.PROFILE

    async def prompt(self, ctx: Ctx) -> None:
        m = await ctx.ports.backend.get_member(ctx.require_member())
        region = region_by_code(m.region)
        empty = ctx.t("summary.empty")  # blank as in every summary

        def yes_no(value: bool) -> str:
            return ctx.t("btn.yes") if value else ctx.t("btn.no")

        text = ctx.t(
            "profile.view",
            email=m.email,
            first_name=m.first_name or empty,
            last_name=m.last_name or empty,
            region=region_name(m.region, ctx.session.locale) if region else (m.region or empty),
            phone=m.phone or empty,
            newsletter=yes_no(m.newsletter),
            reward=yes_no(m.reward_program),
        )
        rows = ctx.options(
            ((f, ctx.t("btn.edit_field", label=label(ctx, f))) for f in PROFILE_FIELDS),
            kind=Kind.EDIT,
        )
        rows += language_buttons(ctx)
        rows.append([ctx.button("btn.change_password", Kind.EDIT, "password")])
        rows.append(
            [ctx.button("btn.sessions.logout_everywhere", Kind.OPTION, "logout_everywhere")]
        )
        rows.append(
            [ctx.menu_button("btn.logout", Target.LOGOUT), ctx.menu_button("btn.menu", Target.MENU)]
        )
        ctx.say_text("profile.view", text, rows)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.EDIT and action.value in PROFILE_FIELDS:
            ctx.session.scratch["profile_field"] = action.value
            ctx.goto(State.PROFILE_EDIT)
        elif action.kind == Kind.EDIT and action.value == "password":
            forget_password_change(ctx)
            ctx.goto(State.PASSWORD_CURRENT)
        elif action.kind == Kind.OPTION and action.value == "logout_everywhere":
            await log_out_everywhere(ctx)
        elif action.kind == Kind.BACK:
            ctx.goto(State.MENU)
        else:
            await super().on_action(ctx, action)


class ProfileEditStep(Step):
    """Edits one profile field, validated like at sign-up, saved to the backend."""

    state = State.PROFILE_EDIT

    def field(self, ctx: Ctx) -> str:
        name = ctx.session.scratch.get("profile_field")
        return name if name in PROFILE_FIELDS else "first_name"

    async def prompt(self, ctx: Ctx) -> None:
        name = self.field(ctx)
        rows = []
        if name in CHOICES:
            rows.append([ctx.button("btn.yes", Kind.YES), ctx.button("btn.no", Kind.NO)])
        if name in CLEARABLE:
            rows.append([ctx.button("btn.clear_field", Kind.OPTION, CLEAR, label=label(ctx, name))])
        rows.append(ctx.nav_row(cancel=False))
        if name == "reward_program":  # joining agrees to the programme's terms: their link
            ctx.say("profile.edit.reward_prompt", terms_url=ctx.ports.rules.terms_url, buttons=rows)
            return
        ctx.say(
            "profile.edit.prompt",
            label=label(ctx, name),
            buttons=rows,
            free_text=name not in CHOICES,
        )

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        name = self.field(ctx)
        if action.kind in (Kind.YES, Kind.NO) and name in CHOICES:
            await self.save(ctx, action.kind == Kind.YES)
        elif action.kind == Kind.OPTION and action.value == CLEAR and name in CLEARABLE:
            await self.save(ctx, "")
        elif action.kind == Kind.BACK:
            ctx.goto(State.PROFILE)
        else:
            await super().on_action(ctx, action)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        name = self.field(ctx)
        try:
            if name == "region":
                value: Any = v_region(text)
            elif name == "phone":
                member = await ctx.ports.backend.get_member(ctx.require_member())
                value = v.phone(text, member.region or None)
            elif name in CHOICES:
                value = v.yesno(text)
            else:
                value = v.name(text)
        except v.Invalid as exc:
            ctx.explain(exc)
            ctx.reprompt()
            return
        await self.save(ctx, value)

    async def save(self, ctx: Ctx, value: Any) -> None:
        await ctx.ports.backend.update_member(ctx.require_member(), **{self.field(ctx): value})
        if self.field(ctx) == "region":
            ctx.session.scratch["member_region"] = value
            if region_timezone(value):
                ctx.session.scratch["tz"] = region_timezone(value)
        ctx.session.scratch.pop("profile_field", None)
        ctx.say("profile.saved")
        ctx.goto(State.PROFILE)


def v_region(text: str) -> str:
    try:
        return parse_region(text).code
    except v.Invalid:
        raise v.Invalid("region.no_match_profile", query=text.strip()[:40]) from None


def steps() -> list[Step]:
    return [ProfileStep(), ProfileEditStep()]

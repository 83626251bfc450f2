"""Account journey: sign up (confirmed by a code emailed to the address), log in (with
lock-out), log out, profile, and "Forgot your password?" by emailed code. (Changing the
password: ``password_change``; the first entry of a new password: ``first_entry``.)"""

from __future__ import annotations

import secrets
from typing import Any

from backend.port import (
    CodeExpired,
    CodePurpose,
    CodeWrong,
    EmailChallenge,
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    ResendTooSoon,
    SignUp,
)
from handlers import language
from handlers import validators as v
from handlers.common import COMMON_STEPS, TextStep
from handlers.context import Ctx, Step
from handlers.first_entry import (
    PW_DIGEST,
    ScratchEntry,
    drop_first_entry,
    forget_password_change,
    keep_first_entry,
    second_entry_matches,
)
from handlers.forms import FieldStep, SummaryStep, field_steps
from handlers.io import Action, Kind
from handlers.language import language_buttons
from handlers.ports import EmailUnavailable
from handlers.regions import parse_region, region_by_code, region_name, region_timezone
from handlers.targets import Target
from states import FORMS, FieldKind, State

SIGNUP = FORMS["signup"]


class EmailStep(TextStep):
    max_len = 254

    async def parse(self, ctx: Ctx, text: str) -> Any:
        return v.email(text)


def signup_steps() -> dict[str, FieldStep]:
    return field_steps(SIGNUP, {**COMMON_STEPS, FieldKind.EMAIL: EmailStep})


class SignupSummary(SummaryStep):
    async def submit(self, ctx: Ctx) -> None:
        ctx.goto(State.SIGNUP_PASSWORD)


def details_missing(ctx: Ctx) -> bool:
    """The password comes last: without the details before it, go and ask them first."""
    missing = SIGNUP.first_missing(ctx.session.form("signup"))
    if missing is not None:
        ctx.goto(missing.state)
        return True
    return False


class PasswordStep(Step):
    """First password entry: checked, then only a salted digest is kept to compare the second."""

    state = State.SIGNUP_PASSWORD

    async def prompt(self, ctx: Ctx) -> None:
        if not details_missing(ctx):
            ctx.say("signup.password.prompt", secret=True, buttons=[ctx.nav_row()])

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.delete_input = True
        if details_missing(ctx):
            return
        if await keep_first_entry(ctx, text, ctx.session.control("signup")):
            ctx.goto(State.SIGNUP_PASSWORD_CONFIRM)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            ctx.goto(SIGNUP.summary)
        else:
            await super().on_action(ctx, action)


class PasswordConfirmStep(Step):
    state = State.SIGNUP_PASSWORD_CONFIRM

    async def prompt(self, ctx: Ctx) -> None:
        if not details_missing(ctx):
            ctx.say("signup.password_confirm.prompt", secret=True, buttons=[ctx.nav_row()])

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            drop_first_entry(ctx.session.control("signup"))
            ctx.goto(State.SIGNUP_PASSWORD)
        else:
            await super().on_action(ctx, action)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.delete_input = True
        if details_missing(ctx):
            return
        values = ctx.session.form("signup")
        if not await second_entry_matches(ctx, text, ctx.session.control("signup")):
            ctx.goto(State.SIGNUP_PASSWORD)
            return
        data = SignUp(
            email=values["email"],
            password=text,
            first_name=values["first_name"],
            last_name=values.get("last_name", ""),
            region=values["region"],
            phone=values.get("phone", ""),
            newsletter=bool(values.get("newsletter")),
            reward_program=bool(values.get("reward_terms")),
            privacy_consent=bool(values.get("privacy")),
        )
        try:
            challenge = await ctx.ports.backend.sign_up(data)
        except EmailTaken as exc:
            ctx.explain(exc)
            ctx.session.form("login")["email"] = values["email"]
            ctx.session.drop_form("signup")
            ctx.goto(State.LOGIN_PASSWORD)
            return
        ctx.session.drop_form("signup")
        await send_code(ctx, challenge)
        ctx.goto(State.EMAIL_CODE)


async def logged_in(ctx: Ctx, member_id: str, region: str) -> None:
    """Link this chat to the member; a promotion link opened as a guest opens now."""
    forget_code(ctx)
    ctx.session.member_id = member_id
    ctx.session.scratch["member_region"] = region
    zone = region_timezone(region) if region else None
    if zone:
        ctx.session.scratch["tz"] = zone
    await language.on_login(ctx, member_id)
    await ctx.ports.links.link(member_id, ctx.session.key, ctx.session.locale)
    ctx.goto(State.MENU)
    promotion = ctx.session.scratch.pop("deep_link_promo", None)
    if promotion:
        from handlers.redemption import start_redeem  # journeys meet here only

        await start_redeem(ctx, promotion)


# --------------------------------------------------------------------------- log in
class LoginEmailStep(Step):
    state = State.LOGIN_EMAIL

    async def prompt(self, ctx: Ctx) -> None:
        ctx.say("login.email.prompt", buttons=[ctx.nav_row()], free_text=True)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        try:
            email = v.email(text)
        except v.Invalid as exc:
            ctx.explain(exc)
            ctx.reprompt()
            return
        ctx.session.form("login")["email"] = email
        ctx.goto(State.LOGIN_PASSWORD)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            ctx.session.drop_form("login")
            ctx.goto(State.MENU)
        else:
            await super().on_action(ctx, action)


class LoginPasswordStep(Step):
    state = State.LOGIN_PASSWORD

    async def prompt(self, ctx: Ctx) -> None:
        email = ctx.session.form("login").get("email", "")
        forgot = [ctx.button("btn.forgot_password", Kind.OPTION, "forgot")]
        ctx.say("login.password.prompt", email=email, secret=True, buttons=[forgot, ctx.nav_row()])

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            ctx.goto(State.LOGIN_EMAIL)
        elif action.kind == Kind.OPTION and action.value == "forgot":
            if ctx.ports.email is None or ctx.ports.email.demo:
                # demo mode would show the reset code to whoever asks: a person checks instead
                ctx.say("login.forgot_demo")
                open_ticket = await ctx.ports.support.has_open(ctx.session.key)
                ctx.goto(State.SUPPORT_OPEN if open_ticket else State.SUPPORT_COMPOSE)
                return
            await start_reset(ctx, ctx.session.form("login").get("email", ""))
        else:
            await super().on_action(ctx, action)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.delete_input = True
        email = ctx.session.form("login").get("email")
        if not email:
            ctx.goto(State.LOGIN_EMAIL)
            return
        try:
            member = await ctx.ports.backend.log_in(email, text)
        except InvalidCredentials as exc:
            ctx.explain(exc)
            ctx.reprompt()
            return
        except EmailNotVerified as exc:  # the password was right: prove the address now
            ctx.explain(exc)
            challenge = await ctx.ports.backend.start_verification(email, text)
            ctx.session.drop_form("login")
            await send_code(ctx, challenge)
            ctx.goto(State.EMAIL_CODE)
            return
        ctx.session.drop_form("login")
        await logged_in(ctx, member.id, member.region)
        ctx.say("login.done", name=member.first_name)


async def log_out(ctx: Ctx) -> None:
    if ctx.member_id:
        await ctx.ports.links.unlink(ctx.session.key)
    forget_member(ctx)
    ctx.say("logout.done")
    ctx.goto(State.START)


def forget_member(ctx: Ctx) -> None:
    """This chat is no longer logged in: the member and everything entered for them go."""
    ctx.session.member_id = None
    ctx.session.drop_forms()
    ctx.session.scratch.clear()
    ctx.session.resume = None


# --------------------------------------------------------------------------- log-ins elsewhere
async def end_other_logins(ctx: Ctx, member_id: str) -> int:
    """End every log-in of ``member_id`` in other chats; this chat stays logged in only if it
    is logged in as that member. Call it after a password change or reset: whoever knew the
    old password is logged out at their next message and gets no more notifications (prize
    codes). Returns how many chats were logged out."""
    keep = ctx.session.key if ctx.session.member_id == member_id else None
    return await ctx.ports.links.end_logins(member_id, keep=keep)


async def still_logged_in(ctx: Ctx) -> bool:
    """Is this chat still logged in as its session's member? Checked on every turn against the
    chat link (shared by all replicas): after a password change, a reset or "Log out
    everywhere" elsewhere, the session is emptied here and the customer is told why."""
    member_id = ctx.session.member_id
    if not member_id or await ctx.ports.links.member_for(ctx.session.key) == member_id:
        return True
    forget_member(ctx)
    ctx.say("sessions.ended")
    ctx.goto(State.START)
    return False


async def log_out_everywhere(ctx: Ctx) -> None:
    """The profile's "Log out everywhere": every chat of the member, this one included."""
    if ctx.member_id:
        await ctx.ports.links.end_logins(ctx.member_id)
    forget_member(ctx)
    ctx.say("sessions.everywhere_done")
    ctx.goto(State.START)


# --------------------------------------------------------------------------- profile
PROFILE_FIELDS = ("first_name", "last_name", "region", "phone", "newsletter")


class ProfileStep(Step):
    state = State.PROFILE

    async def prompt(self, ctx: Ctx) -> None:
        m = await ctx.ports.backend.get_member(ctx.require_member())
        region = region_by_code(m.region)
        text = ctx.t(
            "profile.view",
            email=m.email,
            first_name=m.first_name,
            last_name=m.last_name,
            region=region_name(m.region, ctx.session.locale) if region else m.region,
            phone=m.phone or "-",
            newsletter=ctx.t("btn.yes") if m.newsletter else ctx.t("btn.no"),
        )
        rows = ctx.options(
            (
                (f, ctx.t("btn.edit_field", label=ctx.t(f"field.signup.{f}")))
                for f in PROFILE_FIELDS
            ),
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
        if name == "newsletter":
            rows.append([ctx.button("btn.yes", Kind.YES), ctx.button("btn.no", Kind.NO)])
        rows.append(ctx.nav_row(cancel=False))
        ctx.say(
            "profile.edit.prompt",
            label=ctx.t(f"field.signup.{name}"),
            buttons=rows,
            free_text=name != "newsletter",
        )

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind in (Kind.YES, Kind.NO) and self.field(ctx) == "newsletter":
            await self.save(ctx, action.kind == Kind.YES)
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
            elif name == "newsletter":
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


# --------------------------------------------------------------------------- email codes
CODE_ID = "_code_id"  # the challenge the typed code is checked against (not the code)
CODE_PURPOSE = "_code_purpose"
CODE_EMAIL = "_code_email"
RESET_OK = "_reset_ok"  # the reset code was right: a new password may be chosen


def forget_code(ctx: Ctx) -> None:
    for name in (CODE_ID, CODE_PURPOSE, CODE_EMAIL, RESET_OK):
        ctx.session.scratch.pop(name, None)
    drop_first_entry(ScratchEntry(ctx.session.scratch))


async def send_code(ctx: Ctx, challenge: EmailChallenge) -> None:
    """Email the code (or, in demo mode, show it here, clearly marked); remember only the
    challenge's handle. No code yet (cool-down): say when Resend works."""
    scratch = ctx.session.scratch
    scratch[CODE_ID] = challenge.id
    scratch[CODE_PURPOSE] = challenge.purpose.value
    scratch[CODE_EMAIL] = challenge.email
    if not challenge.code:
        seconds = max(1, int((challenge.resend_at - ctx.now).total_seconds()) + 1)
        ctx.say("email_code.wait", seconds=seconds)
        return
    email = ctx.ports.email
    if email is None or email.demo:
        ctx.say("email_code.demo", email=challenge.email, code=challenge.code)
        return
    minutes = max(1, round((challenge.expires_at - ctx.now).total_seconds() / 60))
    purpose = challenge.purpose.value
    subject = ctx.t(f"email.{purpose}.subject")
    body = ctx.t(
        f"email.{purpose}.body", name=challenge.first_name, code=challenge.code, minutes=minutes
    )
    try:
        await email.send(challenge.email, subject, body)
    except EmailUnavailable as exc:
        ctx.say(exc.key)
        return
    ctx.say("email_code.sent", email=challenge.email)


async def start_reset(ctx: Ctx, email: str) -> None:
    """ "Forgot your password?": a code to the address, whether or not it has an account
    (the answer is the same, so nobody learns which addresses are registered)."""
    forget_password_change(ctx)
    forget_code(ctx)
    if not email:
        ctx.goto(State.LOGIN_EMAIL)
        return
    ctx.session.drop_form("login")
    ctx.say("reset.started", email=email)
    try:
        challenge = await ctx.ports.backend.start_reset(email)
    except ResendTooSoon as exc:
        challenge = None
        ctx.explain(exc)
    if challenge is not None:
        await send_code(ctx, challenge)
    else:  # a handle that matches nothing: typing any code reads as a wrong/expired one
        ctx.session.scratch[CODE_ID] = secrets.token_urlsafe(24)
        ctx.session.scratch[CODE_PURPOSE] = CodePurpose.RESET.value
        ctx.session.scratch[CODE_EMAIL] = email
    ctx.goto(State.EMAIL_CODE)


class EmailCodeStep(Step):
    """The code from the email: typed (the message is deleted), resent after a cool-down."""

    state = State.EMAIL_CODE

    async def prompt(self, ctx: Ctx) -> None:
        if not ctx.session.scratch.get(CODE_ID):
            ctx.goto(State.START)
            return
        resend = [ctx.button("btn.resend_code", Kind.OPTION, "resend")]
        email = ctx.session.scratch.get(CODE_EMAIL, "")
        ctx.say("email_code.prompt", email=email, buttons=[resend, ctx.nav_row()], free_text=True)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.OPTION and action.value == "resend":
            await self.resend(ctx)
        elif action.kind == Kind.BACK:
            forget_code(ctx)
            ctx.goto(State.START)
        else:
            await super().on_action(ctx, action)

    async def resend(self, ctx: Ctx) -> None:
        try:
            challenge = await ctx.ports.backend.resend_code(ctx.session.scratch.get(CODE_ID, ""))
        except ResendTooSoon as exc:
            ctx.explain(exc)
        except CodeExpired:
            ctx.say("email_code.start_again")
            forget_code(ctx)
            ctx.goto(State.START)
            return
        else:
            await send_code(ctx, challenge)
        ctx.reprompt()

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.delete_input = True
        scratch = ctx.session.scratch
        try:
            member = await ctx.ports.backend.verify_code(scratch.get(CODE_ID, ""), text)
        except (CodeWrong, CodeExpired) as exc:
            ctx.explain(exc)
            ctx.reprompt()
            return
        if scratch.get(CODE_PURPOSE) == CodePurpose.RESET.value:
            scratch[RESET_OK] = True
            ctx.goto(State.RESET_NEW)
            return
        await logged_in(ctx, member.id, member.region)
        ctx.say("signup.done", name=member.first_name)


class _ResetStep(Step):
    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            forget_code(ctx)
            ctx.goto(State.START)
        else:
            await super().on_action(ctx, action)

    @staticmethod
    def allowed(ctx: Ctx) -> bool:
        if ctx.session.scratch.get(RESET_OK) and ctx.session.scratch.get(CODE_ID):
            return True
        ctx.goto(State.START)
        return False


class ResetNewStep(_ResetStep):
    state = State.RESET_NEW

    async def prompt(self, ctx: Ctx) -> None:
        if self.allowed(ctx):
            ctx.say("password.new.prompt", secret=True, buttons=[ctx.nav_row()])

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.delete_input = True
        if self.allowed(ctx) and await keep_first_entry(
            ctx, text, ScratchEntry(ctx.session.scratch)
        ):
            ctx.goto(State.RESET_NEW_CONFIRM)


class ResetNewConfirmStep(_ResetStep):
    state = State.RESET_NEW_CONFIRM

    async def prompt(self, ctx: Ctx) -> None:
        if not self.allowed(ctx):
            return
        if not ctx.session.scratch.get(PW_DIGEST):
            ctx.goto(State.RESET_NEW)
            return
        ctx.say("password.new_confirm.prompt", secret=True, buttons=[ctx.nav_row()])

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.delete_input = True
        if not self.allowed(ctx):
            return
        if not await second_entry_matches(ctx, text, ScratchEntry(ctx.session.scratch)):
            ctx.goto(State.RESET_NEW)
            return
        try:
            member = await ctx.ports.backend.reset_password(ctx.session.scratch[CODE_ID], text)
        except CodeExpired as exc:
            ctx.explain(exc)
            forget_code(ctx)
            ctx.goto(State.START)
            return
        await end_other_logins(ctx, member.id)
        await logged_in(ctx, member.id, member.region)
        ctx.say("reset.done", name=member.first_name)


def v_region(text: str) -> str:
    try:
        return parse_region(text).code
    except v.Invalid:
        raise v.Invalid("region.no_match_profile", query=text.strip()[:40]) from None


def steps() -> list[Step]:
    fields = signup_steps()
    return [
        *fields.values(),
        SignupSummary(SIGNUP, fields),
        PasswordStep(),
        PasswordConfirmStep(),
        LoginEmailStep(),
        LoginPasswordStep(),
        EmailCodeStep(),
        ResetNewStep(),
        ResetNewConfirmStep(),
        ProfileStep(),
        ProfileEditStep(),
    ]

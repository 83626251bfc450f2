"""Change password from the profile: the current password first, then the new one twice;
every other log-in of the member ends."""

from __future__ import annotations

from backend.port import AccountLocked, InvalidCredentials
from handlers.account import end_other_logins
from handlers.context import Ctx, Step
from handlers.first_entry import (
    PW_DIGEST,
    PW_VERIFIED,
    ScratchEntry,
    forget_password_change,
    keep_first_entry,
    second_entry_matches,
)
from handlers.io import Action, Kind
from states import State


class _PasswordChangeStep(Step):
    """Common to the three steps: Back returns to the profile, the input leaves the chat."""

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            forget_password_change(ctx)
            ctx.goto(State.PROFILE)
        else:
            await super().on_action(ctx, action)


class CurrentPasswordStep(_PasswordChangeStep):
    state = State.PASSWORD_CURRENT

    async def prompt(self, ctx: Ctx) -> None:
        ctx.say("password.current.prompt", secret=True, buttons=[ctx.nav_row(cancel=False)])

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.delete_input = True
        member = await ctx.ports.backend.get_member(ctx.require_member())
        try:  # counts towards the lock-out like a log-in: guessing here is no easier
            await ctx.ports.backend.log_in(member.email, text)
        except InvalidCredentials:
            ctx.say("password.current.wrong")
            ctx.reprompt()
            return
        except AccountLocked as exc:  # no use asking again now
            ctx.explain(exc)
            forget_password_change(ctx)
            ctx.goto(State.PROFILE)
            return
        ctx.session.scratch[PW_VERIFIED] = True
        ctx.goto(State.PASSWORD_NEW)


class NewPasswordStep(_PasswordChangeStep):
    state = State.PASSWORD_NEW

    async def prompt(self, ctx: Ctx) -> None:
        if not ctx.session.scratch.get(PW_VERIFIED):
            ctx.goto(State.PASSWORD_CURRENT)
            return
        ctx.say("password.new.prompt", secret=True, buttons=[ctx.nav_row(cancel=False)])

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.delete_input = True
        m = await ctx.ports.backend.get_member(ctx.require_member())
        context = (m.email, m.first_name, m.last_name)
        if await keep_first_entry(ctx, text, ScratchEntry(ctx.session.scratch), context):
            ctx.goto(State.PASSWORD_NEW_CONFIRM)


class NewPasswordConfirmStep(_PasswordChangeStep):
    state = State.PASSWORD_NEW_CONFIRM

    async def prompt(self, ctx: Ctx) -> None:
        if not ctx.session.scratch.get(PW_VERIFIED):
            ctx.goto(State.PASSWORD_CURRENT)
            return
        if not ctx.session.scratch.get(PW_DIGEST):
            ctx.goto(State.PASSWORD_NEW)
            return
        ctx.say("password.new_confirm.prompt", secret=True, buttons=[ctx.nav_row(cancel=False)])

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.delete_input = True
        if not await second_entry_matches(ctx, text, ScratchEntry(ctx.session.scratch)):
            ctx.goto(State.PASSWORD_NEW)
            return
        member_id = ctx.require_member()
        # other log-ins end before the change (a failure then leaves the old password
        # working, and nobody logged in with it) and again after (a log-in checked against
        # the old password just before the change)
        ended = await end_other_logins(ctx, member_id)
        await ctx.ports.backend.update_member(member_id, password=text)
        ended += await end_other_logins(ctx, member_id)
        forget_password_change(ctx)
        ctx.say("password.changed")
        if ended:
            ctx.say("sessions.others_ended", count=ended)
        ctx.goto(State.PROFILE)


def steps() -> list[Step]:
    return [CurrentPasswordStep(), NewPasswordStep(), NewPasswordConfirmStep()]

"""The conversation's router: global commands first, then the current step.

``Conversation.handle(session, body)`` is the whole core for one event: it never raises
(the one error layer turns domain errors into their message and anything unexpected into
an apology, logged with context), and it always answers.
"""

from __future__ import annotations

import dataclasses
import logging

from backend.port import BackendError, Ineligibility
from handlers import (
    account,
    faq,
    first_entry,
    language,
    menu,
    password_change,
    profile,
    promotions,
    redemption,
    registration,
    status,
    support,
)
from handlers.context import Ctx, NotLoggedIn, Step
from handlers.forms import cancel_form, resume_form
from handlers.i18n import Catalog
from handlers.io import (
    Action,
    ActionIn,
    AlbumIn,
    Body,
    CommandIn,
    EditedTextIn,
    ImageIn,
    Kind,
    Outcome,
    TextIn,
)
from handlers.ports import Ports
from handlers.targets import COMMANDS, TARGETS, Target, target_of
from handlers.typed_buttons import TypedButtons, typed_button
from handlers.typed_buttons import fold_label as fold_label  # (its home before)
from states import PUBLIC_STATES, Session, State, form_of

log = logging.getLogger(__name__)

SECRET_STATES = frozenset(
    {
        State.SIGNUP_PASSWORD,
        State.SIGNUP_PASSWORD_CONFIRM,
        State.LOGIN_PASSWORD,
        State.PASSWORD_CURRENT,
        State.PASSWORD_NEW,
        State.PASSWORD_NEW_CONFIRM,
        State.RESET_NEW,
        State.RESET_NEW_CONFIRM,
    }  # (the emailed code: commands stay commands)
)
GLOBAL_COMMANDS = frozenset({"start", "menu", "cancel", "help", "status", "language"})
VIEWS = frozenset(
    {
        State.START,
        State.MENU,
        State.FAQ,
        State.STATUS,
        State.PROMOTIONS,
        State.PRODUCTS,
        State.PROFILE,
    }
)
MAX_HOPS = 8  # a prompt may redirect (e.g. to a missing field); never loop forever


def forget_first_password(ctx: Ctx) -> None:
    """Leaving the password steps: the digest of an unconfirmed first entry goes too (and a
    password change in progress is forgotten)."""
    signup = ctx.session.controls.get("signup")
    if signup is not None:
        first_entry.drop_first_entry(signup)
    first_entry.forget_password_change(ctx)


#: scratch: the form step the customer's last typed answer went to (an edit of it answers again)
LAST_ANSWER = "last_answer"


class Conversation:
    def __init__(self, ports: Ports, catalog: Catalog) -> None:
        self.ports = ports
        self.catalog = catalog
        self.steps: dict[str, Step] = {}
        self.typed = TypedButtons()
        for module in (
            menu,
            account,
            profile,
            password_change,
            registration,
            promotions,
            redemption,
            status,
            faq,
            support,
        ):
            for step in module.steps():
                self.steps[str(step.state)] = step
        missing = {str(s) for s in State} - set(self.steps)
        if missing:
            raise RuntimeError(f"states without a step: {sorted(missing)}")

    # ------------------------------------------------------------------ entry
    async def handle(self, session: Session, body: Body) -> Outcome:
        ctx = Ctx(session, self.ports, self.catalog)
        ctx.steps = self.steps
        snapshot = session.undo_point()  # (``restore`` keeps the new ``seq``)
        previous_seq = session.seq
        session.seq += 1
        before = session.state
        if before in SECRET_STATES and isinstance(body, (TextIn, CommandIn)):
            ctx.delete_input = True  # whatever happens next, the secret leaves the chat
        first_entry.drop_expired_first_entries(ctx)
        try:
            if await account.still_logged_in(ctx):
                await self.route(ctx, body, previous_seq)
            await self.show(ctx)
        except Exception as exc:  # the one error layer: the step is undone, then explained
            session.restore(snapshot)
            ctx.tapped = None
            ctx.replies.clear()
            await self.recover(ctx, exc, before)
        if ctx.replies and self.edits_in_place(ctx.tapped, before, session.state):
            ctx.replies[0] = dataclasses.replace(ctx.replies[0], replace=True)
        self.typed.remember(ctx)
        return Outcome(replies=ctx.replies, delete_input=ctx.delete_input)

    @staticmethod
    def typed_button(ctx: Ctx, text: str) -> str | None:
        if ctx.session.state in SECRET_STATES:
            return None  # a password is never read as a button
        return typed_button(ctx, text)

    @staticmethod
    def edits_in_place(tapped: Action | None, before: str, after: str) -> bool:
        """Whether the first reply should replace the message whose button was tapped:
        moving within one step (a date picker, a help button) or between the views (menu,
        FAQ, status, promotions, products, profile). Answers in a form stay in the history."""
        if tapped is None:
            return False
        if tapped.seq is not None:
            return before == after and tapped.kind not in (
                Kind.CONFIRM,
                Kind.EDIT,
                Kind.YES,
                Kind.NO,
                Kind.SKIP,
                Kind.BACK,
                Kind.CANCEL,
            )
        return tapped.kind in (Kind.MENU, Kind.FAQ_ITEM) and before in VIEWS

    async def show_current(self, session: Session) -> Outcome:
        """Show the current step again, unchanged (after a restart, or on request)."""
        ctx = Ctx(session, self.ports, self.catalog)
        ctx.steps = self.steps
        session.seq += 1
        ctx.reprompt()
        try:
            await account.still_logged_in(ctx)
            await self.show(ctx)
        except Exception as exc:
            await self.recover(ctx, exc, session.state)
        return Outcome(replies=ctx.replies)

    async def recover(self, ctx: Ctx, exc: Exception, before: str) -> None:
        if isinstance(exc, NotLoggedIn):  # the step is undone: log in first
            ctx.say("auth.required")
            ctx.session.state = State.START
        elif isinstance(exc, BackendError):
            params = dict(exc.params)
            reasons = params.pop("reasons", None)
            ctx.say(exc.key, **params)
            if isinstance(reasons, list) and reasons:  # say why, specifically
                why = [
                    Ineligibility(r.get("key", ""), r.get("params") or {})
                    for r in reasons
                    if isinstance(r, dict)
                ]
                ctx.say_text("why", promotions.reasons_text(ctx, why))
        else:
            log.exception("unexpected error in state %s for %s", ctx.session.state, ctx.session.key)
            ctx.say("error.unexpected")
        if ctx.session.state not in self.steps:
            ctx.session.state = State.MENU
        ctx.target = ctx.session.state
        try:
            await self.show(ctx)
        except Exception:  # even the prompt failed: fall back to the menu
            log.exception("prompt failed after an error for %s", ctx.session.key)
            ctx.session.state = State.MENU
            ctx.target = None
            await menu.MenuStep().prompt(ctx)

    async def show(self, ctx: Ctx) -> None:
        """Show the prompt of the state the handler moved to (following redirects)."""
        for _ in range(MAX_HOPS):
            target = ctx.target
            if target is None:
                return
            ctx.target = None
            if target not in PUBLIC_STATES and not ctx.member_id:
                ctx.say("auth.required")
                ctx.session.state = State.START
                target = State.START
            await self.steps[target].prompt(ctx)
        log.error("too many redirects for %s", ctx.session.key)

    # ------------------------------------------------------------------ routing
    def step(self, ctx: Ctx) -> Step:
        step = self.steps.get(ctx.session.state)
        if step is None:  # a state from an older version: start over, politely
            ctx.session.state = State.MENU
            step = self.steps[State.MENU]
        return step

    async def route(self, ctx: Ctx, body: Body, previous_seq: int) -> None:
        if isinstance(body, CommandIn):
            await self.command(ctx, body)
        elif isinstance(body, ActionIn):
            await self.action(ctx, body, previous_seq)
        elif isinstance(body, TextIn):
            text = body.text.strip()
            typed = self.typed_button(ctx, text)
            if not text:
                ctx.say("common.empty")
                ctx.reprompt()
            elif typed is not None:  # "I agree", "skip", "back": the button it names
                await self.action(ctx, ActionIn(typed), previous_seq)
            else:
                ctx.session.scratch[LAST_ANSWER] = ctx.session.state
                await self.step(ctx).on_text(ctx, text)
        elif isinstance(body, EditedTextIn):
            await self.edited(ctx, body)
        elif isinstance(body, ImageIn):
            await self.step(ctx).on_image(ctx, body)
        elif isinstance(body, AlbumIn) and body.images:
            await self.step(ctx).on_album(ctx, body.images)
        else:
            ctx.reprompt()

    async def edited(self, ctx: Ctx, body: EditedTextIn) -> None:
        """An edited message: the latest answer of a form is answered again with the new
        text (from the step it answered); anything else gets a hint (the summary's Edit)."""
        answered = ctx.session.scratch.get(LAST_ANSWER)
        text = body.text.strip()
        if (
            body.latest
            and text
            and answered
            and form_of(answered) is not None
            and answered not in SECRET_STATES
            and ctx.session.state not in SECRET_STATES
        ):
            ctx.session.state = answered
            ctx.say("edit.taken")
            await self.step(ctx).on_text(ctx, text)
            return
        ctx.say("edit.use_summary")
        ctx.reprompt()

    async def command(self, ctx: Ctx, cmd: CommandIn) -> None:
        name = cmd.name.lower()
        if (
            ctx.session.state in SECRET_STATES
            and name not in GLOBAL_COMMANDS
            and not (ctx.session.state in first_entry.PASSWORD_CHANGE and name in COMMANDS)
        ):
            # a password may start with "/": it is an answer, not a command (but a logged-in
            # customer changing theirs who types /profile means the command)
            await self.step(ctx).on_text(ctx, cmd.raw or f"/{cmd.name} {cmd.args}".strip())
            return
        if name == "start":
            await self.start(ctx, cmd.args.strip())
        elif name == "cancel" and ctx.session.state == State.SUPPORT_OPEN:
            await self.cancel_support(ctx)
        elif name == "cancel":
            self.cancel(ctx)
        elif name == "help":
            self.help(ctx)
        elif name == "language":
            language.offer(ctx)
        elif name in COMMANDS:
            await self.open(ctx, COMMANDS[name])
        else:
            ctx.say("common.unknown_command", command=name[:32])
            ctx.reprompt()

    async def action(self, ctx: Ctx, body: ActionIn, previous_seq: int) -> None:
        action = Action.decode(body.data)
        if action is None:
            self.expired(ctx)
            return
        if action.seq is None:  # global buttons: valid from any message
            ctx.tapped = action
            await self.global_action(ctx, action)
            return
        if action.seq != previous_seq:
            self.expired(ctx)
            return
        ctx.tapped = action
        if action.kind == Kind.CANCEL and ctx.session.state not in (State.SUPPORT_OPEN,):
            self.cancel(ctx)
            return
        await self.step(ctx).on_action(ctx, action)

    async def global_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.MENU:
            await self.open(ctx, target_of(action.value))
        elif action.kind == Kind.FAQ_ITEM and action.value in faq.FAQ_IDS:
            faq.answer(ctx, action.value)
        elif action.kind == Kind.LANGUAGE:
            await language.choose(ctx, action.value)
        elif action.kind == Kind.RATE and ctx.ports.rating is not None:
            rated = await ctx.ports.rating.rate(ctx.session.key, action.value)
            ctx.say_text(rated.key or "workspace.rated", rated.text)
        elif action.kind in (Kind.REDEEM_AGAIN, Kind.CLAIM, Kind.PROMO) and not ctx.member_id:
            ctx.say("auth.required")
            ctx.goto(State.START)
        elif action.kind == Kind.REDEEM_AGAIN:
            self.leave(ctx)
            await redemption.start_again(ctx, action.value)
        elif action.kind == Kind.CLAIM:
            await status.show_claim(ctx, action.value)
        elif action.kind == Kind.PROMO:
            self.leave(ctx)
            await redemption.start_redeem(ctx, action.value)
        else:
            self.expired(ctx)

    # ------------------------------------------------------------------ global moves
    def expired(self, ctx: Ctx) -> None:
        ctx.say("common.button_expired")
        ctx.reprompt()

    def leave(self, ctx: Ctx) -> None:
        """Leaving the current step for another journey: remember where in its form."""
        form = form_of(ctx.session.state)
        if form is not None:
            ctx.session.mark_left(ctx.session.state, form.name)
        forget_first_password(ctx)

    async def open(self, ctx: Ctx, target: Target | None) -> None:
        """Go where a menu button or a command leads (None, an unknown target: the menu)."""
        where = TARGETS[target] if target is not None else None
        if target == Target.RESUME:
            resume = ctx.session.resume
            form = form_of(resume) if resume else None
            if resume and form is not None and ctx.session.has_form(form.name):
                resume_form(ctx, resume)
            else:
                ctx.session.resume = None
                ctx.goto(State.MENU)
            return
        if where is not None and where.member and not ctx.member_id:
            ctx.say("auth.required")
            self.leave(ctx)
            ctx.goto(State.START)
            return
        if target in (Target.LOGIN, Target.SIGNUP) and ctx.member_id:
            ctx.say("auth.already")
            ctx.goto(State.MENU)
            return
        self.leave(ctx)
        if target == Target.CLOSE_SUPPORT:
            closed = await ctx.ports.support.close_for(ctx.session.key)
            ctx.say("support.closed" if closed else "support.none_open")
            ctx.goto(State.MENU if ctx.member_id else State.START)
        elif target == Target.LOGOUT:
            await account.log_out(ctx)
        elif target == Target.REDEEM:
            await redemption.start_redeem(ctx)
        elif target in (Target.REGISTER, Target.SIGNUP) and where is not None and where.state:
            await self.begin_form(ctx, target, where.state)
        elif target == Target.SUPPORT and await ctx.ports.support.has_open(ctx.session.key):
            ctx.goto(State.SUPPORT_OPEN)
        else:
            ctx.goto(where.state if where is not None and where.state else State.MENU)

    async def begin_form(self, ctx: Ctx, name: str, first: State) -> None:
        """Start a form, or continue it where the customer left it."""
        left_at = ctx.session.left_at(name)
        if left_at:
            resume_form(ctx, left_at)
            return
        if name == "register" and ctx.member_id and "member_region" not in ctx.session.scratch:
            member = await ctx.ports.backend.get_member(ctx.member_id)
            ctx.session.scratch["member_region"] = member.region
        ctx.session.drop_form(name)
        ctx.goto(first)

    def cancel(self, ctx: Ctx) -> None:
        """Cancel the form the customer is in; outside a form nothing is dropped (a form
        left earlier stays offered as "Continue" in the menu)."""
        changing_password = ctx.session.state in first_entry.PASSWORD_CHANGE
        forget_first_password(ctx)
        form = form_of(ctx.session.state)
        if changing_password:
            ctx.say("password.cancelled")
            ctx.goto(State.MENU)
            return
        if form is not None:
            cancel_form(ctx, form.name)
        elif ctx.session.state == State.SUPPORT_COMPOSE:
            ctx.say("support.compose_cancelled")
        else:
            ctx.say("common.nothing_to_cancel")
        ctx.goto(State.MENU if ctx.member_id else State.START)

    async def cancel_support(self, ctx: Ctx) -> None:
        """A typed /cancel while the support request is open: it is cancelled (the staff
        side is told by the channel); writing to support again opens a new one."""
        closed = await ctx.ports.support.close_for(ctx.session.key)
        ctx.say("support.cancelled" if closed else "support.none_open")
        ctx.goto(State.MENU if ctx.member_id else State.START)

    def help(self, ctx: Ctx) -> None:
        state = ctx.session.state
        key = f"help.state.{state}"
        if not self.catalog.has(key):
            form = form_of(state)
            key = f"help.form.{form.name}" if form else "help.general"
        ctx.say_text(
            key, ctx.t(key) + "\n\n" + ctx.t("help.commands")
        )  # one message, then the step
        ctx.reprompt()

    async def start(self, ctx: Ctx, payload: str) -> None:
        self.leave(ctx)  # Telegram users press Start often: a form in progress is kept
        if payload.startswith("promo_") or payload.startswith("promo-"):
            code = payload[6:]
            if ctx.member_id:
                self.leave(ctx)
                await redemption.start_redeem(ctx, code)
                return
            ctx.session.scratch["deep_link_promo"] = code
        if ctx.member_id:
            ctx.goto(State.MENU)
        else:
            ctx.goto(State.START)

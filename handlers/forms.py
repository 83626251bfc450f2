"""Generic form steps: one field per state, Back / Skip / Cancel, a summary with an Edit
button per field, and resuming with everything entered kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.context import Ctx, Step
from handlers.images import receive_image
from handlers.io import Action, Button, ImageIn, Kind
from handlers.targets import Target
from handlers.validators import Invalid
from states import FORMS as FORMS_BY_NAME
from states import Field, FieldKind, Form, FormControl, State, form_of


def resume_form(ctx: Ctx, state: str) -> None:
    """Back to a form where the customer left it, with everything entered kept."""
    form = form_of(state)
    if form is not None:
        ctx.session.control(form.name).left_at = None
    if ctx.session.resume == state:
        ctx.session.resume = None
    ctx.say("menu.resumed")
    ctx.goto(state)


async def ctx_step_text(ctx: Ctx, state: str, text: str) -> None:
    """Hand typed text to another step (used when a confirmation gets a fresh value)."""
    step = ctx.steps.get(state)
    if step is not None:
        await step.on_text(ctx, text)


#: ``scratch``: per form, fields to pass over once on the way forward (Back shows them)
SKIP_ONCE = "skip_once"


def skip_once(ctx: Ctx, form: str, field: str) -> bool:
    """Whether to pass over ``field`` this once (asked as usual when come back to)."""
    pending = (ctx.session.scratch.get(SKIP_ONCE) or {}).get(form) or []
    if field not in pending:
        return False
    pending.remove(field)
    return True


#: ``scratch`` key of a form just cancelled, kept for one turn so "Undo" can bring it back
UNDO = "undo_cancel"
UNDO_VALUE = "undo"


def cancel_form(ctx: Ctx, name: str) -> None:
    """Cancel form ``name``. A form with something entered is kept aside for one turn and the
    message offers Undo; a rejected claim being redone stays as it was (and is said so)."""
    values = ctx.session.forms.get(name) or {}
    control = ctx.session.controls.get(name)
    redoing = name == "again" or (control is not None and bool(control.claim_id))
    what = ctx.t(f"form.{name}")
    if values:
        ctx.session.scratch[UNDO] = {
            "form": name,
            "state": ctx.session.state,
            "values": values,
            "control": control.to_dict() if control is not None else {},
        }
    ctx.session.drop_form(name)
    if ctx.session.resume and form_of(ctx.session.resume) is FORMS_BY_NAME.get(name):
        ctx.session.resume = None
    buttons = [[ctx.button("btn.undo", Kind.OPTION, UNDO_VALUE)]] if values else []
    if redoing:
        ctx.say("common.cancelled_claim_kept", what=what, buttons=buttons)
    elif values:
        ctx.say("common.cancelled_undo", what=what, buttons=buttons)
    else:
        ctx.say("common.cancelled", what=what)


def undo_cancel(ctx: Ctx) -> bool:
    """Bring back the form cancelled on the turn before, at the step it was cancelled at."""
    kept = ctx.session.scratch.pop(UNDO, None)
    if not isinstance(kept, dict) or kept.get("form") not in FORMS_BY_NAME:
        return False
    name = kept["form"]
    ctx.session.forms[name] = dict(kept.get("values") or {})
    ctx.session.controls[name] = FormControl.from_dict(kept.get("control") or {})
    ctx.say("common.undone", what=ctx.t(f"form.{name}"))
    ctx.goto(kept.get("state") or FORMS_BY_NAME[name].fields[0].state)
    return True


def continue_row(ctx: Ctx) -> list[Button]:
    """A "Continue: <form>" button when the customer left a form to look at something else."""
    resume = ctx.session.resume
    form = form_of(resume) if resume else None
    if form is None or not ctx.session.has_form(form.name):
        return []
    return [ctx.menu_button("btn.resume", Target.RESUME, what=ctx.t(f"form.{form.name}"))]


class FieldStep(Step):
    """Asks for one field. Subclasses implement ``parse`` (text) and/or ``choices``."""

    takes_text = True  # typed answers (False: choose a button, or send a picture)

    def __init__(self, form: Form, field: Field) -> None:
        self.form = form
        self.field = field
        self.state = field.state

    # -- helpers ----------------------------------------------------------------
    def values(self, ctx: Ctx) -> dict[str, Any]:
        """What the customer entered in this form."""
        return ctx.session.form(self.form.name)

    def control(self, ctx: Ctx) -> FormControl:
        """The form's own control state."""
        return ctx.session.control(self.form.name)

    def editing(self, ctx: Ctx) -> bool:
        return self.control(ctx).editing

    def prompt_key(self) -> str:
        return f"{self.field.state}.prompt"

    def prompt_params(self, ctx: Ctx) -> dict[str, Any]:
        return {}

    def choices(self, ctx: Ctx) -> list[list[Button]]:
        """Option rows shown above the navigation row."""
        return []

    def nav(self, ctx: Ctx) -> list[Button]:
        return ctx.nav_row(skip=self.field.optional)

    async def prompt(self, ctx: Ctx) -> None:
        if not self.editing(ctx) and skip_once(ctx, self.form.name, self.field.name):
            self.advance(ctx)  # nothing to ask here (offered in one choice, or on the summary)
            return
        rows = [*self.choices(ctx), self.nav(ctx)]
        ctx.say(
            self.prompt_key(), buttons=rows, free_text=self.takes_text, **self.prompt_params(ctx)
        )
        current = self.values(ctx).get(self.field.name)
        if self.editing(ctx) and current not in (None, ""):
            ctx.say("common.current_value", value=self.display(ctx, current))

    def display(self, ctx: Ctx, value: Any) -> str:
        return str(value)

    # -- input ------------------------------------------------------------------
    async def parse(self, ctx: Ctx, text: str) -> Any:
        """Turn typed text into the stored value; raise ``Invalid`` with a catalog key."""
        raise Invalid("common.use_buttons")

    async def on_text(self, ctx: Ctx, text: str) -> None:
        try:
            value = await self.parse(ctx, text)
        except Invalid as exc:
            ctx.explain(exc)
            ctx.reprompt()
            return
        await self.accept(ctx, value)

    async def on_option(self, ctx: Ctx, value: str) -> None:
        await self.on_text(ctx, value)

    async def accept(self, ctx: Ctx, value: Any) -> None:
        self.values(ctx)[self.field.name] = value
        self.advance(ctx)

    def advance(self, ctx: Ctx) -> None:
        ctx.goto(self.form.next_state(self.field, self.editing(ctx)))

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.BACK:
            self.back(ctx)
        elif action.kind == Kind.SKIP and self.field.optional:
            self.values(ctx)[self.field.name] = ""
            self.advance(ctx)
        elif action.kind == Kind.OPTION:
            await self.on_option(ctx, action.value)
        elif action.kind == Kind.EDIT and await self.retake_field(ctx, action.value):
            return
        else:
            await super().on_action(ctx, action)

    async def retake_field(self, ctx: Ctx, name: str) -> bool:
        """A "Change" button under a value just taken for the customer (read off a photo,
        said with the button): back to that field of this form, editable ones only."""
        field = next((f for f in self.form.fields if f.name == name and f.editable), None)
        step = ctx.steps.get(field.state) if field is not None else None
        if not isinstance(step, FieldStep):
            return False
        await step.retake(ctx)
        return True

    async def retake(self, ctx: Ctx) -> None:
        """Asked again on the way forward (what was entered after it stays)."""
        self.control(ctx).editing = False
        ctx.goto(self.state)

    def back(self, ctx: Ctx) -> None:
        if self.editing(ctx):
            ctx.goto(self.form.summary)
            return
        previous = self.form.previous_state(self.field)
        if previous is None:  # out of the form: keep it, the menu offers to continue
            ctx.session.mark_left(self.state, self.form.name)
            ctx.goto(State.MENU)
        else:
            ctx.goto(previous)


def field_steps(
    form: Form,
    by_kind: Mapping[FieldKind, type[FieldStep]],
    by_name: Mapping[str, type[FieldStep]] | None = None,
) -> dict[str, FieldStep]:
    """One step per field of ``form``, in its order: the class ``by_name`` names for the
    field, else the one for its kind. The form's fields are the one list of what is asked;
    a field whose kind has no step is a programming error, raised at start-up."""
    steps: dict[str, FieldStep] = {}
    for field in form.fields:
        cls = (by_name or {}).get(field.name) or by_kind.get(field.kind)
        if cls is None:
            raise LookupError(f"no step for field {form.name}.{field.name} of kind {field.kind}")
        steps[field.name] = cls(form, field)
    unknown = set(by_name or ()) - set(steps)
    if unknown:
        raise LookupError(f"{form.name} has no fields {sorted(unknown)}")
    return steps


class ImageFieldStep(FieldStep):
    """A field that takes a photo or an image file, normalised and stored by content."""

    takes_text = False

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.say("image.expected")
        ctx.reprompt()

    async def on_image(self, ctx: Ctx, image: ImageIn) -> None:
        ref = await receive_image(ctx, image)
        if ref is not None:
            ctx.say("image.received")
            await self.accept(ctx, ref)
        else:
            ctx.reprompt()

    async def on_album(self, ctx: Ctx, images: tuple[ImageIn, ...]) -> None:
        ctx.say("image.album_first", count=len(images))
        await self.on_image(ctx, images[0])

    def display(self, ctx: Ctx, value: Any) -> str:
        return ctx.t("summary.image_received")


class SummaryStep(Step):
    """Shows a form's values with an Edit button per field; Confirm submits."""

    confirm_key = "btn.confirm"

    def hint(self, ctx: Ctx) -> str:
        return ctx.t(f"{self.state}.hint")

    def __init__(self, form: Form, fields: dict[str, FieldStep]) -> None:
        self.form = form
        self.state = form.summary
        self.steps = fields

    def values(self, ctx: Ctx) -> dict[str, Any]:
        return ctx.session.form(self.form.name)

    def control(self, ctx: Ctx) -> FormControl:
        return ctx.session.control(self.form.name)

    def lines(self, ctx: Ctx) -> list[str]:
        values = self.values(ctx)
        out = []
        for field in self.form.fields:
            value = values.get(field.name)
            shown = (
                self.steps[field.name].display(ctx, value)
                if value not in (None, "")
                else ctx.t("summary.empty")
            )
            out.append(
                ctx.t(
                    "summary.line", label=ctx.t(f"field.{self.form.name}.{field.name}"), value=shown
                )
            )
        return out

    def edit_rows(self, ctx: Ctx) -> list[list[Button]]:
        editable = [f for f in self.form.fields if f.editable]
        return ctx.options(
            (
                (f.name, ctx.t("btn.edit_field", label=ctx.t(f"field.{self.form.name}.{f.name}")))
                for f in editable
            ),
            per_row=2,
            kind=Kind.EDIT,
        )

    async def prompt(self, ctx: Ctx) -> None:
        values = self.values(ctx)
        self.control(ctx).editing = False
        missing = self.form.first_missing(values)
        if missing is not None:  # e.g. resumed after a field was cleared: ask it first
            ctx.goto(missing.state)
            return
        text = "\n".join([ctx.t(f"{self.state}.title"), "", *self.lines(ctx), "", self.hint(ctx)])
        rows = [[ctx.button(self.confirm_key, Kind.CONFIRM)], *self.edit_rows(ctx), ctx.nav_row()]
        ctx.say_text(f"{self.state}.title", text, rows)

    async def on_action(self, ctx: Ctx, action: Action) -> None:
        if action.kind == Kind.CONFIRM:
            await self.submit(ctx)
        elif (
            action.kind == Kind.EDIT
            and action.value in self.steps
            and self.form.field(action.value).editable
        ):
            self.control(ctx).editing = True
            ctx.goto(self.form.field(action.value).state)
        elif action.kind == Kind.BACK:
            ctx.goto([f for f in self.form.fields if f.asked][-1].state)
        else:
            await super().on_action(ctx, action)

    async def on_text(self, ctx: Ctx, text: str) -> None:
        ctx.say("summary.use_buttons")
        ctx.reprompt()

    async def submit(self, ctx: Ctx) -> None:  # pragma: no cover - subclasses implement
        raise NotImplementedError

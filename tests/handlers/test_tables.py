"""The tables the journeys are built from: each form's fields -> its steps (by kind), the
action kinds (their stored values), and the one table of menu targets."""

from __future__ import annotations

import pytest

from handlers import account, redemption, registration
from handlers.common import COMMON_STEPS, TextStep
from handlers.forms import FieldStep, field_steps
from handlers.io import Action, Kind
from handlers.targets import COMMANDS, TARGETS, Target, target_of
from states import FORMS, FieldKind, State

JOURNEYS = {
    "signup": account.signup_steps(),
    "register": field_steps(FORMS["register"], registration.STEPS),
    "redeem": field_steps(FORMS["redeem"], redemption.STEPS, redemption.BY_NAME),
}


@pytest.mark.parametrize("name", sorted(JOURNEYS))
def test_every_field_gets_the_step_of_its_kind_in_the_form_order(name: str) -> None:
    form, steps = FORMS[name], JOURNEYS[name]
    assert list(steps) == [f.name for f in form.fields]
    for field in form.fields:
        step = steps[field.name]
        assert step.field is field and step.form is form and step.state == field.state
        assert isinstance(step, FieldStep)


def test_kinds_choose_the_journey_specific_steps() -> None:
    reg = JOURNEYS["register"]
    assert type(reg["serial"]) is registration.SerialStep
    assert type(reg["region"]) is registration.PurchaseRegionStep  # replaces the common one
    assert type(reg["model"]) is TextStep
    redeem = JOURNEYS["redeem"]
    assert type(redeem["note"]) is redemption.NoteStep  # by name: a longer text
    assert (
        type(redeem["city"]) is redemption.CityStep  # by name: not a postal code (item 9)
        and type(redeem["phone"]) is redemption.RecipientPhoneStep
    )
    assert type(JOURNEYS["signup"]["email"]) is account.EmailStep


def test_a_field_without_a_step_fails_at_start_up() -> None:
    with pytest.raises(LookupError, match="register.category of kind category"):
        field_steps(FORMS["register"], COMMON_STEPS)
    with pytest.raises(LookupError, match="no fields"):
        field_steps(
            FORMS["signup"], {**COMMON_STEPS, FieldKind.EMAIL: TextStep}, {"nope": TextStep}
        )


def test_every_field_kind_is_used_by_some_form() -> None:
    used = {f.kind for form in FORMS.values() for f in form.fields}
    assert used == set(FieldKind)


def test_action_kinds_keep_their_stored_values() -> None:
    stored = {
        "BACK": "b",
        "CANCEL": "x",
        "SKIP": "s",
        "CONFIRM": "ok",
        "EDIT": "e",
        "YES": "y",
        "NO": "n",
        "OPTION": "o",
        "MENU": "m",
        "REDEEM_AGAIN": "ra",
        "CLAIM": "cl",
        "PROMO": "pr",
        "FAQ_ITEM": "fq",
        "LANGUAGE": "lg",
        "RATE": "rate",
        "REVIEW": "rv",
    }
    assert {k.name: k.value for k in Kind} == stored
    for kind in Kind:
        assert Action.decode(Action(kind, "v", 3).encode()) == Action(kind, "v", 3)
        assert Action.decode(f"{kind.value}:x") == Action(kind, "x", None)
    assert Action(Kind.MENU, Target.REDEEM).encode() == "m:redeem"


@pytest.mark.parametrize("data", ["zz:x", ":x", "B:x~1", "menu:redeem"])
def test_an_unknown_kind_is_not_an_action(data: str) -> None:
    assert Action.decode(data) is None


def test_the_targets_table() -> None:
    assert COMMANDS == {
        "menu": "menu",
        "status": "status",
        "faq": "faq",
        "support": "support",
        "register": "register",
        "redeem": "redeem",
        "profile": "profile",
        "login": "login",
        "signup": "signup",
        "logout": "logout",
        "promotions": "promos",
        "promos": "promos",
        "products": "products",
    }
    assert {t for t, d in TARGETS.items() if d.member} == {
        "register",
        "redeem",
        "status",
        "products",
        "profile",
        "logout",
    }
    assert set(TARGETS) == set(Target)
    views = {t: d.state for t, d in TARGETS.items() if d.state is not None}
    assert (
        views[Target.PROMOS] == State.PROMOTIONS and views[Target.SUPPORT] == State.SUPPORT_COMPOSE
    )
    assert target_of("promos") is Target.PROMOS and target_of("nowhere") is None

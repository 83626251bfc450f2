"""Every state of the conversation, in one place, and the forms that walk through them.

A *form* is an ordered list of fields; each field is one state. The transitions of a
form are pure functions of that order (next, previous, back to the summary when
editing), so the journeys never hard-code "what comes after the model name".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    # entry points
    START = "start"
    MENU = "menu"

    # account: sign up
    SIGNUP_EMAIL = "signup.email"
    SIGNUP_PASSWORD = "signup.password"
    SIGNUP_PASSWORD_CONFIRM = "signup.password_confirm"
    SIGNUP_FIRST_NAME = "signup.first_name"
    SIGNUP_LAST_NAME = "signup.last_name"
    SIGNUP_REGION = "signup.region"
    SIGNUP_PHONE = "signup.phone"
    SIGNUP_NEWSLETTER = "signup.newsletter"
    SIGNUP_REWARD_TERMS = "signup.reward_terms"
    SIGNUP_PRIVACY = "signup.privacy"
    SIGNUP_SUMMARY = "signup.summary"
    # account: log in, profile
    LOGIN_EMAIL = "login.email"
    LOGIN_PASSWORD = "login.password"
    PROFILE = "profile"
    PROFILE_EDIT = "profile.edit"
    PASSWORD_CURRENT = "password.current"  # change password: the current one, then the new twice
    PASSWORD_NEW = "password.new"
    PASSWORD_NEW_CONFIRM = "password.new_confirm"
    # account: the code emailed to prove the address (sign-up) or to reset the password
    EMAIL_CODE = "email.code"
    RESET_NEW = "reset.new"
    RESET_NEW_CONFIRM = "reset.new_confirm"

    # product registration
    REG_CATEGORY = "reg.category"
    REG_PRODUCT_NAME = "reg.product_name"
    REG_MODEL = "reg.model"
    REG_SERIAL = "reg.serial"
    REG_SERIAL_CONFIRM = "reg.serial_confirm"
    REG_CHK = "reg.chk"
    REG_REGION = "reg.region"
    REG_STORE = "reg.store"
    REG_PURCHASE_DATE = "reg.purchase_date"
    REG_DATE_CONFIRM = "reg.date_confirm"
    REG_CHANNEL = "reg.channel"
    REG_INVOICE = "reg.invoice"
    REG_SUMMARY = "reg.summary"

    # products and promotions
    PRODUCTS = "products"
    PROMOTIONS = "promotions"

    # redeem
    REDEEM_PROMOTION = "redeem.promotion"
    REDEEM_PRODUCT = "redeem.product"
    REDEEM_SN_PHOTO = "redeem.sn_photo"
    REDEEM_FIRST_NAME = "redeem.first_name"
    REDEEM_LAST_NAME = "redeem.last_name"
    REDEEM_ZIP = "redeem.zip"
    REDEEM_CITY = "redeem.city"
    REDEEM_STATE = "redeem.state"
    REDEEM_STREET = "redeem.street"
    REDEEM_UNIT = "redeem.unit"
    REDEEM_PHONE = "redeem.phone"
    REDEEM_NOTE = "redeem.note"
    REDEEM_SUMMARY = "redeem.summary"
    # redeem again after a rejection: only what the reason asks for
    AGAIN_INVOICE = "again.invoice"
    AGAIN_SN_PHOTO = "again.sn_photo"
    AGAIN_SERIAL = "again.serial"
    AGAIN_SUMMARY = "again.summary"

    # status
    STATUS = "status"

    # FAQ and support
    FAQ = "faq"
    SUPPORT_COMPOSE = "support.compose"
    SUPPORT_OPEN = "support.open"


class FieldKind(StrEnum):
    """What kind of value a field takes. The journeys build each field's step from its
    kind (``handlers.forms.field_steps``): the step asks, validates and shows the value."""

    TEXT = "text"
    NAME = "name"
    EMAIL = "email"
    REGION = "region"
    PHONE = "phone"
    ZIP = "zip"
    YESNO = "yesno"
    CONSENT = "consent"  # a yes/no that must be yes
    CATEGORY = "category"
    CHANNEL = "channel"
    SERIAL = "serial"
    CHK = "chk"
    DATE = "date"
    IMAGE = "image"
    PROMOTION = "promotion"  # one of the promotions the member may redeem
    PRODUCT = "product"  # one of the member's products eligible for it


@dataclass(frozen=True, slots=True)
class Field:
    """One step of a form: the state it is asked in, and what kind of value it takes.

    ``kind`` chooses the step the journeys ask it with; ``optional`` fields offer a Skip
    button; fields not ``editable`` get no Edit button on the summary.
    """

    name: str
    state: State
    kind: FieldKind
    optional: bool = False
    editable: bool = True


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    fields: tuple[Field, ...]
    summary: State

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def next_state(self, current: Field, editing: bool) -> State:
        """Where to go once ``current`` holds a valid value."""
        if editing:
            return self.summary
        i = self.fields.index(current)
        return self.fields[i + 1].state if i + 1 < len(self.fields) else self.summary

    def previous_state(self, current: Field) -> State | None:
        """Where Back leads from ``current``; None when it is the first field."""
        i = self.fields.index(current)
        return self.fields[i - 1].state if i > 0 else None

    def first_missing(self, values: Mapping[str, object]) -> Field | None:
        for f in self.fields:
            if not f.optional and values.get(f.name) in (None, ""):
                return f
        return None


_K = FieldKind  # short, for the tables below

SIGNUP = Form(
    "signup",
    (
        Field("email", State.SIGNUP_EMAIL, _K.EMAIL),
        Field("first_name", State.SIGNUP_FIRST_NAME, _K.NAME),
        Field("last_name", State.SIGNUP_LAST_NAME, _K.NAME, optional=True),
        Field("region", State.SIGNUP_REGION, _K.REGION),
        Field("phone", State.SIGNUP_PHONE, _K.PHONE, optional=True),
        Field("newsletter", State.SIGNUP_NEWSLETTER, _K.YESNO),
        Field("reward_terms", State.SIGNUP_REWARD_TERMS, _K.YESNO),
        Field("privacy", State.SIGNUP_PRIVACY, _K.CONSENT),
    ),
    State.SIGNUP_SUMMARY,
)
# The password is asked after the summary (SIGNUP_PASSWORD, SIGNUP_PASSWORD_CONFIRM) and
# sent straight to the backend: a plain password is never part of a saved session.

REGISTRATION = Form(
    "register",
    (
        Field("category", State.REG_CATEGORY, _K.CATEGORY),
        Field("product_name", State.REG_PRODUCT_NAME, _K.TEXT),
        Field("model", State.REG_MODEL, _K.TEXT),
        Field("serial", State.REG_SERIAL, _K.SERIAL),
        Field("chk", State.REG_CHK, _K.CHK),
        Field("region", State.REG_REGION, _K.REGION),
        Field("store", State.REG_STORE, _K.TEXT),
        Field("purchase_date", State.REG_PURCHASE_DATE, _K.DATE),
        Field("channel", State.REG_CHANNEL, _K.CHANNEL),
        Field("invoice", State.REG_INVOICE, _K.IMAGE),
    ),
    State.REG_SUMMARY,
)

REDEEM = Form(
    "redeem",
    (
        Field("promotion", State.REDEEM_PROMOTION, _K.PROMOTION, editable=False),
        Field("product", State.REDEEM_PRODUCT, _K.PRODUCT),
        Field("sn_photo", State.REDEEM_SN_PHOTO, _K.IMAGE),
        Field("first_name", State.REDEEM_FIRST_NAME, _K.NAME),
        Field("last_name", State.REDEEM_LAST_NAME, _K.NAME),
        Field("zip", State.REDEEM_ZIP, _K.ZIP),
        Field("city", State.REDEEM_CITY, _K.TEXT),
        Field("state", State.REDEEM_STATE, _K.TEXT, optional=True),
        Field("street", State.REDEEM_STREET, _K.TEXT),
        Field("unit", State.REDEEM_UNIT, _K.TEXT, optional=True),
        Field("phone", State.REDEEM_PHONE, _K.PHONE),
        Field("note", State.REDEEM_NOTE, _K.TEXT, optional=True),
    ),
    State.REDEEM_SUMMARY,
)

#: the fields a customer may change when redeeming again (reason "fix a field")
AGAIN = Form(
    "again",
    (
        Field("invoice", State.AGAIN_INVOICE, _K.IMAGE, optional=True),
        Field("sn_photo", State.AGAIN_SN_PHOTO, _K.IMAGE, optional=True),
        Field("serial", State.AGAIN_SERIAL, _K.SERIAL, optional=True),
    ),
    State.AGAIN_SUMMARY,
)

FORMS: dict[str, Form] = {f.name: f for f in (SIGNUP, REGISTRATION, REDEEM, AGAIN)}

_FORM_OF_STATE: dict[str, Form] = {}
for _form in FORMS.values():
    _FORM_OF_STATE[_form.summary] = _form
    for _f in _form.fields:
        _FORM_OF_STATE[_f.state] = _form
# confirmation sub-steps belong to the registration form
_FORM_OF_STATE[State.REG_SERIAL_CONFIRM] = REGISTRATION
_FORM_OF_STATE[State.REG_DATE_CONFIRM] = REGISTRATION
_FORM_OF_STATE[State.SIGNUP_PASSWORD] = SIGNUP
_FORM_OF_STATE[State.SIGNUP_PASSWORD_CONFIRM] = SIGNUP


def form_of(state: str) -> Form | None:
    """The form a state belongs to, if any (used to resume and to cancel)."""
    return _FORM_OF_STATE.get(state)


#: states reachable without being logged in
PUBLIC_STATES: frozenset[State] = frozenset(
    {
        State.START,
        State.MENU,
        State.FAQ,
        State.PROMOTIONS,
        State.LOGIN_EMAIL,
        State.LOGIN_PASSWORD,
        State.SUPPORT_COMPOSE,
        State.SUPPORT_OPEN,
        State.EMAIL_CODE,
        State.RESET_NEW,
        State.RESET_NEW_CONFIRM,
    }
    | {f.state for f in SIGNUP.fields}
    | {SIGNUP.summary, State.SIGNUP_PASSWORD, State.SIGNUP_PASSWORD_CONFIRM}
)

"""Every state of the conversation, in one place, and the forms that walk through them.

A *form* is an ordered list of fields; each field is one state. The transitions of a
form are pure functions of that order (next, previous, back to the summary when
editing), so the journeys never hard-code "what comes after the model name".
"""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class Field:
    """One step of a form: the state it is asked in, and what kind of value it takes.

    ``kind`` names the validator the journeys apply (``text``, ``email``, ``password``,
    ``choice``, ``region``, ``phone``, ``consent``, ``yesno``, ``serial``, ``chk``,
    ``date``, ``image``). ``optional`` fields offer a Skip button.
    """

    name: str
    state: State
    kind: str
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

    def first_missing(self, values: dict) -> Field | None:
        for f in self.fields:
            if not f.optional and values.get(f.name) in (None, ""):
                return f
        return None


SIGNUP = Form(
    "signup",
    (
        Field("email", State.SIGNUP_EMAIL, "email"),
        Field("first_name", State.SIGNUP_FIRST_NAME, "name"),
        Field("last_name", State.SIGNUP_LAST_NAME, "name", optional=True),
        Field("region", State.SIGNUP_REGION, "region"),
        Field("phone", State.SIGNUP_PHONE, "phone", optional=True),
        Field("newsletter", State.SIGNUP_NEWSLETTER, "yesno"),
        Field("reward_terms", State.SIGNUP_REWARD_TERMS, "yesno"),
        Field("privacy", State.SIGNUP_PRIVACY, "consent"),
    ),
    State.SIGNUP_SUMMARY,
)
# The password is asked after the summary (SIGNUP_PASSWORD, SIGNUP_PASSWORD_CONFIRM) and
# sent straight to the backend: a plain password is never part of a saved session.

REGISTRATION = Form(
    "register",
    (
        Field("category", State.REG_CATEGORY, "category"),
        Field("product_name", State.REG_PRODUCT_NAME, "text"),
        Field("model", State.REG_MODEL, "text"),
        Field("serial", State.REG_SERIAL, "serial"),
        Field("chk", State.REG_CHK, "chk"),
        Field("region", State.REG_REGION, "region"),
        Field("store", State.REG_STORE, "text"),
        Field("purchase_date", State.REG_PURCHASE_DATE, "date"),
        Field("channel", State.REG_CHANNEL, "channel"),
        Field("invoice", State.REG_INVOICE, "image"),
    ),
    State.REG_SUMMARY,
)

REDEEM = Form(
    "redeem",
    (
        Field("promotion", State.REDEEM_PROMOTION, "promotion", editable=False),
        Field("product", State.REDEEM_PRODUCT, "product"),
        Field("sn_photo", State.REDEEM_SN_PHOTO, "image"),
        Field("first_name", State.REDEEM_FIRST_NAME, "name"),
        Field("last_name", State.REDEEM_LAST_NAME, "name"),
        Field("zip", State.REDEEM_ZIP, "zip"),
        Field("city", State.REDEEM_CITY, "text"),
        Field("state", State.REDEEM_STATE, "text", optional=True),
        Field("street", State.REDEEM_STREET, "text"),
        Field("unit", State.REDEEM_UNIT, "text", optional=True),
        Field("phone", State.REDEEM_PHONE, "phone"),
        Field("note", State.REDEEM_NOTE, "text", optional=True),
    ),
    State.REDEEM_SUMMARY,
)

#: the fields a customer may change when redeeming again (reason "fix a field")
AGAIN = Form(
    "again",
    (
        Field("invoice", State.AGAIN_INVOICE, "image", optional=True),
        Field("sn_photo", State.AGAIN_SN_PHOTO, "image", optional=True),
        Field("serial", State.AGAIN_SERIAL, "serial", optional=True),
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
    {State.START, State.MENU, State.FAQ, State.PROMOTIONS, State.LOGIN_EMAIL, State.LOGIN_PASSWORD,
     State.SUPPORT_COMPOSE, State.SUPPORT_OPEN, State.EMAIL_CODE, State.RESET_NEW, State.RESET_NEW_CONFIRM}
    | {f.state for f in SIGNUP.fields}
    | {SIGNUP.summary, State.SIGNUP_PASSWORD, State.SIGNUP_PASSWORD_CONFIRM}
)

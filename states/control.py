"""A form's own control state, kept apart from the values the customer entered.

``Session.forms[name]`` holds only what the customer typed or chose for the form's fields
(and is what the summary shows and the backend receives); ``Session.controls[name]`` is
a :class:`FormControl`: where the form stands (editing from the summary, where it was
left), what a step is waiting to have confirmed (a serial reading, two possible dates),
what the submission needs (its idempotency nonce, the claim redone) and the first entry
of a new password (a slow hash only, never the password).

Plain data, JSON-serialisable through ``to_dict`` / ``from_dict`` (defaults left out, so
an untouched form costs nothing in the saved session).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(slots=True)
class FormControl:
    """The control state of one form (see the module docstring)."""

    # -- where the form stands ------------------------------------------------------------
    editing: bool = False  #: the customer came from the summary: a valid value goes back there
    left_at: str | None = None  #: the step the customer left the form at (the menu offers it)
    # -- what the submission needs ----------------------------------------------------------
    nonce: str | None = None  #: makes a repeated Confirm the same submission (idempotency)
    claim_id: str | None = None  #: the rejected claim this form redoes ("redeem again")
    fix: str | None = None  #: what the rejection asks to be redone ("invoice", "serial", ...)
    member_region: str | None = None  #: the member's region: reads zip codes and phone numbers
    promotion_name: str | None = None  #: shown for the promotion chosen (the value is its code)
    product_label: str | None = None  #: shown for the product chosen (the value is its id)
    # -- what a step waits for --------------------------------------------------------------
    region_matches: list[str] = field(default_factory=list)  #: region codes offered as buttons
    picker: str | None = None  #: date picker page: "months", or "YYYY-MM" while days are shown
    serial_reading: dict[str, Any] | None = None  #: a serial reading to confirm (CodeReading)
    serial_source: str | None = None  #: where that reading came from when off a photo
    chk_reading: str | None = None  #: the CHK read off the same photo
    date_candidates: list[str] = field(default_factory=list)  #: ISO dates the text may mean
    # -- the first entry of a new password ------------------------------------------------
    pw_hash: str | None = None  #: slow, peppered hash of the first entry; never the password
    pw_until: str | None = None  #: when that hash stops being accepted (ISO time)

    def empty(self) -> bool:
        """Nothing set: the same as no control state at all."""
        return not self.to_dict()

    def clear_serial_reading(self) -> None:
        """Forget a serial reading waiting to be confirmed (and what came with it)."""
        self.serial_reading = self.serial_source = self.chk_reading = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly, defaults left out."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in (None, False, [], {}):
                out[f.name] = list(value) if isinstance(value, list) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FormControl:
        """From ``to_dict``'s output; unknown keys (a newer version's) are ignored."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


#: payload version 1 kept control flags in the form's values under these keys
LEGACY_KEYS: dict[str, str] = {
    "_edit": "editing",
    "_at": "left_at",
    "nonce": "nonce",
    "_again": "claim_id",  # the redeem form redoing a claim
    "claim_id": "claim_id",  # the "again" form
    "fix": "fix",
    "_region": "member_region",
    "promotion_name": "promotion_name",
    "product_label": "product_label",
    "_region_matches": "region_matches",
    "_picker": "picker",
    "_serial_pending": "serial_reading",
    "_serial_source": "serial_source",
    "_chk_pending": "chk_reading",
    "_date_candidates": "date_candidates",
    "_pw_hash": "pw_hash",
    "_pw_until": "pw_until",
}


def split_legacy(values: dict[str, Any]) -> dict[str, Any]:
    """Take the control flags of a version-1 form out of ``values`` (in place); return
    them as ``FormControl.to_dict`` would."""
    control: dict[str, Any] = {}
    for old, new in LEGACY_KEYS.items():
        if old in values:
            value = values.pop(old)
            if new in ("region_matches", "date_candidates"):
                value = list(value or [])
            elif new == "editing":
                value = bool(value)
            if value not in (None, False, [], ""):
                control[new] = value
    return control

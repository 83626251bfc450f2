"""The first entry of a new password, kept until the second matches: only a slow, peppered
argon2id hash of it with an expiry, in the sign-up form's control state or in the scratch
space of a password change or reset. Never the password itself."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from handlers import validators as v
from handlers.context import Ctx
from states import State

PW_DIGEST = (
    "_pw_hash"  # scratch: slow, peppered hash of the first password entry; never the password
)
PW_UNTIL = "_pw_until"  # scratch: when that hash stops being accepted (ISO time)
PW_TTL = dt.timedelta(minutes=15)


class FirstEntry(Protocol):
    """Where the first entry of a new password is kept until the second: the sign-up form's
    control state (``FormControl``), or the scratch space of a change or reset
    (``ScratchEntry``)."""

    pw_hash: str | None
    pw_until: str | None


class ScratchEntry:
    """The first entry of a password change or reset, in the session's scratch space."""

    def __init__(self, scratch: dict[str, Any]) -> None:
        self._scratch = scratch

    def _get(self, key: str) -> str | None:
        value = self._scratch.get(key)
        return None if value is None else str(value)

    def _set(self, key: str, value: str | None) -> None:
        if value is None:
            self._scratch.pop(key, None)
        else:
            self._scratch[key] = value

    @property
    def pw_hash(self) -> str | None:
        return self._get(PW_DIGEST)

    @pw_hash.setter
    def pw_hash(self, value: str | None) -> None:
        self._set(PW_DIGEST, value)

    @property
    def pw_until(self) -> str | None:
        return self._get(PW_UNTIL)

    @pw_until.setter
    def pw_until(self, value: str | None) -> None:
        self._set(PW_UNTIL, value)


def _first_entry_hasher() -> PasswordHasher:
    """argon2id, the backend's profile (19 MiB, 2 passes): each guess costs ~20 ms and
    19 MiB, not the microseconds of a bare HMAC."""
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def _peppered(key: bytes, password: str) -> str:
    """The secret key as a pepper: without it (kept outside ./data) the hash is not even
    worth guessing against; with it, every guess is still a full argon2id."""
    return hmac.new(key, password.encode(), hashlib.sha256).hexdigest()


def drop_first_entry(entry: FirstEntry) -> None:
    entry.pw_hash = entry.pw_until = None


def _past(entry: FirstEntry, now: dt.datetime) -> bool:
    until = entry.pw_until
    try:
        return until is None or dt.datetime.fromisoformat(until) <= now
    except (TypeError, ValueError):
        return True


def first_entry_expired(ctx: Ctx, entry: FirstEntry) -> bool:
    """A first entry older than ``PW_TTL`` is forgotten (the customer chooses again)."""
    expired = _past(entry, ctx.now)
    if expired and (entry.pw_hash is not None or entry.pw_until is not None):
        drop_first_entry(entry)
        return True
    return False


CONFIRM_STATES = frozenset(
    {State.SIGNUP_PASSWORD_CONFIRM, State.PASSWORD_NEW_CONFIRM, State.RESET_NEW_CONFIRM}
)


def drop_expired_first_entries(ctx: Ctx) -> None:
    """Every turn: a first entry past its expiry leaves the session. In a confirm step its
    expiry time stays (not a secret) so that step can say why it asks again."""
    confirming = ctx.session.state in CONFIRM_STATES
    entries: list[FirstEntry] = [ScratchEntry(ctx.session.scratch)]
    if (signup := ctx.session.controls.get("signup")) is not None:
        entries.insert(0, signup)
    for entry in entries:
        if entry.pw_hash is None:
            continue
        if confirming:
            if _past(entry, ctx.now):
                entry.pw_hash = None
        else:
            first_entry_expired(ctx, entry)


async def keep_first_entry(ctx: Ctx, text: str, entry: FirstEntry) -> bool:
    """Check a new password against the rules and keep only a slow, peppered hash of it
    (with an expiry) in ``entry``; ``False`` (the rule explained, the step asked again)
    if it breaks one."""
    try:
        v.password(text)
    except v.Invalid as exc:
        ctx.explain(exc)
        ctx.reprompt()
        return False
    peppered = _peppered(ctx.ports.secret, text)
    entry.pw_hash = await asyncio.to_thread(_first_entry_hasher().hash, peppered)
    entry.pw_until = (ctx.now + PW_TTL).isoformat()
    return True


async def second_entry_matches(ctx: Ctx, text: str, entry: FirstEntry) -> bool:
    """Is ``text`` the first entry again? If not (or the first is too old), the hash goes
    and the customer is told."""
    if first_entry_expired(ctx, entry):
        ctx.say("invalid.password_expired")
        return False
    stored = entry.pw_hash or ""
    matches = False
    if stored:
        peppered = _peppered(ctx.ports.secret, text)
        try:
            matches = await asyncio.to_thread(_first_entry_hasher().verify, stored, peppered)
        except (VerificationError, InvalidHashError):
            matches = False
    if matches:
        return True
    drop_first_entry(entry)
    ctx.say("invalid.password_mismatch")
    return False


# --------------------------------------------------------------------------- a password change
PW_VERIFIED = "_pw_verified"  # the current password was given in this change (a flag only)
PASSWORD_CHANGE = frozenset(
    {State.PASSWORD_CURRENT, State.PASSWORD_NEW, State.PASSWORD_NEW_CONFIRM}
)


def forget_password_change(ctx: Ctx) -> None:
    """Leaving the change (done, back, cancel, elsewhere): the flag and the digest go."""
    ctx.session.scratch.pop(PW_VERIFIED, None)
    drop_first_entry(ScratchEntry(ctx.session.scratch))
